// Where a client (the CLI, the TUI) finds this machine's daemon: the global options it was given,
// the settings they select, and whether the daemon of that data dir answers.
import { loadConfig, type Config } from '../config.js';

export interface GlobalOptions { dataDir?: string; config?: string; url?: string; port?: string; bind?: string }

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
