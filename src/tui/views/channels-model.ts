// The Channels view's state without a screen: the channel list, what is on now and next per
// channel (each cached until its programme ends; "nothing scheduled" retried a minute later), and a
// pending selection (a drill-down from the Dashboard: select channel N, maybe open its tune URLs).
import type { Channel } from '../../schemas/channel.js';
import type { TimelineRowOut } from '../../schemas/timeline.js';
import { rowTitle } from './channel-shared.js';

interface NowNext { now: TimelineRowOut | null; next: TimelineRowOut | null; until: number; error?: string }
export interface Pending { select?: string; tune?: boolean }

/** An unscheduled channel (404) or an error is asked again after this. */
export const RETRY_MS = 60_000;

export class ChannelsModel {
  channels: Channel[] = [];
  loaded = false;
  pending: Pending | null = null;
  private readonly nowNext = new Map<string, NowNext>();

  setChannels(list: Channel[]): void {
    this.channels = list;
    this.loaded = true;
  }

  /** Channels whose now/next must be asked (none known, or the programme ended). */
  due(force: boolean, now = Date.now()): Channel[] {
    return this.channels.filter((c) => force || (this.nowNext.get(c.number)?.until ?? 0) <= now);
  }

  /** Some programme on the list ended: ask again. */
  anyEnded(now = Date.now()): boolean {
    return this.loaded && this.channels.some((c) => (this.nowNext.get(c.number)?.until ?? 0) <= now);
  }

  setNow(number: string, row: TimelineRowOut, next: TimelineRowOut | null): void {
    this.nowNext.set(number, { now: row, next, until: Date.parse(row.end) });
  }

  setNowError(number: string, err: { status?: number; message?: string }, now = Date.now()): void {
    this.nowNext.set(number, { now: null, next: null, until: now + RETRY_MS, error: err.status === 404 ? 'nothing scheduled' : (err.message ?? 'error') });
  }

  forget(number?: string): void {
    if (number === undefined) this.nowNext.clear();
    else this.nowNext.delete(number);
  }

  /** The NOW / NEXT cells: … while asking, the error under NOW, — when nothing follows. */
  nowText(number: string, which: 'now' | 'next'): string {
    const n = this.nowNext.get(number);
    if (!n) return '…';
    if (n.error) return which === 'now' ? `✖ ${n.error}` : '';
    const r = n[which];
    return r ? rowTitle(r) : '—';
  }

  /** What the `/` filter matches: number, name, group and the programme on now. */
  filterText(c: Channel): string {
    return `${c.number} ${c.name} ${c.group ?? ''} ${this.nowNext.get(c.number)?.now?.title ?? ''}`;
  }

  /** The pending selection once the list is loaded (taken: it applies once), with its channel. */
  takePending(): { select: string; tune: boolean; channel: Channel | undefined } | null {
    if (!this.pending || !this.loaded) return null;
    const p = this.pending;
    this.pending = null;
    if (!p.select) return null;
    return { select: p.select, tune: !!p.tune, channel: this.channels.find((x) => x.number === p.select) };
  }
}
