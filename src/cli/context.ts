// How a CLI command reaches the API: the running daemon over HTTP when there is one for this
// data dir (or --url), else the same API in-process over the same SQLite file.
import { configFrom, daemonServing, daemonUrl, tokenFor, type GlobalOptions } from '../client/locate.js';
import type { Config } from '../config.js';
import { openEngine } from '../appliance.js';
import { buildServer } from '../server/app.js';
import { ApiClient, httpTransport, injectTransport } from '../client/api-client.js';

export interface Ctx {
  api: ApiClient;
  config: Config;
  mode: 'daemon' | 'in-process';
  close(): Promise<void>;
}

export async function connect(g: GlobalOptions): Promise<Ctx> {
  const config = configFrom(g);
  if (g.url) {
    return { api: new ApiClient(httpTransport(g.url.replace(/\/+$/, ''), { token: tokenFor(g) })), config, mode: 'daemon', close: async () => {} };
  }
  const url = daemonUrl(config);
  const token = tokenFor(g, config.dataDir);
  if (await daemonServing(url, config.dataDir, token)) {
    return { api: new ApiClient(httpTransport(url, { token })), config, mode: 'daemon', close: async () => {} };
  }
  const engine = openEngine(config);
  const app = await buildServer({ engine });
  return {
    api: new ApiClient(injectTransport(app)),
    config,
    mode: 'in-process',
    close: async () => {
      await app.close();
      await engine.close();
    },
  };
}
