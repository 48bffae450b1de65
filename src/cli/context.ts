// How a CLI command reaches the API: the running daemon over HTTP when there is one for this
// data dir (or --url), else the same API in-process over the same SQLite file.
import { loadConfig, type Config } from '../config.js';
import { Engine } from '../engine/engine.js';
import { buildServer } from '../server/app.js';
import { ApiClient, httpTransport, injectTransport } from '../server/client.js';

export interface GlobalOptions { dataDir?: string; config?: string; url?: string; port?: string; bind?: string }

export interface Ctx {
  api: ApiClient;
  config: Config;
  mode: 'daemon' | 'in-process';
  close(): Promise<void>;
}

export function configFrom(g: GlobalOptions): Config {
  return loadConfig({ dataDir: g.dataDir, config: g.config, port: g.port, bind: g.bind });
}

export function daemonUrl(config: Config): string {
  const host = config.bind === '0.0.0.0' ? '127.0.0.1' : config.bind === '::' ? '::1' : config.bind;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export async function daemonServing(url: string, dataDir: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/status`, { signal: AbortSignal.timeout(400) });
    if (!res.ok) return false;
    const body = (await res.json()) as { name?: string; dataDir?: string };
    return body.name === 'exstreamtv' && body.dataDir === dataDir;
  } catch {
    return false;
  }
}

export async function connect(g: GlobalOptions): Promise<Ctx> {
  const config = configFrom(g);
  if (g.url) {
    return { api: new ApiClient(httpTransport(g.url.replace(/\/+$/, ''))), config, mode: 'daemon', close: async () => {} };
  }
  const url = daemonUrl(config);
  if (await daemonServing(url, config.dataDir)) {
    return { api: new ApiClient(httpTransport(url)), config, mode: 'daemon', close: async () => {} };
  }
  const engine = Engine.open(config);
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
