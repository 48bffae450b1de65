// Typed event bus: the engine emits, the API event stream / CLI / TUI listen.
import { EventEmitter } from 'node:events';
import type { ScanState } from '../schemas/library.js';

/** A log line; `channel` and `session` are structured fields (journald and `exstreamtv logs --channel`). */
export interface LogEvent { level: 'debug' | 'info' | 'warn' | 'error'; msg: string; at: string; channel?: string; session?: string }

export interface EngineEvents {
  'scan.progress': ScanState;
  'scan.finished': ScanState;
  'timeline.changed': { channelId: number; number: string; from: string };
  'log': LogEvent;
  'session.started': ChannelRef;
  'session.stopped': ChannelRef;
  'session.restart': ChannelRef & { restarts: number; reason: string };
  'session.error': ChannelRef & { message: string };
  'viewer.joined': ChannelRef & { viewers: number };
  'viewer.left': ChannelRef & { viewers: number };
  'item.changed': ChannelRef & { title: string; kind: 'media' | 'slate' };
  'session.bitrate': ChannelRef & { kbps: number; viewers: number };
  /** An encoder profile was edited or removed (profile), or a channel's stream settings or name changed (channelId). */
  'encoding.changed': { channelId: number | null; profile: string | null };
  /** A hardware encoder kind turned unhealthy (repeated failures in use) or healthy again (re-probed). */
  'encoder.health': { kind: string; healthy: boolean; reason: string | null; failures: number };
}

export interface ChannelRef { channelId: number; number: string }

export class EventBus {
  private readonly ee = new EventEmitter();
  constructor() { this.ee.setMaxListeners(100); }
  emit<K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]): void { this.ee.emit(name, payload); }
  on<K extends keyof EngineEvents>(name: K, fn: (payload: EngineEvents[K]) => void): () => void {
    this.ee.on(name, fn);
    return () => this.ee.off(name, fn);
  }
  log(level: LogEvent['level'], msg: string, channel?: string, session?: string): void {
    this.emit('log', { level, msg, at: new Date().toISOString(), ...(channel ? { channel } : {}), ...(session ? { session } : {}) });
  }
}
