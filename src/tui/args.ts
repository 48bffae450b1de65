// Is this command line "the TUI"? Yes when it holds global options only (no command, no help or
// version flag): `exstreamtv`, `exstreamtv --data-dir D --port P`, `exstreamtv --url U --readonly`.
import type { TuiOptions } from './run.js';

const VALUED: Record<string, keyof TuiOptions> = { '--data-dir': 'dataDir', '--config': 'config', '--bind': 'bind', '--port': 'port', '--url': 'url', '--token': 'token' };

/** The options when argv is a TUI invocation, else null (commander handles it). */
export function tuiArgs(argv: string[]): TuiOptions | null {
  const o: TuiOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const key = VALUED[name];
    if (key) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) return null;
      (o as Record<string, unknown>)[key] = v;
    } else if (a === '--readonly') o.readonly = true;
    else if (a === '--no-mouse') o.mouse = false;
    else return null;
  }
  return o;
}
