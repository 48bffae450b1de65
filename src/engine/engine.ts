// The engine: store + services + background jobs. The server and the CLI's in-process mode share it.
import schedule from 'node-schedule';
import type { Config } from '../config.js';
import { EventBus } from './events.js';
import { ScanManager } from './library/scans.js';
import { ChannelService } from './services/channels.js';
import { CollectionService } from './services/collections.js';
import { ScheduleService } from './services/schedules.js';
import { SourceService } from './services/sources.js';
import { databaseFile, openStore, type Store } from './store/store.js';
import { SessionManager } from './stream/manager.js';
import { TimelineService } from './timeline/service.js';
import { ProfileService } from '../hw/profiles.js';
import { HwService } from '../hw/service.js';

export class Engine {
  readonly events = new EventBus();
  readonly timeline: TimelineService;
  readonly channels: ChannelService;
  readonly collections: CollectionService;
  readonly schedules: ScheduleService;
  readonly sources: SourceService;
  readonly scans: ScanManager;
  readonly streams: SessionManager;
  /** Hardware encoder verdicts (probed) and encoder profiles. */
  readonly hw: HwService;
  readonly profiles: ProfileService;
  readonly startedAt = Date.now();
  private job: schedule.Job | null = null;

  constructor(readonly config: Config, readonly store: Store) {
    this.timeline = new TimelineService(store, { days: config.timelineDays }, this.events);
    this.hw = new HwService(config.ffmpegPath, config.dataDir, this.events);
    this.profiles = new ProfileService(store, this.hw, this.events);
    this.channels = new ChannelService(store, this.timeline, (next, cur) => this.profiles.checkStream(next, cur));
    this.collections = new CollectionService(store, this.channels);
    this.schedules = new ScheduleService(store, this.timeline);
    this.sources = new SourceService(store, this.timeline);
    this.scans = new ScanManager(store, this.events, {
      ffprobePath: config.ffprobePath,
      concurrency: config.scanConcurrency,
      afterScan: () => this.timeline.rebuildAll(),
    });
    this.streams = new SessionManager(store, this.timeline, this.events, {
      ffmpegPath: config.ffmpegPath, dataDir: config.dataDir, idleS: config.streamIdleS, encoders: this.profiles.resolver(),
    });
  }

  static open(config: Config): Engine {
    return new Engine(config, openStore(databaseFile(config.dataDir)));
  }

  /** Background work of the daemon: keep every channel's timeline materialised ahead. */
  start(): void {
    this.extendTimelines();
    this.job = schedule.scheduleJob('extend timelines', '*/15 * * * *', () => this.extendTimelines());
    // Verify the encoders in the background (cached per ffmpeg binary: usually instant).
    this.hw.report().catch((err) => this.events.log('error', `hardware probe failed: ${(err as Error).message}`));
    this.streams.start();
  }

  private extendTimelines(): void {
    try {
      const added = this.timeline.extendAll();
      if (added) this.events.log('debug', `timeline extended by ${added} rows`);
    } catch (err) {
      this.events.log('error', `extending timelines failed: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.job?.cancel();
    this.job = null;
    await this.streams.close();
    await this.scans.stopAll();
    await this.hw.close();
    this.store.close();
  }
}
