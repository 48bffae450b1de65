// Detection = verification: capability lists (what ffmpeg was built with), device nodes and
// drivers (hints), then a real 2-frame probe per kind and codec (the verdict).
import { execa } from 'execa';
import { ENCODERS, HW_KINDS, KIND_LABEL, VIDEO_CODECS, type HwKind } from '../schemas/encoders.js';
import { DEFAULT_VAAPI_DEVICE } from '../engine/ffmpeg/filters.js';
import type { CodecProbe, DeviceNode, HwReport, KindReport, VaapiInfo } from '../schemas/hw.js';
import { deviceNode, findLibrary, renderNodes, v4l2M2mNodes } from './devices.js';
import { isHwEncoder, isHwFilter, parseEncoders, parseFilters, parseHwaccels, parseVersion } from './ffmpeg-lists.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmi } from './nvidia-smi.js';
import { runProbe, type ProbeOutcome } from './probe.js';
import { parseVainfo, vaapiCanEncode } from './vainfo.js';

export interface RunResult { code: number | null; stdout: string; stderr: string; missing: boolean }

/** Runs a helper program (no shell) with a time limit; a missing program is not an error. */
export async function run(cmd: string, args: string[], timeoutMs = 5000): Promise<RunResult> {
  const r = await execa(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024, stdin: 'ignore', reject: false, stripFinalNewline: false });
  return { code: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr, missing: r.code === 'ENOENT' };
}

export interface Devices { render: DeviceNode[]; nvidia: DeviceNode; libcuda: string | null; v4l2m2m: DeviceNode[]; mpp: DeviceNode }

export async function scanDevices(): Promise<Devices> {
  let ld = '';
  for (const cmd of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    const r = await run(cmd, ['-p'], 3000);
    if (!r.missing) { ld = r.stdout; break; }
  }
  return {
    render: renderNodes(), nvidia: deviceNode('/dev/nvidia0'), libcuda: findLibrary(ld, 'libcuda.so.1'),
    v4l2m2m: v4l2M2mNodes(), mpp: deviceNode('/dev/mpp_service'),
  };
}

/** What the device checks say about a kind: shown next to the probe's verdict, never instead of it. */
export function kindHints(kind: HwKind, d: Devices, vaapi: VaapiInfo[], platform: NodeJS.Platform = process.platform): string[] {
  const h: string[] = [];
  const renderHint = () => {
    if (!d.render.length) h.push('no /dev/dri/renderD* node (no GPU driver loaded, or a container without the device passed in)');
    for (const n of d.render) if (n.note) h.push(`${n.path}: ${n.note}`);
  };
  switch (kind) {
    case 'nvenc':
      if (!d.nvidia.exists) h.push('no /dev/nvidia0 (NVIDIA driver not loaded)');
      else if (d.nvidia.note) h.push(`/dev/nvidia0: ${d.nvidia.note}`);
      if (!d.libcuda) h.push('libcuda.so.1 is not in the ldconfig cache (install the NVIDIA driver libraries)');
      break;
    case 'vaapi':
      renderHint();
      for (const v of vaapi) {
        if (v.error) h.push(`vainfo ${v.device}: ${v.error}`);
        else if (!v.canEncode.h264) h.push(`vainfo ${v.device}: driver ${v.driver ?? '?'} has no H.264 encode entrypoint (VAEntrypointEncSlice[LP])`);
      }
      break;
    case 'qsv':
      renderHint();
      h.push('on Linux, VA-API is usually the more reliable Intel path');
      break;
    case 'v4l2m2m':
      if (!d.v4l2m2m.length) h.push('no V4L2 memory-to-memory encoder in /dev/video* (Raspberry Pi 4 has one; Pi 5 has no hardware encoder)');
      for (const n of d.v4l2m2m) if (n.note && !n.readable) h.push(`${n.path}: ${n.note}`);
      break;
    case 'videotoolbox':
      if (platform !== 'darwin') h.push('VideoToolbox exists only on macOS');
      break;
    case 'amf':
      if (platform !== 'win32') h.push('AMF is mainly a Windows path; Debian\'s ffmpeg is built without it');
      break;
    case 'software':
      break;
  }
  return h;
}

async function vaapiInfo(nodes: DeviceNode[]): Promise<VaapiInfo[]> {
  const out: VaapiInfo[] = [];
  for (const n of nodes.filter((x) => x.exists)) {
    const r = await run('vainfo', ['--display', 'drm', '--device', n.path], 5000);
    if (r.missing) return [];
    const p = parseVainfo(`${r.stdout}\n${r.stderr}`);
    out.push({ device: n.path, driver: p.driver, error: p.error, entrypoints: p.entrypoints, canEncode: vaapiCanEncode(p.entrypoints) });
  }
  return out;
}

async function nvidiaSmi(): Promise<HwReport['nvidiaSmi']> {
  const r = await run('nvidia-smi', NVIDIA_SMI_ARGS, 5000);
  if (r.missing) return null;
  return parseNvidiaSmi(r.code === 0 ? r.stdout : `${r.stdout}\n${r.stderr}`);
}

/** Runs tasks with at most `limit` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) { const i = next++; out[i] = await tasks[i]!(); }
  }));
  return out;
}

export interface DetectOptions { concurrency?: number; probeTimeoutMs?: number }

/** Probes one kind: its first codec always, the others only when the first one works (same device). */
export async function probeKind(ffmpeg: string, kind: HwKind, compiled: Set<string>, vaapiDevice: string, timeoutMs?: number): Promise<CodecProbe[]> {
  const codecs = VIDEO_CODECS.filter((c) => ENCODERS[kind][c]);
  const out: CodecProbe[] = [];
  let first: ProbeOutcome | null = null;
  for (const codec of codecs) {
    const encoder = ENCODERS[kind][codec]!;
    if (first && !first.ok) {
      out.push({ codec, encoder, compiled: compiled.has(encoder), status: 'unavailable', reason: first.reason, probeMs: null });
      continue;
    }
    const r = await runProbe(ffmpeg, kind, codec, { vaapiDevice, ...(timeoutMs ? { timeoutMs } : {}) });
    // An encoder that is not built in fails on its private options before ffmpeg names it.
    if (!r.ok && !compiled.has(encoder) && r.reason && /Unrecognized option/i.test(r.reason)) {
      r.reason = `Unknown encoder '${encoder}': not built into this ffmpeg (ffmpeg said: ${r.reason})`;
    }
    first ??= r;
    out.push({ codec, encoder, compiled: compiled.has(encoder), status: r.ok ? 'verified' : 'unavailable', reason: r.reason, probeMs: r.ms });
  }
  return out;
}

/** The whole detection. Health (failures in use) is laid over it by HwService. */
export async function detect(ffmpeg: string, opts: DetectOptions = {}): Promise<Omit<HwReport, 'ffmpeg' | 'cached'> & { version: string | null }> {
  const t0 = performance.now();
  const [enc, acc, fil, ver, devices] = await Promise.all([
    run(ffmpeg, ['-hide_banner', '-encoders']), run(ffmpeg, ['-hide_banner', '-hwaccels']), run(ffmpeg, ['-hide_banner', '-filters']),
    run(ffmpeg, ['-version']), scanDevices(),
  ]);
  const encoders = parseEncoders(enc.stdout);
  const compiled = new Set(encoders.map((e) => e.name));
  const [vaapi, smi] = await Promise.all([vaapiInfo(devices.render), nvidiaSmi()]);
  const vaapiDevice = vaapi.find((v) => v.canEncode.h264)?.device ?? devices.render.find((n) => n.readable && n.writable)?.path ?? DEFAULT_VAAPI_DEVICE;
  const probes = await pool(HW_KINDS.map((kind) => () => probeKind(ffmpeg, kind, compiled, vaapiDevice, opts.probeTimeoutMs)), opts.concurrency ?? 4);
  const kinds: KindReport[] = HW_KINDS.map((kind, i) => {
    const codecs = probes[i]!;
    const main = codecs[0]!;
    return {
      kind, label: KIND_LABEL[kind], status: main.status, reason: main.reason, hints: kindHints(kind, devices, vaapi), codecs,
      failures: 0, fallbacks: 0, unhealthySince: null,
    };
  });
  return {
    version: parseVersion(ver.stdout),
    probedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    kinds,
    devices,
    vaapi,
    nvidiaSmi: smi,
    capabilities: {
      hwaccels: parseHwaccels(acc.stdout),
      hwEncoders: encoders.filter((e) => e.type === 'video' && isHwEncoder(e.name)).map((e) => e.name),
      hwFilters: parseFilters(fil.stdout).filter((f) => isHwFilter(f.name)).map((f) => f.name),
    },
  };
}
