import type { Db } from '../db.js';
import { bool, isoOr, json } from '../rows.js';
import { splitChannelNumber, streamSettings, type Channel, type ContentRef } from '../../../schemas/channel.js';
import { contentOf, isFullDefinition, storedDefinition, toFullDefinition, type ScheduleDefinition, type StoredDefinition } from '../../../schemas/schedule.js';
import { ConflictError, NotFoundError } from '../../errors.js';

interface ChannelRow {
  id: number; number: string; name: string; group_name: string | null; logo: string | null; enabled: number; stream: string;
  created_at: number; updated_at: number; definition: string | null; seed: number | null;
}

export interface ChannelRecord {
  number: string; name: string; group: string | null; logo: string | null; enabled: boolean;
  stream: Channel['stream']; definition: StoredDefinition;
}

const SELECT = `SELECT c.*, d.definition, d.seed FROM channels c LEFT JOIN schedule_definitions d ON d.channel_id = c.id`;
const ORDER = 'ORDER BY c.number_major, c.number_minor';

const parseStored = (text: string | null): StoredDefinition => storedDefinition.parse(json(text, { kind: 'flood' }));

const toChannel = (r: ChannelRow): Channel => {
  const def = parseStored(r.definition);
  const full = isFullDefinition(def);
  return {
    id: r.id, number: r.number, name: r.name, group: r.group_name, logo: r.logo, enabled: bool(r.enabled),
    order: full ? 'in_order' : def.order, content: contentOf(def), customSchedule: full, stream: streamSettings.parse(json(r.stream, {})),
    createdAt: isoOr(r.created_at), updatedAt: isoOr(r.updated_at),
  };
};

export class ChannelsRepo {
  constructor(private readonly db: Db) {}

  list(): Channel[] {
    return (this.db.prepare(`${SELECT} ${ORDER}`).all() as ChannelRow[]).map(toChannel);
  }

  find(id: number): Channel | undefined {
    const r = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ChannelRow | undefined;
    return r && toChannel(r);
  }

  findByNumber(number: string): Channel | undefined {
    const r = this.db.prepare(`${SELECT} WHERE c.number = ?`).get(number) as ChannelRow | undefined;
    return r && toChannel(r);
  }

  getByNumber(number: string): Channel {
    const c = this.findByNumber(number);
    if (!c) throw new NotFoundError(`channel ${number}`);
    return c;
  }

  /** The channel's schedule as a full definition (the simple form converted), its seed and revision. */
  definition(channelId: number): { definition: ScheduleDefinition; stored: StoredDefinition; seed: number; revision: number } {
    const r = this.db.prepare('SELECT definition, seed, revision FROM schedule_definitions WHERE channel_id = ?').get(channelId) as
      { definition: string; seed: number; revision: number } | undefined;
    if (!r) throw new NotFoundError(`schedule of channel ${channelId}`);
    const stored = parseStored(r.definition);
    return { definition: toFullDefinition(stored), stored, seed: r.seed, revision: r.revision };
  }

  private assertFreeNumber(number: string, exceptId?: number): void {
    const other = this.findByNumber(number);
    if (other && other.id !== exceptId) throw new ConflictError(`channel number ${number} is already used by "${other.name}"`, 'number');
  }

  /** Call inside a transaction together with the content checks and timeline build. */
  create(c: ChannelRecord, seed: number): Channel {
    this.assertFreeNumber(c.number);
    const now = Date.now();
    const { major, minor } = splitChannelNumber(c.number);
    const info = this.db.prepare(`INSERT INTO channels (number, number_major, number_minor, name, group_name, logo, enabled, stream, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(c.number, major, minor, c.name, c.group, c.logo, c.enabled ? 1 : 0, JSON.stringify(c.stream), now, now);
    const id = Number(info.lastInsertRowid);
    this.db.prepare('INSERT INTO schedule_definitions (channel_id, definition, seed, updated_at) VALUES (?, ?, ?, ?)')
      .run(id, JSON.stringify(c.definition), seed, now);
    return this.find(id)!;
  }

  update(id: number, c: ChannelRecord): Channel {
    this.assertFreeNumber(c.number, id);
    const now = Date.now();
    const { major, minor } = splitChannelNumber(c.number);
    this.db.prepare(`UPDATE channels SET number = ?, number_major = ?, number_minor = ?, name = ?, group_name = ?, logo = ?, enabled = ?,
      stream = ?, updated_at = ? WHERE id = ?`)
      .run(c.number, major, minor, c.name, c.group, c.logo, c.enabled ? 1 : 0, JSON.stringify(c.stream), now, id);
    this.db.prepare(`UPDATE schedule_definitions SET definition = ?, revision = revision + CASE WHEN definition = ? THEN 0 ELSE 1 END,
      updated_at = ? WHERE channel_id = ?`).run(JSON.stringify(c.definition), JSON.stringify(c.definition), now, id);
    return this.find(id)!;
  }

  remove(id: number): void {
    const info = this.db.prepare('DELETE FROM channels WHERE id = ?').run(id);
    if (info.changes === 0) throw new NotFoundError(`channel ${id}`);
  }

  /** Channels that mirror or redirect to this channel number. */
  dependentsOf(number: string): Channel[] {
    const ids = this.db.prepare(`SELECT d.channel_id AS id FROM schedule_definitions d WHERE json_extract(d.definition, '$.main.channel') = @n
      UNION SELECT d.channel_id FROM schedule_definitions d, json_each(d.definition, '$.blocks') b WHERE json_extract(b.value, '$.redirect') = @n`)
      .all({ n: number }) as { id: number }[];
    return ids.map((r) => this.find(r.id)!).filter(Boolean);
  }

  /** Channels whose schedule refers to this content. */
  usersOf(ref: ContentRef): Channel[] {
    // Simple definitions list content at $.content; full ones per source at $.sources[*].content.
    const ids = this.db.prepare(`SELECT d.channel_id AS id FROM schedule_definitions d, json_each(d.definition, '$.content') e
        WHERE json_extract(e.value, '$.type') = @type AND json_extract(e.value, '$.id') = @id
      UNION SELECT d.channel_id FROM schedule_definitions d, json_each(d.definition, '$.sources') s, json_each(s.value, '$.content') e
        WHERE json_extract(e.value, '$.type') = @type AND json_extract(e.value, '$.id') = @id`).all({ type: ref.type, id: ref.id }) as { id: number }[];
    return ids.map((r) => this.find(r.id)!).filter(Boolean);
  }
}
