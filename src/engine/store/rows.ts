// Small helpers shared by repositories to map SQLite rows.
export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
export const isoOr = (ms: number): string => new Date(ms).toISOString();
export const json = <T>(text: string | null | undefined, fallback: T): T => {
  if (text == null) return fallback;
  try { return JSON.parse(text) as T; } catch { return fallback; }
};
export const bool = (v: unknown): boolean => v === 1 || v === true;
/** Lower-cased title without leading articles, for sorting. */
export const sortTitle = (title: string): string => title.toLowerCase().replace(/^(the|a|an)\s+/, '').trim();
