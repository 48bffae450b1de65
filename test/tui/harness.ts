// In-process TUI under test: a blessed screen on PassThrough streams (no TTY), the real API over
// a temporary engine (fastify inject), engine events straight from the bus, and helpers that read
// the screen's cell grid and type keys.
import { PassThrough } from 'node:stream';
import blessed, { type Widgets } from 'blessed';
import { EVENT_NAMES } from '../../src/server/routes/api/events.js';
import { createApp, type App } from '../../src/tui/app.js';
import { ApiClient } from '../../src/client/api-client.js';
import { keepAliveTransport } from '../../src/tui/transport.js';
import { busFeed, sseFeed } from '../../src/tui/feed.js';
import type { SysSource } from '../../src/tui/sysstats.js';
import { startApi, type TestApi } from '../helpers/api.js';

export interface TestScreen {
  screen: Widgets.Screen;
  input: PassThrough;
  output: PassThrough & { columns: number; rows: number; isTTY: boolean };
  /** Bytes written to the terminal so far. */
  written(): number;
  /** The cell grid as text lines. */
  lines(): string[];
  text(): string;
  resize(cols: number, rows: number): void;
  destroy(): void;
}

export function testScreen(cols = 120, rows = 40): TestScreen {
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), { columns: cols, rows, isTTY: true });
  let bytes = 0;
  output.on('data', (d: Buffer) => { bytes += d.length; });
  const screen = blessed.screen({ input, output, terminal: 'xterm-256color', fullUnicode: true, smartCSR: true, warnings: false, autoPadding: true });
  const lines = () => (screen as unknown as { lines: [number, string][][] }).lines.map((l) => l.map((c) => c[1]).join(''));
  return {
    screen, input, output,
    written: () => bytes,
    lines,
    text: () => lines().join('\n'),
    resize(c, r) {
      output.columns = c;
      output.rows = r;
      output.emit('resize');
    },
    destroy() { screen.destroy(); },
  };
}

/** A steady fake for the host gauges (the real one reads /proc and spawns helpers). */
export const fakeSys: SysSource = {
  async sample() {
    return { cpu: 42, cores: 2, memUsed: 3 * 2 ** 30, memTotal: 8 * 2 ** 30, temp: 51, gpus: [] };
  },
};

export interface Tui {
  /** The API under test (null when attached by URL to a server the test owns). */
  api: TestApi | null;
  app: App;
  s: TestScreen;
  /** Types keys: strings are written as-is ('a', '\r', '\t', '\x1b'); waits a turn after each. */
  keys(...k: string[]): Promise<void>;
  /** Waits until the screen text satisfies pred (renders first). */
  waitFor(pred: (text: string) => boolean, what: string, ms?: number): Promise<string>;
  close(): Promise<void>;
}

/** An SGR (1006) mouse click at 0-based cell x, y: press then release. */
export const click = (x: number, y: number) => [`\x1b[<0;${x + 1};${y + 1}M`, `\x1b[<0;${x + 1};${y + 1}m`];

export const KEY = { enter: '\r', tab: '\t', backtab: '\x1b[Z', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03', backspace: '\x7f', ctrlU: '\x15', right: '\x1b[C', left: '\x1b[D' };

const turn = () => new Promise((r) => setImmediate(r));

export interface TuiOptions {
  cols?: number;
  rows?: number;
  env?: NodeJS.ProcessEnv;
  readonly?: boolean;
  api?: TestApi;
  initialView?: string;
  /** Attach over HTTP + SSE to this base URL instead of inject + the bus. */
  url?: string;
  mouse?: boolean;
  /** The API client (default: the test API's, in-process). */
  client?: ApiClient;
}

export async function startTui(o: TuiOptions = {}): Promise<Tui> {
  const api = o.api ?? (o.url ? null : await startApi());
  const s = testScreen(o.cols ?? 120, o.rows ?? 40);
  const app = createApp({
    screen: s.screen,
    client: o.client ?? (o.url ? new ApiClient(keepAliveTransport(o.url, { timeoutMs: 10_000 })) : api!.api),
    feed: o.url ? sseFeed(o.url) : busFeed(api!.engine.events, EVENT_NAMES),
    info: {
      apiUrl: o.url ?? 'http://127.0.0.1:8410', mode: 'daemon', host: 'testhost',
      probe: async (path) => (api ? (await api.app.inject({ method: 'HEAD', url: path })).statusCode : (await fetch(`${o.url}${path}`, { method: 'HEAD' })).status),
    },
    readonly: o.readonly ?? false,
    mouse: o.mouse ?? false,
    sys: fakeSys,
    env: o.env ?? {},
    ...(o.initialView ? { initialView: o.initialView } : {}),
  });
  const tui: Tui = {
    api, app, s,
    async keys(...k) {
      for (const x of k) {
        s.input.write(x);
        await turn();
        await turn();
      }
    },
    async waitFor(pred, what, ms = 5000) {
      const end = Date.now() + ms;
      for (;;) {
        app.render();
        const text = s.text();
        if (pred(text)) return text;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      app.destroy();
      s.destroy();
      if (!o.api) await api?.close();
    },
  };
  return tui;
}
