// Composition root of the daemon: config → store → engine → server → listen; signals → clean shutdown.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import { openEngine } from './appliance.js';
import type { LogEvent } from './engine/events.js';
import { buildServer } from './server/app.js';
import { discoveryOff, startEngineDiscovery, type Discovery } from './discovery/index.js';
import { configuredUrl } from './daemon/discover.js';
import { acquireDataDirLock } from './daemon/lock.js';
import { detectLogFormat, formatLogLine, passesLevel, type LogFormat } from './daemon/log-format.js';
import { removeRuntimeFile, systemRuntimeDir, writeRuntimeFile, type RuntimeInfo } from './daemon/runtime-file.js';

export interface Daemon { engine: Engine; app: FastifyInstance; url: string; stop(): Promise<void> }

export interface DaemonOptions {
  /** `serve` also publishes itself in the system runtime directory (the service's well-known place). */
  role?: RuntimeInfo['role'];
  env?: NodeJS.ProcessEnv;
}

export function printLog(e: LogEvent, min: string, format: LogFormat = 'text', out: NodeJS.WritableStream = process.stdout): void {
  if (passesLevel(e.level, min)) out.write(formatLogLine(e, format));
}

export async function startDaemon(config: Config, o: DaemonOptions = {}): Promise<Daemon> {
  const role = o.role ?? 'serve';
  const info = (url: string): RuntimeInfo => ({ url, pid: process.pid, dataDir: config.dataDir, role, startedAt: new Date().toISOString() });
  // Refused before the database is opened when another live process serves this data dir.
  const lock = await acquireDataDirLock(config.dataDir, info(shownUrl(config, config.port)));
  let engine: Engine;
  try {
    engine = openEngine(config);
  } catch (err) {
    await lock.release();
    throw err;
  }
  const format = detectLogFormat(config.logFormat);
  const off = engine.events.on('log', (e) => printLog(e, config.logLevel, format));
  let app: FastifyInstance;
  let discovery: Discovery;
  try {
    engine.start();
    app = await buildServer({ engine });
    await app.listen({ host: config.bind, port: config.port });
  } catch (err) {
    off();
    await engine.close();
    await lock.release();
    throw err;
  }
  const addr = app.server.address();
  const url = shownUrl(config, addr && typeof addr === 'object' ? addr.port : config.port);
  lock.update(info(url));
  const sysDir = systemRuntimeDir(o.env);
  const published: string[] = [config.dataDir];
  const problem = writeRuntimeFile(config.dataDir, info(url));
  if (problem) engine.events.log('warn', `${problem}: clients find this daemon by its port only`);
  if (role === 'serve') {
    // The service's directory exists (systemd's RuntimeDirectory=) or was named explicitly.
    const sysProblem = writeRuntimeFile(sysDir, info(url), { create: Boolean((o.env ?? process.env).EXSTREAMTV_RUNTIME_DIR), onlyIfFree: true });
    if (sysProblem) engine.events.log('debug', `not published in ${sysDir}: ${sysProblem}`);
    else published.push(sysDir);
  }
  try {
    discovery = await startEngineDiscovery(engine);
  } catch (err) {
    // Discovery is optional: DVRs can still add the tuner by URL.
    engine.events.log('warn', `discovery off: ${(err as Error).message}`);
    discovery = discoveryOff(`off: ${(err as Error).message}`);
  }
  engine.discovery = discovery.status;
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    for (const dir of published) removeRuntimeFile(dir);
    await discovery.close();
    await app.close();
    await engine.close();
    await lock.release();
    off();
  })());
  return { engine, app, url, stop };
}

function shownUrl(config: Config, port: number): string {
  return configuredUrl({ bind: config.bind, port });
}

/** Runs the daemon until SIGINT/SIGTERM (one arriving while it starts stops it once started). */
export async function runDaemon(config: Config): Promise<number> {
  const format = detectLogFormat(config.logFormat);
  // Listeners stay registered (process.on, not once): execa's exit hook (signal-exit, loaded by any
  // execa call with cleanup on) re-raises a signal that has no other listener, which would cut the
  // clean shutdown short. A second signal while shutting down exits at once.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    let seen = false;
    const on = (sig: NodeJS.Signals) => {
      if (seen) process.exit(sig === 'SIGINT' ? 130 : 143);
      seen = true;
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  const d = await startDaemon(config, { role: 'serve' });
  printLog({ level: 'info', at: new Date().toISOString(), msg: `exstreamtv listening on ${config.bind}:${config.port} (data in ${config.dataDir}); API ${d.url}/api, OpenAPI ${d.url}/api/openapi.json` }, config.logLevel, format);
  const sig = await signalled;
  printLog({ level: 'info', at: new Date().toISOString(), msg: `${sig}: shutting down` }, config.logLevel, format);
  try {
    await d.stop();
    return 0;
  } catch (err) {
    console.error(err);
    return 1;
  }
}
