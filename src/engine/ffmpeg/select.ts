// Which audio and subtitle stream of an item plays, from its probed streams (absolute indexes:
// `-map 0:a:m:language:xx` fails when nothing matches and maps every match, so we never use it).
import type { MediaStream } from '../../schemas/library.js';

/** ISO 639-1 and 639-2/B codes → 639-2/T, so "en", "eng", "fre", "fra" and "fr" compare equal. */
const ALIASES: Record<string, string> = {
  en: 'eng', fr: 'fra', fre: 'fra', de: 'deu', ger: 'deu', es: 'spa', it: 'ita', pt: 'por', nl: 'nld', dut: 'nld',
  ja: 'jpn', zh: 'zho', chi: 'zho', ko: 'kor', ru: 'rus', sv: 'swe', no: 'nor', nb: 'nob', da: 'dan', fi: 'fin',
  pl: 'pol', cs: 'ces', cze: 'ces', sk: 'slk', slo: 'slk', el: 'ell', gre: 'ell', tr: 'tur', ar: 'ara', he: 'heb',
  hi: 'hin', hu: 'hun', ro: 'ron', rum: 'ron', uk: 'ukr', fa: 'fas', per: 'fas', is: 'isl', ice: 'isl', sq: 'sqi',
  alb: 'sqi', hy: 'hye', arm: 'hye', eu: 'eus', baq: 'eus', my: 'mya', bur: 'mya', ka: 'kat', geo: 'kat', mk: 'mkd',
  mac: 'mkd', mi: 'mri', mao: 'mri', ms: 'msa', may: 'msa', bo: 'bod', tib: 'bod', cy: 'cym', wel: 'cym', th: 'tha',
  vi: 'vie', id: 'ind', ca: 'cat', hr: 'hrv', sr: 'srp', bg: 'bul', sl: 'slv', lt: 'lit', lv: 'lav', et: 'est',
};

/** Canonical language code ("" for unknown / undetermined). */
export function normLang(lang: string | null | undefined): string {
  const l = (lang ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (!l || l === 'und' || l === 'unk' || l === 'mis' || l === 'zxx') return '';
  return ALIASES[l] ?? l;
}

const langIs = (s: MediaStream, want: string): boolean => want !== '' && normLang(s.language) === normLang(want);

/** default first, then most channels, then the lowest index. */
const audioRank = (a: MediaStream, b: MediaStream): number =>
  Number(b.isDefault) - Number(a.isDefault) || (b.channels ?? 0) - (a.channels ?? 0) || a.index - b.index;

/** Audio: the first preferred language present, else the default track, else the one with most channels. */
export function pickAudio(streams: readonly MediaStream[], languages: readonly string[] = []): MediaStream | null {
  const audio = streams.filter((s) => s.type === 'audio');
  for (const lang of languages) {
    const hits = audio.filter((s) => langIs(s, lang));
    if (hits.length) return [...hits].sort(audioRank)[0]!;
  }
  return [...audio].sort(audioRank)[0] ?? null;
}

export const TEXT_SUBTITLES: ReadonlySet<string> = new Set(['subrip', 'srt', 'ass', 'ssa', 'mov_text', 'webvtt', 'text', 'microdvd', 'subviewer', 'jacosub', 'realtext', 'sami', 'stl', 'mpl2', 'pjs', 'vplayer']);
export const IMAGE_SUBTITLES: ReadonlySet<string> = new Set(['hdmv_pgs_subtitle', 'dvd_subtitle', 'dvb_subtitle', 'xsub']);

export type SubtitleWhich = 'forced' | 'default' | 'any';

export interface SubtitlePick {
  /** Absolute stream index (overlay maps 0:<index>). */
  index: number;
  /** Index among the file's subtitle streams (the subtitles filter's si=). */
  subIndex: number;
  kind: 'text' | 'image';
  codec: string;
  language: string | null;
}

/**
 * Subtitles to burn in: among streams we can render (text via libass, images via overlay) and that
 * pass `which` (forced: forced only; default: default or forced; any), the first preferred language
 * present (any language when none is listed), forced before default before others, lowest index last.
 */
export function pickSubtitle(streams: readonly MediaStream[], languages: readonly string[], which: SubtitleWhich): SubtitlePick | null {
  const subs = streams.filter((s) => s.type === 'subtitle').sort((a, b) => a.index - b.index);
  const usable = subs.filter((s) => s.codec && (TEXT_SUBTITLES.has(s.codec) || IMAGE_SUBTITLES.has(s.codec)))
    .filter((s) => which === 'any' || s.isForced || (which === 'default' && s.isDefault));
  const rank = (a: MediaStream, b: MediaStream) =>
    Number(b.isForced) - Number(a.isForced) || Number(b.isDefault) - Number(a.isDefault) || a.index - b.index;
  let chosen: MediaStream | undefined;
  if (languages.length) {
    for (const lang of languages) {
      const hits = usable.filter((s) => langIs(s, lang));
      if (hits.length) { chosen = [...hits].sort(rank)[0]; break; }
    }
  } else {
    chosen = [...usable].sort(rank)[0];
  }
  if (!chosen) return null;
  return {
    index: chosen.index, subIndex: subs.indexOf(chosen), kind: TEXT_SUBTITLES.has(chosen.codec!) ? 'text' : 'image',
    codec: chosen.codec!, language: chosen.language,
  };
}
