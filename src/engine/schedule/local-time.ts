// Local wall-clock arithmetic for schedules ("20:00 every day" in the box's time zone), DST-safe.
// Results are cached per time zone and local date: the builders ask the same questions a lot.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a RangeError for an unknown time zone. */
export function assertTimeZone(tz: string): void {
  formatter(tz);
}

export const systemTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface LocalDate { y: number; m: number; d: number }

/** Local calendar fields of an instant. */
export function localParts(t: number, tz: string): LocalDate & { h: number; min: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute!, s: parts.second! };
}

/** Offset of the zone from UTC at instant t, in ms. */
function offsetAt(t: number, tz: string): number {
  const p = localParts(t, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(t / 1000) * 1000;
}

const offsetCache = new Map<string, number>();

/**
 * Offset of the zone from UTC at instant t, in ms (cached per UTC quarter hour: zones change
 * offset only on quarter hours).
 */
export function utcOffset(t: number, tz: string): number {
  const key = `${tz}|${Math.floor(t / 900_000)}`;
  let o = offsetCache.get(key);
  if (o === undefined) {
    o = offsetAt(t, tz);
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, o);
  }
  return o;
}

const instantCache = new Map<string, number>();

/**
 * The instant of local date + minutes after midnight. In a DST gap the time moves forward;
 * in an overlap the first occurrence wins.
 */
export function localInstant(date: LocalDate, minuteOfDay: number, tz: string): number {
  const key = `${tz}|${date.y}-${date.m}-${date.d}|${minuteOfDay}`;
  const hit = instantCache.get(key);
  if (hit !== undefined) return hit;
  const naive = Date.UTC(date.y, date.m - 1, date.d) + minuteOfDay * 60_000;
  // The offsets in force a day before and a day after; a wall time can be read with either.
  const before = offsetAt(naive - 86_400_000, tz);
  const after = offsetAt(naive + 86_400_000, tz);
  const reads = (c: number) => { const p = localParts(c, tz); return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) === naive; };
  const a = naive - before, b = naive - after;
  // Both read it: the clock repeats (the earlier wins); neither: the clock skips it (moved forward).
  const t = reads(a) && reads(b) ? Math.min(a, b) : reads(b) ? b : a;
  if (instantCache.size > 50_000) instantCache.clear();
  instantCache.set(key, t);
  return t;
}

const dateCache = new Map<string, LocalDate>();

/** Local date of instant t (cached per UTC quarter hour: every real zone offset is a multiple of 15 min). */
export function localDate(t: number, tz: string): LocalDate {
  const key = `${tz}|${Math.floor(t / 900_000)}`;
  let d = dateCache.get(key);
  if (!d) {
    const p = localParts(t, tz);
    d = { y: p.y, m: p.m, d: p.d };
    if (dateCache.size > 50_000) dateCache.clear();
    dateCache.set(key, d);
  }
  return d;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const u = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: u.getUTCFullYear(), m: u.getUTCMonth() + 1, d: u.getUTCDate() };
}

/** 0 = Sunday. */
export const weekday = (date: LocalDate): number => new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
