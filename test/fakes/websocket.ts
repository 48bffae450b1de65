// A minimal RFC 6455 WebSocket server side for the fakes (text frames, close, ping): the handshake on
// an HTTP upgrade, server frames unmasked, client frames unmasked as they arrive in pieces.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export interface FakeSocket { send(text: string): void; close(): void; readonly closed: boolean }

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len])
    : len < 65_536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
    : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  return Buffer.concat([head, payload]);
}

/** Accepts the upgrade and calls onText for each text message; returns the socket. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, onText: (text: string) => void): FakeSocket {
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let closed = false;
  let buf = Buffer.alloc(0);
  const ws: FakeSocket = {
    get closed() { return closed; },
    send(text) { if (!closed) socket.write(frame(1, Buffer.from(text))); },
    close() { if (!closed) { closed = true; socket.end(frame(8, Buffer.alloc(0))); } },
  };
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const opcode = buf[0]! & 0x0f;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
      const masked = (buf[1]! & 0x80) !== 0;
      if (buf.length < at + (masked ? 4 : 0) + len) return;
      const mask = masked ? buf.subarray(at, at + 4) : null;
      at += masked ? 4 : 0;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buf = buf.subarray(at + len);
      if (opcode === 1) onText(payload.toString('utf8'));
      else if (opcode === 8) { ws.close(); return; }
      else if (opcode === 9) socket.write(frame(10, payload));
    }
  });
  socket.on('close', () => { closed = true; });
  socket.on('error', () => { closed = true; });
  return ws;
}
