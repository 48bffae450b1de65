// Where a client (the CLI, the TUI) finds this machine's daemon: the global options it was given,
// the settings they select, and whether the daemon of that data dir answers.
import { loadConfig, type Config } from '../config.js';
import { authHeaders, TOKEN_ENV } from '../schemas/auth.js';
import { readAdminToken } from '../server/security/token.js';

export interface GlobalOptions { dataDir?: string; config?: string; url?: string; port?: string; bind?: string; token?: string }

export function configFrom(g: GlobalOptions): Config {
  return loadConfig({ dataDir: g.dataDir, config: g.config, port: g.port, bind: g.bind });
}

/** A data directory was chosen by flag, environment or config file: the service's is not a fallback. */
export function explicitDataDir(g: GlobalOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(g.dataDir || g.config || env.EXSTREAMTV_DATA_DIR || env.EXSTREAMTV_CONFIG);
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
