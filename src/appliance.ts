// The engine with this machine's encoder hardware attached: the one place that joins engine/ and
// hw/ (the daemon's composition root and the CLI's in-process mode both open the engine here).
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import { HwService } from './hw/service.js';

export function openEngine(config: Config): Engine {
  return Engine.open(config, (events) => new HwService(config.ffmpegPath, config.dataDir, events));
}
