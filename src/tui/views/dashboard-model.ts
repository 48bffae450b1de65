// The Dashboard's state and what it draws, without a screen: the host gauges as text for a width
// (CPU, memory, tuners, temperature, a GPU line only where a GPU reports its load), the session
// cells that are not plain fields, and the log pane's channel filter toggle.
import type { SessionRow } from '../model.js';
import type { SysSample } from '../sysstats.js';
import { bar, bytes, duration, esc, fit } from '../text.js';
import type { Theme } from '../theme.js';
import { readableReason } from '../errors.js';

type Colours = Pick<Theme, 'ok' | 'warn' | 'err' | 'dim' | 'bold'>;

const VALUE_W = 24;

export class DashboardModel {
  sys: SysSample | null = null;
  sysError = '';
  /** Rows the gauges took at the last render (2, or 3 with a GPU line). */
  gaugeRows = 2;

  setSample(s: SysSample): void { this.sys = s; this.sysError = ''; }
  setSampleError(message: string): void { this.sysError = message; }

  /** Two gauges per line: LABEL ████░░░░ value. State is in the words and ▲, not only the colour. */
  gauges(w: number, tuners: { count: number; inUse: number }, t: Colours): string {
    const col = Math.floor((w - 3) / 2);
    const barW = Math.max(6, col - 8 - 1 - VALUE_W);
    const g = (label: string, frac: number | null, value: string, warnAt = 0.9) => {
      const l = esc(fit(label, 7));
      if (frac === null) return `${t.bold(l)} ${t.dim(esc(fit(value, col - 8)))}`;
      const colour = frac >= warnAt ? t.err : frac >= warnAt - 0.2 ? t.warn : t.ok;
      return `${t.bold(l)} ${colour(esc(bar(frac, barW)))} ${esc(fit(`${value}${frac >= warnAt ? ' ▲ high' : ''}`, col - 8 - barW - 1))}`;
    };
    const sys = this.sys;
    const gpu = sys?.gpus.find((x) => x.utilization !== null);
    const cpu = sys ? g('CPU', sys.cpu / 100, `${sys.cpu.toFixed(0)} % · ${sys.cores} cores`) : g('CPU', null, this.sysError || 'reading…');
    const mem = sys ? g('MEMORY', sys.memTotal ? sys.memUsed / sys.memTotal : 0, `${bytes(sys.memUsed)} / ${bytes(sys.memTotal)}`) : g('MEMORY', null, '');
    const tun = tuners.count ? g('TUNERS', tuners.inUse / tuners.count, `${tuners.inUse} of ${tuners.count} in use`, 1) : g('TUNERS', null, 'tuner count unknown');
    const temp = sys?.temp != null ? g('TEMP', sys.temp / 100, `${sys.temp.toFixed(0)} °C`, 0.85) : g('TEMP', null, sys ? 'no sensor on this host' : '');
    const lines = [` ${cpu} ${mem}`, ` ${tun} ${temp}`];
    // A GPU line only where there is a GPU that reports its load (nvidia-smi).
    if (gpu && gpu.utilization !== null) {
      const vram = gpu.memUsed !== null && gpu.memTotal ? g('VRAM', gpu.memUsed / gpu.memTotal, `${bytes(gpu.memUsed)} / ${bytes(gpu.memTotal)}`) : '';
      lines.push(` ${g('GPU', gpu.utilization / 100, `${gpu.utilization.toFixed(0)} % ${gpu.model}`)} ${vram}`);
    }
    return lines.join('\n');
  }

  /** The new row count when the gauges grew or shrank (the tables move), else null. */
  rowsChanged(gaugeText: string): number | null {
    const rows = gaugeText.split('\n').length;
    if (rows === this.gaugeRows) return null;
    this.gaugeRows = rows;
    return rows;
  }
}

/** A session's uptime now: the polled value plus the time since the poll. */
export const sessionUptime = (r: SessionRow, sessionsAt: number, now = Date.now()): string =>
  duration(r.uptimeS + Math.max(0, Math.floor((now - sessionsAt) / 1000)));

export const lastErrorText = (r: SessionRow): string => (r.lastError ? `✖ ${readableReason(r.lastError)}` : '—');

/** `c`: the log pane's channel filter — the selected session's channel, or all again. */
export function toggleLogChannel(current: string | null, selected: { number: string } | undefined): { channel: string | null; message: string } {
  if (current !== null) return { channel: null, message: 'log: all channels' };
  if (!selected) return { channel: null, message: 'select a session to filter the log by its channel' };
  return { channel: selected.number, message: `log: channel ${selected.number} only (c again for all)` };
}
