// An engine over a real SQLite file in a fresh temporary data dir; close() removes the dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigInput } from '../../src/config.js';
import type { Engine } from '../../src/engine/engine.js';
import { openEngine } from '../../src/appliance.js';

export interface TempEngine { engine: Engine; dir: string; close(): Promise<void> }

export async function tempEngine(config: ConfigInput = {}): Promise<TempEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'exstreamtv-test-'));
  // An empty environment: a developer's EXSTREAMTV_* variables must not leak into tests.
  const engine = openEngine(loadConfig({ ...config, dataDir: dir }, {}));
  return {
    engine,
    dir,
    close: async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
