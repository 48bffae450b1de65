// Channel logos as the tuner face hands them out: an http(s) URL as it is, a file-path logo (an
// allowed image, vetted when set) as this box's /images/channels/{id}, so M3U and XMLTV readers
// (Jellyfin, Channels DVR, Plex) fetch it from here; anything else is left out.

/** Path of a channel's served logo (GET answers the image file). */
export const channelLogoPath = (id: number): string => `/images/channels/${id}`;

export const isHttpLogo = (s: string | null | undefined): boolean => !!s && /^https?:\/\/\S+$/i.test(s.trim());

/** The logo URL a guide or playlist shows: http(s) kept, a file path served by the box, else null. */
export function publicLogo(c: { id: number; logo: string | null }, baseUrl: string): string | null {
  if (c.logo && isHttpLogo(c.logo)) return c.logo.trim();
  return c.logo?.startsWith('/') ? `${baseUrl}${channelLogoPath(c.id)}` : null;
}

const TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml', bmp: 'image/bmp', ico: 'image/x-icon',
};

/** Content type of an image file by its extension (octet-stream when unknown: never sniffed as HTML). */
export function imageType(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}
