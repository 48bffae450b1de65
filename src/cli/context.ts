// How a CLI command reaches the API: the running daemon over HTTP when one is found (--url, the
// daemon of this data dir, else the service's; see daemon/discover.ts), else the same API
// in-process over the same SQLite file — never over a data dir another live process serves.
import { loadConfig, type Config } from '../config.js';
import { assertNotHeld, findDaemon, notFoundHint } from '../daemon/discover.js';
import { Engine } from '../engine/engine.js';
import { buildServer } from '../server/app.js';
import { ApiClient, httpTransport, injectTransport } from '../server/client.js';

export interface GlobalOptions { dataDir?: string; config?: string; url?: string; port?: string; bind?: string }

export interface Ctx {
  api: ApiClient;
  config: Config;
  mode: 'daemon' | 'in-process';
  /** The daemon's base URL (null in-process). */
  url: string | null;
  /** The data directory of the instance answering (the daemon's when attached; null behind --url). */
  dataDir: string | null;
  /** In-process: where the daemon was looked for and what to type instead (for "not running" lines). */
  notRunning: string | null;
  close(): Promise<void>;
}

export function configFrom(g: GlobalOptions): Config {
  return loadConfig({ dataDir: g.dataDir, config: g.config, port: g.port, bind: g.bind });
}

/** A data directory was chosen by flag, environment or config file: the service's is not a fallback. */
export function explicitDataDir(g: GlobalOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(g.dataDir || g.config || env.EXSTREAMTV_DATA_DIR || env.EXSTREAMTV_CONFIG);
}

export async function connect(g: GlobalOptions): Promise<Ctx> {
  const config = configFrom(g);
  if (g.url) {
    const url = g.url.replace(/\/+$/, '');
    return { api: new ApiClient(httpTransport(url)), config, mode: 'daemon', url, dataDir: null, notRunning: null, close: async () => {} };
  }
  const lookup = await findDaemon(config, { explicitDataDir: explicitDataDir(g) });
  if (lookup.found) {
    return { api: new ApiClient(httpTransport(lookup.found.url)), config, mode: 'daemon', url: lookup.found.url, dataDir: lookup.found.dataDir, notRunning: null, close: async () => {} };
  }
  assertNotHeld(lookup, config.dataDir);
  const engine = Engine.open(config);
  const app = await buildServer({ engine });
  return {
    api: new ApiClient(injectTransport(app)),
    config,
    mode: 'in-process',
    url: null,
    dataDir: config.dataDir,
    notRunning: notFoundHint(lookup),
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
