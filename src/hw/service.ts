// The hardware verdicts of this box: detection cached per ffmpeg binary (path + mtime + size) and
// device set, in memory and in <data>/cache/hw.json; re-run on demand. Encoders that fail in use
// are counted and, after repeated failures, marked unhealthy (an event) and re-probed later.
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { EventBus } from '../engine/events.js';
import type { EncoderHardware, Usability } from '../engine/hardware.js';
import { ENCODERS, KIND_LABEL, codecLabel, type HwKind, type VideoCodec } from '../schemas/encoders.js';
import { DEFAULT_VAAPI_DEVICE } from '../engine/ffmpeg/filters.js';
import type { HwReport, KindReport } from '../schemas/hw.js';
import { deviceFingerprint } from './devices.js';
import { detect, probeKind, type DetectOptions } from './detect.js';
import { runProbeSync } from './probe.js';

export interface HwServiceOptions extends DetectOptions {
  /** Failures before first output that make a kind unhealthy. */
  failureThreshold?: number;
  /** How long an unhealthy kind waits before it is probed again. */
  reprobeMs?: number;
}

interface CacheFile { key: CacheKey; report: HwReport }
interface CacheKey { path: string; resolved: string | null; mtimeMs: number | null; size: number | null; devices: string }

interface Health { failures: number; consecutive: number; fallbacks: number; unhealthySince: number | null; reason: string | null; timer: NodeJS.Timeout | null }

/** Where a command name resolves on PATH (like `which`), or null. */
export function resolveBinary(cmd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = cmd.includes('/') ? [cmd] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try { if (statSync(c).isFile()) return realpathSync(c); } catch { /* next */ }
  }
  return null;
}


export class HwService implements EncoderHardware {
  private mem: CacheFile | null = null;
  private running: Promise<HwReport> | null = null;
  private readonly health = new Map<HwKind, Health>();
  /** Single-probe verdicts taken synchronously before any full detection ran. */
  private readonly quick = new Map<string, { ok: boolean; reason: string | null }>();
  private closed = false;
  readonly cacheFile: string;

  /** Tunable at run time (tests shorten the re-probe delay). */
  readonly opts: HwServiceOptions;

  constructor(private readonly ffmpeg: string, dataDir: string, private readonly events: EventBus, opts: HwServiceOptions = {}) {
    this.opts = { ...opts };
    this.cacheFile = join(dataDir, 'cache', 'hw.json');
  }

  private key(): CacheKey {
    const resolved = resolveBinary(this.ffmpeg);
    let mtimeMs: number | null = null, size: number | null = null;
    if (resolved) {
      try { const s = statSync(resolved); mtimeMs = s.mtimeMs; size = s.size; } catch { /* gone */ }
    }
    return { path: this.ffmpeg, resolved, mtimeMs, size, devices: deviceFingerprint() };
  }

  /** The verdicts without probing: memory, else the cache file when it matches this binary and these devices. */
  current(): HwReport | null {
    const key = JSON.stringify(this.key());
    if (this.mem && JSON.stringify(this.mem.key) === key) return this.withHealth({ ...this.mem.report, cached: true });
    const disk = this.readCache();
    if (disk && JSON.stringify(disk.key) === key) {
      this.mem = disk;
      return this.withHealth({ ...disk.report, cached: true });
    }
    return null;
  }

  /** The verdicts, probing when there are none for this binary (or when refresh is asked). */
  async report(opts: { refresh?: boolean } = {}): Promise<HwReport> {
    if (!opts.refresh) {
      const c = this.current();
      if (c) return c;
    }
    this.running ??= this.probeAll().finally(() => { this.running = null; });
    return this.withHealth(await this.running);
  }

  private async probeAll(): Promise<HwReport> {
    const key = this.key();
    const d = await detect(this.ffmpeg, this.opts);
    const { version, ...rest } = d;
    const report: HwReport = { ffmpeg: { path: this.ffmpeg, resolved: key.resolved, version, mtimeMs: key.mtimeMs }, cached: false, ...rest };
    this.mem = { key, report };
    this.quick.clear();
    // A fresh probe clears the health of every kind it verified.
    for (const k of report.kinds) if (k.status === 'verified') this.resetHealth(k.kind);
    this.writeCache({ key, report });
    const verified = report.kinds.filter((k) => k.status === 'verified').map((k) => k.kind);
    this.events.log('info', `hardware probe: ${verified.join(', ') || 'nothing'} verified in ${report.durationMs} ms`);
    return report;
  }

  private readCache(): CacheFile | null {
    try {
      if (!existsSync(this.cacheFile)) return null;
      const j = JSON.parse(readFileSync(this.cacheFile, 'utf8')) as CacheFile;
      return j && j.key && j.report && Array.isArray(j.report.kinds) ? j : null;
    } catch {
      return null;
    }
  }

  private writeCache(c: CacheFile): void {
    try {
      mkdirSync(dirname(this.cacheFile), { recursive: true });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(c, null, 1));
      renameSync(tmp, this.cacheFile);
    } catch (err) {
      this.events.log('warn', `could not write the hardware cache ${this.cacheFile}: ${(err as Error).message}`);
    }
  }

  private h(kind: HwKind): Health {
    let h = this.health.get(kind);
    if (!h) this.health.set(kind, h = { failures: 0, consecutive: 0, fallbacks: 0, unhealthySince: null, reason: null, timer: null });
    return h;
  }

  private resetHealth(kind: HwKind): void {
    const h = this.health.get(kind);
    if (!h) return;
    if (h.timer) clearTimeout(h.timer);
    const was = h.unhealthySince !== null;
    this.health.set(kind, { failures: 0, consecutive: 0, fallbacks: h.fallbacks, unhealthySince: null, reason: null, timer: null });
    if (was) this.events.emit('encoder.health', { kind, healthy: true, reason: null, failures: 0 });
  }

  private withHealth(r: HwReport): HwReport {
    const kinds: KindReport[] = r.kinds.map((k) => {
      const h = this.health.get(k.kind);
      if (!h) return k;
      const unhealthy = h.unhealthySince !== null && k.status === 'verified';
      return {
        ...k, failures: h.failures, fallbacks: h.fallbacks,
        unhealthySince: h.unhealthySince ? new Date(h.unhealthySince).toISOString() : null,
        ...(unhealthy ? { status: 'unhealthy' as const, reason: h.reason } : {}),
      };
    });
    return { ...r, kinds };
  }

  /**
   * May this kind encode this codec now? Uses the probe verdicts; without any (nothing probed yet
   * for this binary) it runs that one probe synchronously (~0.1–0.5 s) rather than guess.
   */
  usability(kind: HwKind, codec: VideoCodec): Usability {
    const encoder = ENCODERS[kind][codec];
    if (!encoder) return { usable: false, encoder: '-', reason: `${KIND_LABEL[kind]} has no ${codecLabel(codec)} encoder`, status: 'unavailable' };
    let verdict: { ok: boolean; reason: string | null };
    const probe = this.current()?.kinds.find((k) => k.kind === kind)?.codecs.find((c) => c.codec === codec);
    if (probe) verdict = { ok: probe.status !== 'unavailable', reason: probe.reason };
    else {
      const qk = `${kind}/${codec}`;
      let q = this.quick.get(qk);
      if (!q) {
        const o = runProbeSync(this.ffmpeg, kind, codec);
        q = { ok: o.ok, reason: o.reason };
        this.quick.set(qk, q);
      }
      verdict = q;
    }
    // Not verified: that is the reason, whatever happened in use. Verified but failing in use: unhealthy.
    if (!verdict.ok) return { usable: false, encoder, reason: verdict.reason, status: 'unavailable' };
    const h = this.health.get(kind);
    if (h?.unhealthySince) {
      return { usable: false, encoder, reason: `${h.failures} failures in use, the last: ${h.reason ?? '?'} (re-probed every ${Math.round((this.opts.reprobeMs ?? 300_000) / 1000)} s)`, status: 'unhealthy' };
    }
    return { usable: true, encoder, reason: null, status: 'verified' };
  }

  /** The VA-API render node the probes used (the first with an H.264 encode entrypoint, else the first usable). */
  vaapiDevice(): string {
    const r = this.mem?.report;
    return r?.vaapi.find((v) => v.canEncode.h264)?.device ?? r?.devices.render.find((n) => n.readable && n.writable)?.path ?? DEFAULT_VAAPI_DEVICE;
  }

  /** A session's hardware encode failed before its first output (the item is retried in software). */
  recordFailure(kind: HwKind, reason: string): void {
    if (kind === 'software') return;
    const h = this.h(kind);
    h.failures++;
    h.consecutive++;
    h.fallbacks++;
    h.reason = reason;
    const threshold = this.opts.failureThreshold ?? 3;
    if (h.consecutive >= threshold && h.unhealthySince === null) {
      h.unhealthySince = Date.now();
      this.events.emit('encoder.health', { kind, healthy: false, reason, failures: h.failures });
      this.events.log('error', `${KIND_LABEL[kind]} marked unhealthy after ${h.consecutive} failures (${reason}); channels use software until it is verified again`);
      this.scheduleReprobe(kind);
    }
  }

  /** A hardware encode produced output: consecutive failures start over. */
  recordSuccess(kind: HwKind): void {
    const h = this.health.get(kind);
    if (h && h.unhealthySince === null) h.consecutive = 0;
  }

  private scheduleReprobe(kind: HwKind): void {
    const h = this.h(kind);
    if (h.timer || this.closed) return;
    h.timer = setTimeout(() => { h.timer = null; void this.reprobe(kind); }, this.opts.reprobeMs ?? 300_000);
    h.timer.unref();
  }

  /** Probes one kind again; verified → healthy again, else the next try is scheduled. */
  async reprobe(kind: HwKind): Promise<boolean> {
    const r = this.mem?.report;
    const compiled = new Set(r?.kinds.flatMap((k) => k.codecs.filter((c) => c.compiled).map((c) => c.encoder)) ?? []);
    const codecs = await probeKind(this.ffmpeg, kind, compiled, r?.vaapi.find((v) => v.canEncode.h264)?.device ?? DEFAULT_VAAPI_DEVICE, this.opts.probeTimeoutMs);
    if (this.closed) return false;
    const ok = codecs[0]?.status === 'verified';
    if (this.mem) {
      const kinds = this.mem.report.kinds.map((k) => (k.kind === kind ? { ...k, codecs, status: codecs[0]!.status, reason: codecs[0]!.reason } : k));
      this.mem = { key: this.mem.key, report: { ...this.mem.report, kinds } };
    }
    if (ok) {
      this.resetHealth(kind);
      this.events.log('info', `${KIND_LABEL[kind]} verified again`);
    } else {
      const h = this.h(kind);
      h.reason = codecs[0]?.reason ?? h.reason;
      this.scheduleReprobe(kind);
    }
    return ok;
  }

  /** Stops re-probe timers and waits for a detection in flight (its probes end within their time limit). */
  async close(): Promise<void> {
    this.closed = true;
    for (const h of this.health.values()) if (h.timer) clearTimeout(h.timer);
    await this.running?.catch(() => undefined);
  }
}
