// `exstreamtv`: the command line. Every command goes through the REST API (daemon or in-process).
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { aiCommand } from './commands/ai.js';
import { backupCommand } from './commands/backup.js';
import { channelCommand } from './commands/channel.js';
import { collectionCommand } from './commands/collection.js';
import { showCommand } from './commands/show.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { hwCommand, profileCommand } from './commands/hw.js';
import { libraryCommand } from './commands/library.js';
import { sourceCommand } from './commands/source.js';
import { logsCommand } from './commands/logs.js';
import { scheduleCommand } from './commands/schedule.js';
import { serveCommand, statusCommand, timelineCommand } from './commands/misc.js';
import { sessionCommand } from './commands/session.js';
import { reportError } from './run.js';
import { tokenCommand } from './commands/token.js';
import { tunerCommand } from './commands/tuner.js';
import { importCommand } from './commands/import.js';
import type { TuiOptions } from '../tui/run.js';

const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export interface ProgramOptions {
  /** What `exstreamtv` with global options only runs (the terminal UI); tests pass their own. */
  openTui?: (o: TuiOptions, p: Command) => Promise<number>;
}

/** No command: the terminal UI. Without a terminal (a pipe, a script) help is the front door. */
async function openTui(o: TuiOptions, p: Command): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    p.outputHelp();
    return 0;
  }
  try {
    // Loaded on demand: the other commands need not load blessed.
    const { runTui } = await import('../tui/run.js');
    return await runTui(o);
  } catch (err) {
    return reportError(err);
  }
}

export function program(po: ProgramOptions = {}): Command {
  const p = new Command('exstreamtv')
    .description('EXStreamTV: turns a media library into live TV channels and serves them as an HDHomeRun tuner')
    .version(version, '-V, --version')
    .option('--data-dir <dir>', 'data directory (env EXSTREAMTV_DATA_DIR; default ~/.local/share/exstreamtv)')
    .option('--config <file>', 'JSON config file (env EXSTREAMTV_CONFIG; default <data-dir>/config.json if present)')
    .option('--bind <address>', 'listen address (env EXSTREAMTV_BIND; default 0.0.0.0)')
    .option('--port <port>', 'listen port (env EXSTREAMTV_PORT; default 8410)')
    .option('--url <url>', 'talk to the daemon at this URL (default: the daemon of the data dir, else the service\'s, else work in-process)')
    .option('--token <token>', 'admin token for a daemon on another host (env EXSTREAMTV_TOKEN; on the box it is read from <data-dir>/admin.token)')
    .option('--readonly', 'terminal UI: look, do not touch (editing keys hidden and refused)')
    .option('--no-mouse', 'terminal UI: keyboard only')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `
Examples:
  exstreamtv demo                      make a demo library and channels
  exstreamtv serve                     run the daemon (API on port 8410)
  exstreamtv library add /srv/media    add and scan a folder
  exstreamtv channel add 5.1 --name Cartoons --collection Cartoons --order shuffle
  exstreamtv timeline 5.1              what airs when
  exstreamtv logs -f --level warn      follow the daemon's warnings and errors

Exit codes: 0 ok, 1 failure, 2 bad usage or configuration.`);
  for (const c of [serveCommand(), statusCommand(), libraryCommand(), sourceCommand(), collectionCommand(), showCommand(), channelCommand(), scheduleCommand(), timelineCommand(), sessionCommand(), demoCommand(), hwCommand(), profileCommand(), backupCommand(), aiCommand(), doctorCommand(), tokenCommand(), logsCommand(), tunerCommand(), importCommand()]) {
    p.addCommand(c);
  }
  // Global options only open the TUI; a word that is no command is an error, as commander says it.
  // A mistyped command ("chanel list") gets commander's own "(Did you mean channel?)".
  p.usage('[options] [command]').argument('[command]').allowExcessArguments().action(async (word: string | undefined, o: TuiOptions) => {
    if (word !== undefined) {
      (p as unknown as { unknownCommand?: () => void }).unknownCommand?.();
      p.error(`error: unknown command '${word}'`, { code: 'commander.unknownCommand', exitCode: 2 });
    }
    process.exitCode = await (po.openTui ?? openTui)(o, p);
  });
  const exitOverride = (c: Command) => { c.exitOverride(); c.commands.forEach(exitOverride); };
  exitOverride(p);
  return p;
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    await p.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    throw err;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
