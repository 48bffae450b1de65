// How a CLI command reaches the API: the running daemon over HTTP when there is one for this
// data dir (or --url), else the same API in-process over the same SQLite file.
import { loadConfig, type Config } from '../config.js';
import { Engine } from '../engine/engine.js';
import { buildServer } from '../server/app.js';
import { authHeaders, TOKEN_ENV } from '../schemas/auth.js';
import { ApiClient, httpTransport, injectTransport } from '../server/client.js';
import { readAdminToken } from '../server/security/token.js';

export interface GlobalOptions { dataDir?: string; config?: string; url?: string; port?: string; bind?: string; token?: string }

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

/** The admin token to send: --token, else $EXSTREAMTV_TOKEN, else the data dir's token file when this user can read it. */
export function tokenFor(g: GlobalOptions, dataDir?: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return g.token || env[TOKEN_ENV] || (dataDir ? readAdminToken(dataDir) : null);
}

export async function daemonServing(url: string, dataDir: string, token: string | null = readAdminToken(dataDir)): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/status`, { headers: authHeaders(token), signal: AbortSignal.timeout(400) });
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
    return { api: new ApiClient(httpTransport(g.url.replace(/\/+$/, ''), { token: tokenFor(g) })), config, mode: 'daemon', close: async () => {} };
  }
  const url = daemonUrl(config);
  const token = tokenFor(g, config.dataDir);
  if (await daemonServing(url, config.dataDir, token)) {
    return { api: new ApiClient(httpTransport(url, { token })), config, mode: 'daemon', close: async () => {} };
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
