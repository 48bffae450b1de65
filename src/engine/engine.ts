// The engine: store + services + background jobs. The server and the CLI's in-process mode share it.
import schedule from 'node-schedule';
import type { Config } from '../config.js';
import type { DiscoveryStatus } from '../schemas/status.js';
import { DoctorService } from './ai/doctor/service.js';
import { AiService } from './ai/service.js';
import { BackupService } from './store/backup.js';
import { EventBus } from './events.js';
import type { EncoderHardware, HardwareFactory } from './hardware.js';
import { assertImageFile } from './library/allowed-paths.js';
import { LogRing } from './log-ring.js';
import { Rescanner } from './library/rescan.js';
import { ScanManager } from './library/scans.js';
import { ChannelService } from './services/channels.js';
import { CollectionService } from './services/collections.js';
import { LibraryService } from './services/library.js';
import { ProfileService } from './services/profiles.js';
import { ScheduleService } from './services/schedules.js';
import { SourceService } from './services/sources.js';
import { IptvGuide } from './library/iptv/guide.js';
import { MediaServerService } from './services/media-servers.js';
import { ImportService } from './services/imports.js';
import { registerServerResolvers } from './library/servers/resolver.js';
import { OnlineSourceService } from './services/online-sources.js';
import { registerYoutubeResolver } from './library/youtube/resolver.js';
import { PlexGuideReloader } from './library/servers/guide-reload.js';
import { ServerPush } from './library/servers/push.js';
import { databaseFile, openStore, type Store } from './store/store.js';
import { SessionManager } from './stream/manager.js';
import { TimelineService } from './timeline/service.js';
import { loadIdentity, savedFriendlyName, updateTuner, type TunerIdentity } from './tuner/identity.js';
import type { TunerInfo, TunerPatch } from '../schemas/tuner.js';

export class Engine {
  readonly events = new EventBus();
  /** Recent log lines for `exstreamtv logs` (GET /api/logs). */
  readonly logs = new LogRing(this.events);
  readonly timeline: TimelineService;
  readonly channels: ChannelService;
  readonly collections: CollectionService;
  /** Items, shows and search (read side of the library). */
  readonly library: LibraryService;
  readonly schedules: ScheduleService;
  readonly sources: SourceService;
  /** Guide of IPTV live channels: the provider's XMLTV by tvg-id (cached, refreshed), else hour blocks. */
  readonly iptvGuide: IptvGuide;
  /** Jellyfin/Emby libraries as sources: connect, health, path replacement. */
  readonly servers: MediaServerService;
  /** Archive.org and YouTube sources: add (checked first), yt-dlp status. */
  readonly online: OnlineSourceService;
  /** Opted-in Plex servers reload their DVR guide after ours changes (started by start()). */
  readonly plexGuide: PlexGuideReloader;
  /** Media servers' library notifications trigger a rescan of the library's sources (started by start()). */
  readonly serverPush: ServerPush;
  readonly scans: ScanManager;
  /** Imports from dizqueTV, Tunarr and ErsatzTV. */
  readonly imports: ImportService;
  /** The daemon's periodic rescans and folder watching (started by start()). */
  readonly rescans: Rescanner;
  readonly streams: SessionManager;
  /** Hardware encoder verdicts (probed) and encoder profiles. */
  readonly hw: EncoderHardware;
  readonly profiles: ProfileService;
  /** Database backups in <dataDir>/backups: create, list, restore under the running engine. */
  readonly backups: BackupService;
  /** AI provider settings, channel from a sentence (never saved by itself). */
  readonly ai: AiService;
  /** Troubleshooting: rule-based causes and fixes from session trouble and a trial run of the failing piece. */
  readonly doctor: DoctorService;
  /** What network discovery does (the daemon sets it once discovery started; off elsewhere). */
  discovery: DiscoveryStatus = offStatus('off: only the daemon (exstreamtv serve) announces the tuner');
  readonly startedAt = Date.now();
  private job: schedule.Job | null = null;
  private backupJob: schedule.Job | null = null;
  private started = false;

  /** `hardware` builds the encoder side (src/appliance.ts passes hw/'s HwService). */
  constructor(readonly config: Config, readonly store: Store, hardware: HardwareFactory) {
    this.timeline = new TimelineService(store, { days: config.timelineDays }, this.events);
    this.hw = hardware(this.events);
    this.profiles = new ProfileService(store, this.hw, this.events);
    this.channels = new ChannelService(store, this.timeline, (next, cur) => {
      this.profiles.checkStream(next, cur);
      const img = next.watermark?.image;
      if (img && img !== cur?.watermark?.image) assertImageFile(img, this.libraryRoots(), config.dataDir, 'stream.watermark.image');
    }, (logo) => assertImageFile(logo, this.libraryRoots(), config.dataDir, 'logo'),
    (channelId) => this.events.emit('encoding.changed', { channelId, profile: null }));
    this.collections = new CollectionService(store, this.channels);
    this.library = new LibraryService(store, this.collections);
    this.schedules = new ScheduleService(store, this.timeline);
    this.sources = new SourceService(store, this.timeline, config, { channels: this.channels, ffprobePath: config.ffprobePath, health: () => this.streams.liveHealth });
    this.iptvGuide = new IptvGuide(store, this.events, { days: config.timelineDays + 1 });
    this.ai = new AiService(config.dataDir, store, this.timeline, this.schedules, this.events);
    this.online = new OnlineSourceService(store, config);
    this.servers = new MediaServerService(store, config.dataDir, config.plexTvUrl);
    this.plexGuide = new PlexGuideReloader({ store, dataDir: config.dataDir, events: this.events, deviceId: () => this.tunerIdentity().deviceId });
    this.scans = new ScanManager(store, this.events, {
      ffprobePath: config.ffprobePath,
      concurrency: config.scanConcurrency,
      afterScan: () => this.timeline.rebuildAll(),
      folders: config,
      online: { archiveUrl: config.archiveUrl, ytDlpPath: config.ytDlpPath },
    });
    this.serverPush = new ServerPush({ store, dataDir: config.dataDir, events: this.events, rescan: (id) => { this.scans.start(id); } });
    this.imports = new ImportService({ store, timeline: this.timeline, servers: this.servers, sources: this.sources, scans: this.scans, folders: config,
      assertImage: (p) => assertImageFile(p, this.libraryRoots(), config.dataDir, 'logo') });
    this.rescans = new Rescanner(store, this.scans, this.events, { everyMs: config.rescanHours * 3_600_000, watch: config.watchFolders });
    this.streams = new SessionManager(store, this.timeline, this.events, {
      ffmpegPath: config.ffmpegPath, dataDir: config.dataDir, idleS: config.streamIdleS, idleYield: config.streamIdleYield, slatesAhead: config.slatesAhead,
      encoders: this.profiles.resolver(),
    });
    this.doctor = new DoctorService({
      store, timeline: this.timeline, streams: () => this.streams, events: this.events, encoders: this.profiles.resolver(),
      ffmpegPath: config.ffmpegPath, dataDir: config.dataDir, tunerCount: config.tunerCount, explain: (facts) => this.ai.explain(facts),
    });
    registerServerResolvers(this.streams.resolvers, store, config.dataDir);
    registerYoutubeResolver(this.streams.resolvers, () => config.ytDlpPath);
    this.backups = new BackupService({
      store, dataDir: config.dataDir, keep: config.backupKeep, events: this.events,
      quiesce: async () => {
        // New scans and tunes get a 503 until restored(): none may write to (or read from) the
        // database being replaced, nor start on the old one.
        const why = 'the database is being restored: try again in a moment';
        this.scans.hold(why);
        this.streams.hold(why);
        await this.scans.stopAll();
        return this.stopSessions('database restore');
      },
      restored: async () => {
        // Runs after every restore that quiesced, whichever database is live now.
        try {
          await this.stopSessions('database restored');
        } finally {
          this.scans.unhold();
          this.streams.unhold();
        }
        this.extendTimelines();
        if (!this.started) return;
        for (const c of this.store.channels.list()) {
          if (!c.enabled || !c.stream.alwaysOn) continue;
          try { this.streams.acquire(c); } catch (err) { this.events.log('error', `restarting always-on channel failed: ${(err as Error).message}`, c.number); }
        }
      },
    });
  }

  /** The folders of the local sources: where images (watermarks, logos) may come from, besides <dataDir>/images. */
  libraryRoots(): string[] {
    return this.store.sources.list().flatMap((s) => (s.kind === 'local' && typeof s.config.path === 'string' ? [s.config.path] : []));
  }

  private async stopSessions(why: string): Promise<number> {
    const live = this.streams.stats();
    await Promise.all(live.map((s) => this.streams.stopSession(s.channelId, why)));
    return live.length;
  }

  private identity: TunerIdentity | null = null;

  /**
   * The tuner's HDHomeRun identity (device id, auth), created once and kept in settings. Always the
   * same object, brought up to date in place: the HDHomeRun routes and UDP discovery read it per request.
   */
  tunerIdentity(): TunerIdentity {
    return Object.assign(this.identity ??= {} as TunerIdentity, loadIdentity(this.store.settings));
  }

  /** The name DVRs show: set at run time (TUI, CLI), else the configured one. */
  friendlyName(): string {
    return savedFriendlyName(this.store.settings) ?? this.config.friendlyName;
  }

  tuner(): TunerInfo {
    return { deviceId: this.tunerIdentity().deviceId, friendlyName: this.friendlyName(), tunerCount: this.config.tunerCount };
  }

  /** Sets the DeviceID and/or friendly name; DVRs see them at their next discovery. */
  setTuner(p: TunerPatch): TunerInfo {
    updateTuner(this.store.settings, { ...(p.deviceId !== undefined ? { deviceId: p.deviceId } : {}), fresh: p.newDeviceId ?? false, ...(p.friendlyName !== undefined ? { friendlyName: p.friendlyName } : {}) });
    return this.tuner();
  }

  static open(config: Config, hardware: HardwareFactory): Engine {
    return new Engine(config, openStore(databaseFile(config.dataDir)), hardware);
  }

  /** Background work of the daemon: keep every channel's timeline materialised ahead. */
  start(): void {
    this.extendTimelines();
    this.job = schedule.scheduleJob('extend timelines', '*/15 * * * *', () => {
      this.extendTimelines();
      void this.iptvGuide.refreshStale(0);
    });
    // Verify the encoders in the background (cached per ffmpeg binary: usually instant).
    this.hw.report().catch((err) => this.events.log('error', `hardware probe failed: ${(err as Error).message}`));
    this.streams.start();
    this.rescans.start();
    this.plexGuide.start();
    this.serverPush.start();
    this.started = true;
    if (this.config.backupDaily) {
      this.backupJob = schedule.scheduleJob('daily backup', '30 3 * * *', () => {
        this.backups.create('daily').catch((err) => this.events.log('error', `daily backup failed: ${(err as Error).message}`));
      });
    }
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
    this.backupJob?.cancel();
    this.backupJob = null;
    await this.rescans.close();
    await this.plexGuide.close();
    this.serverPush.close();
    await this.backups.idle();
    await this.streams.close();
    await this.scans.stopAll();
    await this.hw.close();
    this.store.close();
  }
}

/** Discovery status with both parts off for one reason. */
function offStatus(reason: string): DiscoveryStatus {
  return { udp: { on: false, port: null, reason }, ssdp: { on: false, addresses: [], reason } };
}
