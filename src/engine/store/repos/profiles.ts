import type { Db } from '../db.js';
import { json } from '../rows.js';
import type { EncoderProfile } from '../../../schemas/profile.js';

interface ProfileRow { name: string; settings: string; created_at: number; updated_at: number }

export type StoredProfile = Omit<EncoderProfile, 'builtIn'>;

// Profiles stored before `mode` existed transcode, as they always did.
const toProfile = (r: ProfileRow): StoredProfile => {
  const settings = json<Omit<StoredProfile, 'name'>>(r.settings, {} as Omit<StoredProfile, 'name'>);
  return { ...settings, mode: settings.mode ?? 'transcode', name: r.name };
};

/** User encoder profiles (the built-in ones live in code). Names compare case-insensitively. */
export class ProfilesRepo {
  constructor(private readonly db: Db) {}

  list(): StoredProfile[] {
    return (this.db.prepare('SELECT * FROM encoder_profiles ORDER BY name').all() as ProfileRow[]).map(toProfile);
  }

  find(name: string): StoredProfile | undefined {
    const r = this.db.prepare('SELECT * FROM encoder_profiles WHERE name = ?').get(name) as ProfileRow | undefined;
    return r && toProfile(r);
  }

  insert(p: StoredProfile): void {
    const { name, ...settings } = p;
    const now = Date.now();
    this.db.prepare('INSERT INTO encoder_profiles (name, settings, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, JSON.stringify(settings), now, now);
  }

  update(p: StoredProfile): void {
    const { name, ...settings } = p;
    this.db.prepare('UPDATE encoder_profiles SET settings = ?, updated_at = ? WHERE name = ?').run(JSON.stringify(settings), Date.now(), name);
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM encoder_profiles WHERE name = ?').run(name).changes > 0;
  }

  /** Channel numbers whose stream settings name this profile (case-insensitively). */
  channelsUsing(name: string): string[] {
    return (this.db.prepare(`SELECT number FROM channels WHERE lower(json_extract(stream, '$.profile')) = lower(?) ORDER BY number_major, number_minor`)
      .all(name) as { number: string }[]).map((r) => r.number);
  }

  /** Every channel's assigned profile name (channels without one are left out). */
  assignments(): { number: string; profile: string }[] {
    return this.db.prepare(`SELECT number, json_extract(stream, '$.profile') AS profile FROM channels
      WHERE json_extract(stream, '$.profile') IS NOT NULL ORDER BY number_major, number_minor`).all() as { number: string; profile: string }[];
  }
}
