// What a client of the admin API sends: the header that marks a request as not cross-site, and the
// admin token as a Bearer credential (see the README, "Security").

/** Sent by the CLI, the TUI and scripts on every request (any non-empty value): a browser page cannot send it cross-site. */
export const CLIENT_HEADER = 'x-exstreamtv';

/** Environment variable holding the admin token for a remote CLI or TUI. */
export const TOKEN_ENV = 'EXSTREAMTV_TOKEN';

/** Headers for one API request. */
export function authHeaders(token?: string | null): Record<string, string> {
  return token ? { [CLIENT_HEADER]: '1', authorization: `Bearer ${token}` } : { [CLIENT_HEADER]: '1' };
}
