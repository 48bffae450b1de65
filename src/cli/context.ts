// How a CLI command reaches the API: the running daemon over HTTP when one is found (--url, the
// daemon of this data dir, else the service's; see daemon/discover.ts), else the same API
// in-process over the same SQLite file — never over a data dir another live process serves.
import { configFrom, explicitDataDir, tokenFor, type GlobalOptions } from '../client/locate.js';
import type { Config } from '../config.js';
import { assertNotHeld, findDaemon, notFoundHint } from '../daemon/discover.js';
import { ApiClient, httpTransport, injectTransport } from '../client/api-client.js';

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

export async function connect(g: GlobalOptions): Promise<Ctx> {
  const config = configFrom(g);
  if (g.url) {
    const url = g.url.replace(/\/+$/, '');
    return { api: new ApiClient(httpTransport(url, { token: tokenFor(g) })), config, mode: 'daemon', url, dataDir: null, notRunning: null, close: async () => {} };
  }
  const lookup = await findDaemon(config, { explicitDataDir: explicitDataDir(g) });
  if (lookup.found) {
    const token = tokenFor(g, lookup.found.dataDir ?? config.dataDir);
    return { api: new ApiClient(httpTransport(lookup.found.url, { token })), config, mode: 'daemon', url: lookup.found.url, dataDir: lookup.found.dataDir, notRunning: null, close: async () => {} };
  }
  assertNotHeld(lookup, config.dataDir);
  // Loaded only here: a command that talks to the daemon starts without the engine and the server.
  const [{ openEngine }, { buildServer }] = await Promise.all([import('../appliance.js'), import('../server/app.js')]);
  const engine = openEngine(config);
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
