// The Library view's "add source" form, data-driven: one entry per kind of source, each with its
// form fields and what submitting them does (through the API only). Media servers connect first
// (the health check's answer is shown), then ask which libraries to add; added sources are handed
// back to the view, which scans those that need it with the usual progress bar.
import type { ApiClient } from '../../client/api-client.js';
import type { MediaSource } from '../../schemas/library.js';
import type { FormField, FormSpec, FormValues } from '../view.js';
import { connectServer, fieldError, plexSubmit } from './source-servers.js';

/** What a kind's submit may do besides calling the API. */
export interface AddContext {
  client: ApiClient;
  /** Opens a further step (a form) once the current one has closed. */
  next(spec: FormSpec): void;
  /** Sources just added: the view lists and selects them, and scans them when `scan`. */
  added(sources: MediaSource[], scan: boolean): Promise<void>;
  /** A read-only popup (the Plex sign-in code and link); `copy` is what `y` copies. */
  message(title: string, lines: string[], copy?: string): { close(): void };
  flash(message: string, level?: 'ok' | 'err' | 'info'): void;
}

export interface SourceKind {
  kind: string;
  label: string;
  fields: FormField[];
  /** Adds the source (or opens the next step); resolves to the line shown when the form closes. */
  submit(add: AddContext, values: FormValues): Promise<string>;
}

const str = (v: FormValues[string] | undefined) => (typeof v === 'string' ? v.trim() : '');

const urlField = (hint: string): FormField => ({ name: 'url', label: 'Server URL', kind: 'text', value: 'http://', hint });

/** Jellyfin and Emby: the same sign-in (user + password exchanged once, or an API key). */
const mediaBrowserKind = (kind: 'jellyfin' | 'emby', label: string): SourceKind => ({
  kind, label,
  fields: [
    urlField('e.g. http://192.168.1.10:8096'),
    { name: 'username', label: 'User', kind: 'text', hint: 'or leave empty and give an API key' },
    { name: 'password', label: 'Password', kind: 'text', secret: true, hint: 'used once, never stored' },
    { name: 'token', label: 'API key', kind: 'text', secret: true, hint: 'instead of user + password' },
  ],
  submit: (add, v) => connectServer(add, kind, str(v.url), credentialsOf(v)),
});

export const SOURCE_KINDS: SourceKind[] = [
  {
    kind: 'local', label: 'local folder',
    fields: [{ name: 'path', label: 'Folder', kind: 'text', value: '/', hint: 'absolute path on the server' }],
    async submit(add, v) {
      const src = await add.client.request<MediaSource>('POST', '/api/sources', { kind: 'local', path: str(v.path) });
      await add.added([src], true);
      return `added source ${src.id} "${src.name}"; scanning`;
    },
  },
  mediaBrowserKind('jellyfin', 'Jellyfin server'),
  mediaBrowserKind('emby', 'Emby server'),
  {
    kind: 'plex', label: 'Plex server',
    fields: [
      { name: 'signIn', label: 'Sign in', kind: 'choice', value: 'token', options: [{ value: 'token', label: 'with a token' }, { value: 'plex.tv', label: 'with plex.tv' }] },
      urlField('e.g. http://192.168.1.10:32400 (plex.tv: may stay empty)'),
      { name: 'token', label: 'Token', kind: 'text', secret: true, hint: 'X-Plex-Token (not needed with plex.tv)' },
    ],
    submit: (add, v) => plexSubmit(add, str(v.signIn), str(v.url).replace(/^https?:\/\/$/, ''), str(v.token)),
  },
  {
    kind: 'archive', label: 'Archive.org',
    fields: [
      { name: 'by', label: 'By', kind: 'choice', value: 'query', options: [{ value: 'query', label: 'a search' }, { value: 'collection', label: 'a collection' }, { value: 'identifiers', label: 'item identifiers' }] },
      { name: 'what', label: 'Search', kind: 'text', value: '', hint: 'e.g. collection:classic_tv AND year:[1950 TO 1959]; a collection name; or identifiers, space-separated' },
      { name: 'maxItems', label: 'At most', kind: 'text', value: '500', size: 6, hint: 'items (the first ones by identifier)' },
    ],
    async submit(add, v) {
      const what = str(v.what);
      if (!what) throw fieldError('what', 'give a search, a collection name or identifiers');
      const by = str(v.by);
      const target = by === 'identifiers' ? { identifiers: what.split(/[\s,]+/).filter(Boolean) } : { [by === 'collection' ? 'collection' : 'query']: what };
      const src = await add.client.request<MediaSource>('POST', '/api/sources/archive', { ...target, maxItems: positiveInt(v.maxItems, 'maxItems') });
      await add.added([src], true);
      return `added Archive.org source ${src.id} "${src.name}"; scanning`;
    },
  },
  {
    kind: 'youtube', label: 'YouTube (yt-dlp, personal use)',
    fields: [
      { name: 'url', label: 'URL', kind: 'text', value: 'https://', hint: 'a video, playlist or channel; needs ytDlpPath set' },
      { name: 'maxItems', label: 'At most', kind: 'text', value: '200', size: 6, hint: 'videos (the listing\'s first ones)' },
    ],
    async submit(add, v) {
      const src = await add.client.request<MediaSource>('POST', '/api/sources/youtube', { url: str(v.url), maxItems: positiveInt(v.maxItems, 'maxItems') });
      await add.added([src], true);
      return `added YouTube source ${src.id} "${src.name}"; scanning`;
    },
  },
  {
    kind: 'iptv', label: 'IPTV playlist (M3U)',
    fields: [
      { name: 'playlist', label: 'Playlist', kind: 'text', value: '', hint: 'file path or http(s) URL' },
      { name: 'slotMinutes', label: 'Slot (min)', kind: 'text', value: '60', size: 6, hint: 'how long a stream airs as an item' },
      { name: 'channels', label: 'Live channels', kind: 'choice', value: 'no', options: [{ value: 'no', label: 'no: streams are items to schedule' }, { value: 'yes', label: 'yes: each stream also its own channel' }] },
    ],
    async submit(add, v) {
      const slot = Number(str(v.slotMinutes));
      if (!Number.isInteger(slot)) throw fieldError('slotMinutes', 'must be a whole number of minutes');
      const src = await add.client.request<MediaSource>('POST', '/api/sources/iptv', { playlist: str(v.playlist), slotMinutes: slot });
      await add.added([src], false);
      const live = str(v.channels) === 'yes' ? await add.client.request<unknown[]>('POST', `/api/sources/${src.id}/channels`, {}) : [];
      return `added IPTV source ${src.id} "${src.name}": ${src.items} streams${live.length ? `, ${live.length} live channels` : ''}`;
    },
  },
];

/** A whole number ≥ 1 from a text field, else an error at that field. */
function positiveInt(v: FormValues[string] | undefined, field: string): number {
  const n = Number(str(v));
  if (!Number.isInteger(n) || n < 1) throw fieldError(field, 'must be a whole number, 1 or more');
  return n;
}

/** Jellyfin/Emby credentials from the form: an API key, or a user and password. */
function credentialsOf(v: FormValues): Record<string, string> {
  const token = str(v.token);
  const username = str(v.username);
  if (token && username) throw fieldError('token', 'give a user and password, or an API key, not both');
  if (token) return { token };
  if (username) return { username, password: typeof v.password === 'string' ? v.password : '' };
  throw fieldError('username', 'give a user and password, or an API key');
}

/** The first step: which kind of source. */
export function chooseKindForm(add: AddContext, kinds: readonly SourceKind[] = SOURCE_KINDS): FormSpec {
  return {
    title: 'Add a source',
    submitLabel: 'next',
    fields: [{ name: 'kind', label: 'Kind', kind: 'choice', value: kinds[0]?.kind ?? '', options: kinds.map((k) => ({ value: k.kind, label: k.label })) }],
    async submit(v) {
      const k = kinds.find((x) => x.kind === v.kind);
      if (!k) throw fieldError('kind', 'choose a kind');
      add.next({ title: `Add source: ${k.label}`, submitLabel: 'add', fields: k.fields.map((f) => ({ ...f })), submit: (values) => k.submit(add, values) });
      return `add a source: ${k.label}`;
    },
  };
}
