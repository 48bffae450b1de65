// Composition root of the daemon: config → store → engine → server → listen; signals → clean shutdown.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Engine } from './engine/engine.js';
import { openEngine } from './appliance.js';
import type { LogEvent } from './engine/events.js';
import { buildServer } from './server/app.js';
import { discoveryOff, startEngineDiscovery, type Discovery } from './discovery/index.js';

export interface Daemon { engine: Engine; app: FastifyInstance; url: string; stop(): Promise<void> }

const LEVELS: LogEvent['level'][] = ['debug', 'info', 'warn', 'error'];

export function printLog(e: LogEvent, min: string, out: NodeJS.WritableStream = process.stdout): void {
  const floor = LEVELS.indexOf(min as LogEvent['level']);
  if (min === 'silent' || LEVELS.indexOf(e.level) < (floor < 0 ? 1 : floor)) return;
  out.write(`${e.at} ${e.level.toUpperCase().padEnd(5)} ${e.channel ? `[${e.channel}] ` : ''}${e.msg}\n`);
}

export async function startDaemon(config: Config): Promise<Daemon> {
  const engine = openEngine(config);
  const off = engine.events.on('log', (e) => printLog(e, config.logLevel));
  let app: FastifyInstance;
  let discovery: Discovery;
  try {
    engine.start();
    app = await buildServer({ engine });
    await app.listen({ host: config.bind, port: config.port });
  } catch (err) {
    off();
    await engine.close();
    throw err;
  }
  try {
    discovery = await startEngineDiscovery(engine);
  } catch (err) {
    // Discovery is optional: DVRs can still add the tuner by URL.
    engine.events.log('warn', `discovery off: ${(err as Error).message}`);
    discovery = discoveryOff(`off: ${(err as Error).message}`);
  }
  engine.discovery = discovery.status;
  const shown = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${config.port}`;
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    await discovery.close();
    await app.close();
    await engine.close();
    off();
  })());
  return { engine, app, url, stop };
}

/** Runs the daemon until SIGINT/SIGTERM. */
export async function runDaemon(config: Config): Promise<number> {
  const d = await startDaemon(config);
  printLog({ level: 'info', at: new Date().toISOString(), msg: `exstreamtv listening on ${config.bind}:${config.port} (data in ${config.dataDir}); API ${d.url}/api, OpenAPI ${d.url}/api/openapi.json` }, config.logLevel);
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      printLog({ level: 'info', at: new Date().toISOString(), msg: `${sig}: shutting down` }, config.logLevel);
      d.stop().then(() => resolve(0), (err) => { console.error(err); resolve(1); });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
