// Where the TUI's live events come from: the daemon's /api/events stream (SSE over loopback HTTP,
// reconnecting), or — in tests — an engine's event bus directly.
import http from 'node:http';
import type { EngineEvents, EventBus } from '../engine/events.js';
import { authHeaders } from '../schemas/auth.js';
import { parseSseBlock, type StreamedEvent } from '../client/api-client.js';

export type FeedState = 'connecting' | 'live' | 'down';

/** Starts delivering events; returns a function that stops. */
export type EventFeed = (onEvent: (e: StreamedEvent) => void, onState: (s: FeedState) => void) => () => void;

/**
 * Follows GET /api/events (node:http: a long-lived stream is cheaper without fetch's web
 * streams), reconnecting with a growing pause (0.5 s … 5 s) while the daemon is away.
 */
export function sseFeed(baseUrl: string, token?: string | null): EventFeed {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/api/events`);
  return (onEvent, onState) => {
    let stopped = false;
    let req: http.ClientRequest | null = null;
    let timer: NodeJS.Timeout | null = null;
    let pause = 500;
    const retry = () => {
      req = null;
      if (stopped) return;
      onState('down');
      timer = setTimeout(connect, pause);
      pause = Math.min(5000, pause * 2);
    };
    const connect = () => {
      if (stopped) return;
      onState('connecting');
      let done = false;
      const once = () => { if (!done) { done = true; retry(); } };
      req = http.get(url, { headers: { accept: 'text/event-stream', ...authHeaders(token) } }, (res) => {
        if (res.statusCode !== 200) { res.resume(); once(); return; }
        onState('live');
        pause = 500;
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          buf += chunk;
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const e = parseSseBlock(buf.slice(0, cut));
            buf = buf.slice(cut + 2);
            if (e) onEvent(e);
          }
        });
        res.on('end', once);
        res.on('error', once);
        res.on('close', once);
      });
      req.on('error', once);
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      req?.destroy();
    };
  };
}

/** The engine's bus as a feed (same event names and payloads as the SSE stream). */
export function busFeed(bus: EventBus, names: (keyof EngineEvents)[]): EventFeed {
  return (onEvent, onState) => {
    const offs = names.map((n) => bus.on(n, (data: unknown) => onEvent({ event: n, data })));
    onState('live');
    return () => { for (const off of offs) off(); };
  };
}
