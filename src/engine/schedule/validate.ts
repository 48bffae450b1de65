// Checks a schedule definition against itself and the library: every key used exists, content
// exists, times make sense, redirect and mirror targets are real channels. Errors name the field.
import type { ScheduleDefinition } from '../../schemas/schedule.js';
import { canonicalChannelNumber } from '../../schemas/channel.js';
import { InvalidError } from '../errors.js';
import { assertContentExists } from '../store/content.js';
import type { Store } from '../store/store.js';
import { assertTimeZone } from './local-time.js';

export function validateDefinition(def: ScheduleDefinition, store: Store, self: string | null, base = 'schedule'): void {
  const keys = new Set<string>();
  def.sources.forEach((s, i) => {
    if (keys.has(s.key)) throw new InvalidError(`${base}.sources.${i}.key`, `"${s.key}" is used twice`);
    keys.add(s.key);
    assertContentExists(store, s.content, `${base}.sources.${i}.content`);
  });
  const known = (key: string, path: string) => {
    if (!keys.has(key)) throw new InvalidError(path, `no source "${key}" (sources: ${[...keys].join(', ') || 'none'})`);
  };
  const channel = (raw: string, path: string) => {
    const n = canonicalChannelNumber(raw);
    if (!n) throw new InvalidError(path, `"${raw}" is not a channel number`);
    if (n === self) throw new InvalidError(path, 'a channel cannot point at itself');
    if (!store.channels.findByNumber(n)) throw new InvalidError(path, `channel ${n} does not exist`);
  };
  if (def.timezone) {
    try { assertTimeZone(def.timezone); } catch { throw new InvalidError(`${base}.timezone`, `unknown time zone "${def.timezone}" (e.g. Europe/Berlin)`); }
  }
  const m = def.main;
  switch (m.mode) {
    case 'flood': m.sources.forEach((s, i) => known(s.source, `${base}.main.sources.${i}.source`)); break;
    case 'random_slots': m.slots.forEach((s, i) => known(s.source, `${base}.main.slots.${i}.source`)); break;
    case 'mirror': channel(m.channel, `${base}.main.channel`); break;
    case 'time_slots': {
      const seen = new Set<string>();
      m.slots.forEach((s, i) => {
        known(s.source, `${base}.main.slots.${i}.source`);
        if (m.period === 'week' && s.day === undefined) throw new InvalidError(`${base}.main.slots.${i}.day`, 'is required for a week period (0 = Sunday)');
        if (m.period === 'day' && s.day !== undefined) throw new InvalidError(`${base}.main.slots.${i}.day`, 'only week periods have days');
        const at = `${s.day ?? ''}@${s.start}`;
        if (seen.has(at)) throw new InvalidError(`${base}.main.slots.${i}.start`, `another slot already starts at ${s.start}${s.day !== undefined ? ` on day ${s.day}` : ''}`);
        seen.add(at);
      });
      break;
    }
  }
  def.filler.lists.forEach((l, i) => known(l.source, `${base}.filler.lists.${i}.source`));
  def.blocks.forEach((b, i) => {
    if (b.start === b.end) throw new InvalidError(`${base}.blocks.${i}.end`, 'must differ from start');
    if (b.source !== undefined) known(b.source, `${base}.blocks.${i}.source`);
    if (b.redirect !== undefined) channel(b.redirect, `${base}.blocks.${i}.redirect`);
  });
  if (def.onDemand && m.mode === 'mirror') throw new InvalidError(`${base}.onDemand`, 'a mirror follows another channel and cannot be on-demand');
}
