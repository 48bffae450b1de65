// The contract between the app shell and its views. A view is created once, owns its widgets
// (created once, updated in render()), and is told when it is shown and hidden.
import type { Widgets } from 'blessed';
import type { ApiClient, StreamedEvent } from '../client/api-client.js';
import type { Binding } from './keymap.js';
import type { Model } from './model.js';
import type { SysSource } from './sysstats.js';
import type { Theme } from './theme.js';

export interface Pane {
  /** The bordered element that shows the focus. */
  element: Widgets.BoxElement;
  /** Its title (what a key that works in another pane names). */
  readonly label?: string;
  /** Navigation keys (j/k, arrows, g/G, PgUp/PgDn); true when handled. */
  handleKey?(id: string): boolean;
  /** Supports the `/` filter. */
  filter?: { get(): string; set(text: string): void };
  setFocused(focused: boolean): void;
}

export interface View {
  readonly id: string;
  readonly title: string;
  /** The view's container in the body area. */
  readonly root: Widgets.BoxElement;
  readonly panes: Pane[];
  readonly bindings: Binding[];
  /** Became visible: start polling, load. */
  show(arg?: unknown): void;
  /** Hidden: stop polling. */
  hide(): void;
  /** `r`: reload everything this view shows. */
  refresh(): void;
  /** Copy state into the widgets (called before every screen render while visible). */
  render(): void;
  onEvent?(e: StreamedEvent): void;
  destroy?(): void;
}

export interface AttachInfo {
  /** What the header shows: the API's base URL. */
  apiUrl: string;
  /** daemon: a running exstreamtv; in-process: served by this TUI; remote: --url. */
  mode: 'daemon' | 'in-process' | 'remote';
  host: string;
  /** A note for the flash line at start (e.g. the port was busy). */
  note?: string;
  /** HTTP status of a HEAD request (URL availability on the Tuner view). */
  probe(path: string): Promise<number>;
}

export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'choice' | 'checklist';
  value?: string;
  /** choice: the options; checklist: the items (value = key). */
  options?: { value: string; label: string }[];
  /** checklist: checked keys. */
  checked?: string[];
  hint?: string;
  /** text: the input's width in cells (default 40; e.g. 8 for a number, so the hint has room). */
  size?: number;
  /** text: shown as • (an API key), never as typed. */
  secret?: boolean;
}

export type FormValues = Record<string, string | string[]>;

export interface FormSpec {
  title: string;
  fields: FormField[];
  submitLabel?: string;
  /** Saves; a thrown ApiError is shown in the form (message + issue per field) and the form stays open. */
  submit(values: FormValues): Promise<string>;
  /** API issue path → form field name (default: the path's first segment). */
  fieldFor?(path: string): string | undefined;
}

export interface AppContext {
  readonly screen: Widgets.Screen;
  /** The area between the tab bar and the flash line: every view's root goes here. */
  readonly body: Widgets.BoxElement;
  readonly client: ApiClient;
  readonly model: Model;
  readonly theme: Theme;
  readonly readonly: boolean;
  readonly mouse: boolean;
  readonly info: AttachInfo;
  readonly sys: SysSource;
  /** Something changed: render soon (at most a few times a second). */
  invalidate(): void;
  flash(message: string, level?: 'ok' | 'err' | 'info'): void;
  /** `[y/N]`: resolves true only for y. */
  confirm(question: string): Promise<boolean>;
  prompt(label: string, initial?: string): Promise<string | null>;
  form(spec: FormSpec): void;
  /** A read-only text popup (e.g. the tune URLs); `copy` is what `y` copies; close() takes it away. */
  message(title: string, lines: string[], copy?: string): { close(): void };
  /** Runs an action: `working` (default "what…") while it runs, then its result or its error. */
  act(what: string, fn: () => Promise<string | void>, working?: string): Promise<void>;
  go(viewId: string, arg?: unknown): void;
  /** Moves the keyboard focus to one of the active view's panes. */
  focus(pane: Pane): void;
  /** Copies text to the user's clipboard (OSC 52: works over SSH in most terminals). */
  copy(text: string): void;
}

export interface ViewDef {
  id: string;
  title: string;
  create(ctx: AppContext): View;
}
