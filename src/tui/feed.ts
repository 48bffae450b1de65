// Where the TUI's live events come from: the daemon's /api/events stream (SSE over loopback HTTP,
// reconnecting), or — in tests — an engine's event bus directly.
import type { EngineEvents, EventBus } from '../engine/events.js';
import { parseSseBlock, type StreamedEvent } from '../server/client.js';

export type FeedState = 'connecting' | 'live' | 'down';

/** Starts delivering events; returns a function that stops. */
export type EventFeed = (onEvent: (e: StreamedEvent) => void, onState: (s: FeedState) => void) => () => void;

/** Follows GET /api/events, reconnecting with a growing pause (0.5 s … 5 s) while the daemon is away. */
export function sseFeed(baseUrl: string): EventFeed {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/events`;
  return (onEvent, onState) => {
    const ac = new AbortController();
    let pause = 500;
    const loop = async () => {
      while (!ac.signal.aborted) {
        onState('connecting');
        try {
          const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: ac.signal });
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          onState('live');
          pause = 500;
          const decoder = new TextDecoder();
          let buf = '';
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            buf += decoder.decode(chunk, { stream: true });
            let cut: number;
            while ((cut = buf.indexOf('\n\n')) >= 0) {
              const e = parseSseBlock(buf.slice(0, cut));
              buf = buf.slice(cut + 2);
              if (e) onEvent(e);
            }
          }
        } catch {
          // fall through to the pause: refused, reset, aborted
        }
        if (ac.signal.aborted) break;
        onState('down');
        await new Promise<void>((r) => {
          const t = setTimeout(r, pause);
          ac.signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true });
        });
        pause = Math.min(5000, pause * 2);
      }
    };
    void loop();
    return () => ac.abort();
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
