// `exstreamtv` with no command: attach, open the screen, run the app, and shut down cleanly on
// every path — q, ctrl-c, SIGINT/SIGTERM/SIGHUP, or a crash (terminal restored first, then exit 1).
import type { GlobalOptions } from '../client/locate.js';
import { createApp } from './app.js';
import { attach, type Attached } from './attach.js';
import { openTerminal } from './terminal.js';
import type { LogEvent } from '../engine/events.js';

export interface TuiOptions extends GlobalOptions { readonly?: boolean; mouse?: boolean }

/** How long shutdown may take before we exit anyway (ffmpeg drain, server close). */
const SHUTDOWN_LIMIT_MS = 15_000;

export async function runTui(o: TuiOptions): Promise<number> {
  // Attach before the screen opens: a failure here prints like any CLI error.
  const att: Attached = await attach(o);
  const early: LogEvent[] = [];
  let pushLog: (e: LogEvent) => void = (e) => early.push(e);
  const term = openTerminal({ mouse: o.mouse !== false, onLog: (e) => pushLog(e) });

  // Once the terminal hangs up (SSH gone, tmux pane killed), writing to it fails with EIO/EPIPE,
  // asynchronously, as 'error' events. Nothing can be done about those; unhandled they would be
  // "uncaught exceptions" that write an error report… to the same dead terminal, forever.
  let hungUp = false;
  const ignore = () => {};
  // Left in place after shutdown too: late writes of a closing screen may still fail.
  for (const stream of [process.stdin, process.stdout, process.stderr]) stream.on('error', ignore);
  const say = (text: string) => {
    if (hungUp) return;
    try { process.stderr.write(text); } catch { /* the terminal is gone */ }
  };

  let closing: Promise<void> | null = null;
  const shutdown = () => (closing ??= (async () => {
    term.restore();
    if (att.info.mode === 'in-process') say('exstreamtv: stopping the in-process server…\n');
    const limit = setTimeout(() => {
      say('exstreamtv: shutdown took too long; exiting\n');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();
    try { await att.close(); } finally { clearTimeout(limit); }
  })());

  let crashed = false;
  const crash = (err: unknown) => {
    if (crashed) return;
    crashed = true;
    term.restore();
    say(`exstreamtv: the terminal UI crashed: ${(err as Error)?.stack ?? String(err)}\n`);
    void Promise.race([shutdown(), new Promise((r) => setTimeout(r, 5000))]).finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  let app: ReturnType<typeof createApp>;
  try {
    app = createApp({ screen: term.screen, client: att.client, feed: att.feed, info: att.info, readonly: o.readonly ?? false, mouse: o.mouse !== false });
  } catch (err) {
    term.restore();
    await att.close();
    throw err;
  }
  pushLog = (e) => { app.model.logs.push(e); app.ctx.invalidate(); };
  for (const e of early) pushLog(e);

  // blessed exits on these at once unless someone else listens: we listen, and shut down properly.
  const onSignal = (sig: NodeJS.Signals) => {
    if (sig === 'SIGHUP') hungUp = true;
    app.quit(0);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);

  const code = await app.done;
  try {
    await shutdown();
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }
  // Keep-alive sockets and the like must not hold the process open after the user quit.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
