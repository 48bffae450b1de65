// The daemon's recent log lines, kept in memory (a bounded ring) for `exstreamtv logs` and
// GET /api/logs; the full history is the journal's (or wherever stdout goes).
import { logMatches, type LogsQuery } from '../schemas/logs.js';
import type { EventBus, LogEvent } from './events.js';

export class LogRing {
  private readonly lines: LogEvent[] = [];

  constructor(bus: EventBus, readonly size = 2000) {
    bus.on('log', (e) => {
      this.lines.push(e);
      if (this.lines.length > size) this.lines.splice(0, this.lines.length - size);
    });
  }

  /** The newest `limit` lines passing the filters, oldest first. */
  list(q: Partial<LogsQuery> = {}): LogEvent[] {
    const hits = this.lines.filter((e) => logMatches(e, q));
    return hits.slice(Math.max(0, hits.length - (q.limit ?? 200)));
  }
}
