// `exstreamtv` with global options only opens the TUI (commander's root action); anything else is
// a command, help, or a usage error — decided by commander, not by a parser of our own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { program } from '../../src/cli/main.js';
import type { TuiOptions } from '../../src/tui/run.js';

async function parse(argv: string[]): Promise<{ tui: TuiOptions[]; error: string | null }> {
  const tui: TuiOptions[] = [];
  const p = program({ openTui: async (o) => { tui.push(o); return 0; } });
  const silence = (c: typeof p) => { c.configureOutput({ writeOut: () => {}, writeErr: () => {} }); c.commands.forEach(silence); };
  silence(p);
  // A subcommand's action would connect: none is reached here (help, errors) or it is the TUI.
  try {
    await p.parseAsync(argv, { from: 'user' });
    return { tui, error: null };
  } catch (err) {
    if (err instanceof CommanderError) return { tui, error: err.code };
    throw err;
  }
}

describe('cli: when the TUI opens', () => {
  test('global options only', async () => {
    assert.deepEqual((await parse([])).tui, [{ mouse: true }]);
    assert.deepEqual((await parse(['--data-dir', '/d', '--port=9', '--readonly', '--no-mouse'])).tui,
      [{ dataDir: '/d', port: '9', readonly: true, mouse: false }]);
    assert.deepEqual((await parse(['--url', 'http://x:1'])).tui, [{ url: 'http://x:1', mouse: true }]);
  });

  test('help, version, a missing value, an unknown word: no TUI', async () => {
    for (const [argv, code] of [[['--help'], 'commander.helpDisplayed'], [['-V'], 'commander.version'], [['--port'], 'commander.optionMissingArgument'],
      [['nonsense'], 'commander.unknownCommand'], [['--data-dir', '/d', 'status', '--help'], 'commander.helpDisplayed']] as const) {
      const r = await parse([...argv]);
      assert.deepEqual(r.tui, [], argv.join(' '));
      assert.equal(r.error, code, argv.join(' '));
    }
  });
});
