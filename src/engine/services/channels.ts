import { canonicalChannelNumber, type Channel, type ChannelInput, type ChannelPatch, type StreamSettings } from '../../schemas/channel.js';
import { NotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { ChannelRecord } from '../store/repos/channels.js';
import type { TimelineService } from '../timeline/service.js';
import { randomSeed } from '../schedule/rng.js';
import { assertContentExists } from '../store/content.js';

export class ChannelService {
  /**
   * checkStream vets new stream settings (profile usable here, watermark file allowed); checkLogo a
   * new logo that is a file path (an allowed image); both throw to refuse.
   */
  constructor(private readonly store: Store, private readonly timeline: TimelineService,
    private readonly checkStream: (next: StreamSettings, cur: StreamSettings | null) => void = () => {},
    private readonly checkLogo: (path: string) => void = () => {},
    /** Told after a channel's stream settings or name changed (its live session may restart; its slates are new). */
    private readonly streamChanged: (channelId: number) => void = () => {}) {}

  private vetLogo(logo: string | null | undefined, cur: string | null): void {
    if (logo && logo.startsWith('/') && logo !== cur) this.checkLogo(logo);
  }

  list(): Channel[] { return this.store.channels.list(); }

  /**
   * The image file of a channel's file-path logo, vetted again (the file or the library folders may
   * have changed since it was set). 404 alike for no channel, no file logo and a refused file.
   */
  logoFile(id: number): string {
    const logo = this.store.channels.find(id)?.logo;
    const missing = () => new NotFoundError(`logo of channel #${id}`);
    if (!logo?.startsWith('/')) throw missing();
    try { this.checkLogo(logo); } catch { throw missing(); }
    return logo;
  }
  get(number: string): Channel { return this.store.channels.getByNumber(number); }
  /** The enabled channel a tuning URL names (`5`, `05.1`…: any spelling of its number), else a 404 naming `label`. */
  tunable(raw: string, label = raw): Channel {
    const number = canonicalChannelNumber(raw);
    const ch = number ? this.store.channels.findByNumber(number) : undefined;
    if (!ch || !ch.enabled) throw new NotFoundError(`channel ${label}`);
    return ch;
  }

  /** Creates the channel and its first days of timeline in one transaction. */
  create(input: ChannelInput, seed = randomSeed()): Channel {
    assertContentExists(this.store, input.content);
    this.checkStream(input.stream, null);
    this.vetLogo(input.logo, null);
    return this.store.tx(() => {
      const ch = this.store.channels.create({
        number: input.number, name: input.name, group: input.group ?? null, logo: input.logo || null, enabled: input.enabled,
        stream: input.stream, definition: { kind: 'flood', order: input.order, content: input.content },
      }, seed);
      this.timeline.rebuild(ch.id);
      return this.store.channels.find(ch.id)!;
    });
  }

  /** Applies a partial edit; a changed schedule rebuilds from now without cutting the row on air. */
  update(number: string, patch: ChannelPatch): Channel {
    const cur = this.get(number);
    if (patch.content) assertContentExists(this.store, patch.content);
    const next: ChannelRecord = {
      number: patch.number ?? cur.number,
      name: patch.name ?? cur.name,
      group: patch.group !== undefined ? patch.group : cur.group,
      logo: patch.logo !== undefined ? patch.logo || null : cur.logo,
      enabled: patch.enabled ?? cur.enabled,
      stream: { ...cur.stream, ...patch.stream },
      // Content or order given: the channel gets the simple schedule; else its schedule stays as it is.
      definition: patch.order !== undefined || patch.content !== undefined
        ? { kind: 'flood', order: patch.order ?? cur.order, content: patch.content ?? cur.content }
        : this.store.channels.definition(cur.id).stored,
    };
    if (patch.stream) this.checkStream(next.stream, cur.stream);
    this.vetLogo(patch.logo, cur.logo);
    const scheduleChanged = JSON.stringify(next.definition) !== JSON.stringify(this.store.channels.definition(cur.id).stored);
    const updated = this.store.tx(() => {
      const ch = this.store.channels.update(cur.id, next);
      if (scheduleChanged) this.timeline.rebuild(ch.id);
      return this.store.channels.find(ch.id)!;
    });
    // The name is on the channel's slates too.
    if (patch.stream || (patch.name !== undefined && patch.name !== cur.name)) this.streamChanged(updated.id);
    return updated;
  }

  remove(number: string): void {
    const cur = this.get(number);
    this.store.channels.remove(cur.id);
  }

  /** Rebuilds every channel that airs this content (after its items changed). */
  rebuildUsersOf(ref: Parameters<Store['channels']['usersOf']>[0]): void {
    for (const ch of this.store.channels.usersOf(ref)) this.timeline.rebuild(ch.id);
  }
}
