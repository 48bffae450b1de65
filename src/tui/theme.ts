// Three themes: 256 colours, a 16-colour fallback, and monochrome when NO_COLOR is set
// (blessed itself ignores NO_COLOR). Colour is never the only carrier of state: every state also
// has a word or a symbol (● ✔ ✖ ▲ ▼), so the monochrome theme loses nothing.
import blessed from 'blessed';

/**
 * blessed 0.1.81 builds its 256→8 colour table at load time with the palette cut to 8 entries,
 * and memoises every lookup on the way: afterwards each '#rrggbb' resolves to one of 8 colours,
 * even on a 256-colour terminal. Emptying that memo once restores exact 256-colour matches.
 */
export function fixBlessedColourCache(): void {
  const cache = (blessed as unknown as { colors: { _cache: Record<string, number> } }).colors._cache;
  for (const k of Object.keys(cache)) delete cache[k];
}
fixBlessedColourCache();

export type ThemeName = 'color256' | 'color16' | 'mono';

type Wrap = (s: string) => string;

export interface Theme {
  name: ThemeName;
  /** Tag wrappers for already-escaped text. */
  ok: Wrap;
  warn: Wrap;
  err: Wrap;
  dim: Wrap;
  accent: Wrap;
  bold: Wrap;
  /** Table header row. */
  head: Wrap;
  /** The selected row of the focused table (and, dimmer, of an unfocused one). */
  selected: Wrap;
  selectedBlur: Wrap;
  /** Styles for blessed widgets. */
  border: { fg?: string };
  borderFocus: { fg?: string; bold?: boolean };
  bar: { fg?: string; bg?: string; bold?: boolean; inverse?: boolean };
  tabActive: Wrap;
  tabIdle: Wrap;
}

const tag = (open: string) => (s: string) => (s === '' ? s : `{${open}}${s}{/${open}}`);

export const THEMES: Record<ThemeName, Theme> = {
  color256: {
    name: 'color256',
    ok: tag('#5fd75f-fg'),
    warn: tag('#ffaf00-fg'),
    err: tag('#ff5f5f-fg'),
    dim: tag('#808080-fg'),
    accent: tag('#5fafff-fg'),
    bold: tag('bold'),
    head: (s) => `{bold}{#87afd7-fg}${s}{/#87afd7-fg}{/bold}`,
    selected: (s) => `{#005f87-bg}{#ffffff-fg}${s}{/#ffffff-fg}{/#005f87-bg}`,
    selectedBlur: (s) => `{#3a3a3a-bg}${s}{/#3a3a3a-bg}`,
    border: { fg: '#585858' },
    borderFocus: { fg: '#5fafff' },
    bar: { fg: '#ffffff', bg: '#303030' },
    tabActive: (s) => `{#005f87-bg}{#ffffff-fg}{bold}${s}{/bold}{/#ffffff-fg}{/#005f87-bg}`,
    tabIdle: tag('#a8a8a8-fg'),
  },
  color16: {
    name: 'color16',
    ok: tag('green-fg'),
    warn: tag('yellow-fg'),
    err: tag('red-fg'),
    dim: tag('gray-fg'),
    accent: tag('cyan-fg'),
    bold: tag('bold'),
    head: (s) => `{bold}{cyan-fg}${s}{/cyan-fg}{/bold}`,
    selected: (s) => `{blue-bg}{white-fg}${s}{/white-fg}{/blue-bg}`,
    selectedBlur: tag('inverse'),
    border: { fg: 'gray' },
    borderFocus: { fg: 'cyan' },
    bar: { fg: 'white', bg: 'blue' },
    tabActive: (s) => `{white-fg}{blue-bg}{bold}${s}{/bold}{/blue-bg}{/white-fg}`,
    tabIdle: (s) => s,
  },
  mono: {
    name: 'mono',
    ok: (s) => s,
    warn: tag('bold'),
    err: tag('bold'),
    dim: (s) => s,
    accent: tag('bold'),
    bold: tag('bold'),
    head: tag('underline'),
    selected: tag('inverse'),
    selectedBlur: tag('underline'),
    border: {},
    borderFocus: { bold: true },
    bar: { inverse: true },
    tabActive: tag('inverse'),
    tabIdle: (s) => s,
  },
};

/** NO_COLOR (any non-empty value, https://no-color.org) → mono; 256 colours → color256; else color16. */
export function pickTheme(env: NodeJS.ProcessEnv, colors: number): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return THEMES.mono;
  if (colors >= 256) return THEMES.color256;
  if (colors < 8) return THEMES.mono;
  return THEMES.color16;
}
