// XML text rules shared by every XML this box writes (XMLTV guide, UPnP device description):
// the one escape and the one filter of characters XML 1.0 does not allow.

/**
 * Characters outside XML 1.0's Char production, plus ones we drop on purpose: DEL and C1 controls
 * (U+007F–U+009F; legal but tv_validate_file reports them as mis-encoded windows-1252) and U+FFFD
 * (carries no text; tv_validate_file reports it as mis-encoding). With the u flag a lone surrogate is
 * its own code point and matches; a proper pair is one astral code point and does not.
 */
const NOT_XML_CHAR = /[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffc\u{10000}-\u{10ffff}]/u;
const NOT_XML_CHARS = new RegExp(NOT_XML_CHAR.source, 'gu');

/** Drops every character that may not (or should not) appear in an XML 1.0 document. */
export function stripInvalidXml(s: string): string {
  return NOT_XML_CHAR.test(s) ? s.replace(NOT_XML_CHARS, '') : s;
}

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes & < > " ' (safe in text and in double- or single-quoted attributes). */
export function escapeXml(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ENTITY[c]!) : s;
}

/** Any text as XML character data: invalid characters dropped, specials escaped. */
export const xmlText = (s: string): string => escapeXml(stripInvalidXml(s));
