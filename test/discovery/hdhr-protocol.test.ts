// The SiliconDust discovery protocol, pure: TLV lengths, CRC byte order, request matching, fuzz.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  answer, crc32, decodeFrame, decodeTlvs, DEVICE_ID_WILDCARD, DEVICE_TYPE_TUNER, DEVICE_TYPE_WILDCARD, discoverReply,
  discoverRequest, encodeFrame, encodeLength, encodeTlv, matchesRequest, MAX_TLV_LENGTH, parseReply, TAG,
  TYPE_DISCOVER_REQ, TYPE_DISCOVER_RPY, u32be, type DiscoverReplyInfo,
} from '../../src/engine/tuner/hdhr-protocol.js';
import { baseUrlFor, localIPv4For } from '../../src/discovery/addresses.js';

const JELLYFIN_REQ = Buffer.from('00 02 00 0c 01 04 ff ff ff ff 02 04 ff ff ff ff 73 cc 7d 8f'.replace(/ /g, ''), 'hex');
const OURS = 0x1050a0bc;
const INFO: DiscoverReplyInfo = { deviceId: '1050A0BC', tunerCount: 4, baseUrl: 'http://192.168.1.20:8410', lineupUrl: 'http://192.168.1.20:8410/lineup.json', deviceAuth: 'abcdef0123456789abcdef01' };

const req = (tlvs: { tag: number; value: Buffer }[], type = TYPE_DISCOVER_REQ) => encodeFrame(type, tlvs);
const devType = (v: number) => ({ tag: TAG.DEVICE_TYPE, value: u32be(v) });
const devId = (v: number) => ({ tag: TAG.DEVICE_ID, value: u32be(v) });

describe('hdhr protocol: TLV lengths', () => {
  test('one byte up to 127, two bytes (len&0x7f)|0x80, len>>7 above', () => {
    assert.deepEqual([...encodeLength(0)], [0]);
    assert.deepEqual([...encodeLength(127)], [0x7f]);
    assert.deepEqual([...encodeLength(128)], [0x80, 0x01]);
    assert.deepEqual([...encodeLength(200)], [0xc8, 0x01]);
    assert.deepEqual([...encodeLength(300)], [0xac, 0x02]);
    assert.deepEqual([...encodeLength(MAX_TLV_LENGTH)], [0xff, 0xff]);
    assert.throws(() => encodeLength(MAX_TLV_LENGTH + 1), RangeError);
    assert.throws(() => encodeLength(-1), RangeError);
  });

  test('values of 0…32767 bytes round-trip, both length forms', () => {
    for (const len of [0, 1, 126, 127, 128, 129, 200, 255, 256, 1000, 16383, 16384, MAX_TLV_LENGTH]) {
      const value = Buffer.alloc(len, len & 0xff);
      const enc = encodeTlv(0x2a, value);
      assert.equal(enc.length, 1 + (len <= 127 ? 1 : 2) + len, `encoded size for ${len}`);
      const dec = decodeTlvs(enc);
      assert.ok(dec, `decodes ${len}`);
      assert.equal(dec.length, 1);
      assert.equal(dec[0]!.tag, 0x2a);
      assert.ok(dec[0]!.value.equals(value), `value of ${len} bytes`);
    }
  });

  test('a reply whose BASE_URL/LINEUP_URL exceed 127 bytes round-trips through a frame', () => {
    const long = `http://${'a'.repeat(200)}.example:8410`;
    const info = { ...INFO, baseUrl: long, lineupUrl: `${long}/lineup.json` };
    const pkt = discoverReply(info);
    const f = decodeFrame(pkt);
    assert.ok(f);
    assert.equal(f.type, TYPE_DISCOVER_RPY);
    const base = pkt.indexOf(Buffer.from([TAG.BASE_URL, (long.length & 0x7f) | 0x80, long.length >> 7]));
    assert.ok(base > 0, 'BASE_URL uses the two-byte length form');
    assert.deepEqual(parseReply(pkt), { deviceType: 1, deviceId: '1050A0BC', tunerCount: 4, baseUrl: long, lineupUrl: `${long}/lineup.json`, deviceAuth: INFO.deviceAuth });
  });

  test('a non-canonical two-byte length of a short value is accepted; a cut-off one is not', () => {
    assert.deepEqual(decodeTlvs(Buffer.from([0x10, 0x81, 0x00, 0x07])), [{ tag: 0x10, value: Buffer.from([7]) }]);
    assert.equal(decodeTlvs(Buffer.from([0x2a, 0x81])), null, 'second length byte missing');
    assert.equal(decodeTlvs(Buffer.from([0x2a, 0x05, 1, 2])), null, 'value shorter than its length');
    assert.equal(decodeTlvs(Buffer.from([0x2a])), null, 'tag without length');
    assert.equal(decodeTlvs(Buffer.from([0x2a, 0x80, 0x01, ...Buffer.alloc(127)])), null, '128 announced, 127 present');
  });
});

describe('hdhr protocol: frames and CRC', () => {
  test("Jellyfin's request: our encoder produces the exact bytes; CRC is little-endian zlib CRC32", () => {
    assert.ok(discoverRequest({ deviceId: DEVICE_ID_WILDCARD }).equals(JELLYFIN_REQ));
    assert.equal(crc32(JELLYFIN_REQ.subarray(0, 16)), 0x8f7dcc73);
    assert.equal(JELLYFIN_REQ.readUInt32LE(16), 0x8f7dcc73);
    const bigEndian = Buffer.from(JELLYFIN_REQ);
    bigEndian.writeUInt32BE(0x8f7dcc73, 16);
    assert.equal(decodeFrame(bigEndian), null, 'a big-endian CRC is refused');
  });

  test("Jellyfin's request decodes and is answered", () => {
    const f = decodeFrame(JELLYFIN_REQ);
    assert.deepEqual(f, { type: TYPE_DISCOVER_REQ, tlvs: [devType(DEVICE_TYPE_WILDCARD), devId(DEVICE_ID_WILDCARD)] });
    assert.equal(matchesRequest(f, OURS), true);
    assert.equal(matchesRequest(f, '1050A0BC'), true);
    const reply = answer(JELLYFIN_REQ, INFO);
    assert.ok(reply);
    assert.deepEqual(parseReply(reply), { deviceType: 1, deviceId: '1050A0BC', tunerCount: 4, baseUrl: INFO.baseUrl, lineupUrl: INFO.lineupUrl, deviceAuth: INFO.deviceAuth });
  });

  test('reply layout: type 0x0003, payload length, TLVs, CRC LE over header+payload', () => {
    const pkt = discoverReply(INFO);
    assert.equal(pkt.readUInt16BE(0), 0x0003);
    assert.equal(pkt.readUInt16BE(2), pkt.length - 8);
    assert.equal(pkt.readUInt32LE(pkt.length - 4), crc32(pkt.subarray(0, pkt.length - 4)));
    assert.ok(pkt.subarray(4, 10).equals(Buffer.from([0x01, 0x04, 0, 0, 0, 1])), 'DEVICE_TYPE tuner first');
    assert.ok(pkt.subarray(10, 16).equals(Buffer.from([0x02, 0x04, 0x10, 0x50, 0xa0, 0xbc])), 'DEVICE_ID big-endian');
    assert.ok(pkt.subarray(16, 19).equals(Buffer.from([0x10, 0x01, 4])), 'TUNER_COUNT u8');
  });

  test('bad CRC, truncated, trailing bytes, wrong payload length, oversize, empty → null', () => {
    const good = JELLYFIN_REQ;
    const flipped = Buffer.from(good); flipped[19]! ^= 0x01;
    const payloadFlip = Buffer.from(good); payloadFlip[9]! ^= 0x10;
    const longer = Buffer.from(good); longer.writeUInt16BE(13, 2);
    const shorter = Buffer.from(good); shorter.writeUInt16BE(11, 2);
    const cases: [string, Buffer][] = [
      ['bad CRC', flipped],
      ['payload changed, CRC not', payloadFlip],
      ['truncated by one', good.subarray(0, good.length - 1)],
      ['header only', good.subarray(0, 4)],
      ['7 bytes', good.subarray(0, 7)],
      ['empty', Buffer.alloc(0)],
      ['trailing byte', Buffer.concat([good, Buffer.from([0])])],
      ['length says 13', longer],
      ['length says 11', shorter],
      ['oversize', encodeFrame(TYPE_DISCOVER_REQ, [{ tag: 0x2a, value: Buffer.alloc(2000) }])],
    ];
    for (const [name, pkt] of cases) {
      assert.equal(decodeFrame(pkt), null, name);
      assert.equal(answer(pkt, INFO), null, name);
    }
    // A TLV cut inside a frame with a valid CRC.
    const body = Buffer.from([0x00, 0x02, 0x00, 0x03, 0x01, 0x04, 0xff]);
    const crc = Buffer.alloc(4); crc.writeUInt32LE(crc32(body));
    assert.equal(decodeFrame(Buffer.concat([body, crc])), null, 'TLV overruns the payload');
  });
});

describe('hdhr protocol: who answers', () => {
  const cases: [string, Buffer, boolean][] = [
    ['wildcard type, wildcard id', req([devType(DEVICE_TYPE_WILDCARD), devId(DEVICE_ID_WILDCARD)]), true],
    ['tuner type, wildcard id', req([devType(DEVICE_TYPE_TUNER), devId(DEVICE_ID_WILDCARD)]), true],
    ['tuner type, our id', req([devType(DEVICE_TYPE_TUNER), devId(OURS)]), true],
    ['wildcard type, our id', req([devType(DEVICE_TYPE_WILDCARD), devId(OURS)]), true],
    ['tuner type, id missing', req([devType(DEVICE_TYPE_TUNER)]), true],
    ['type missing, id missing', req([]), true],
    ['type missing, our id', req([devId(OURS)]), true],
    ['tuner type, another id', req([devType(DEVICE_TYPE_TUNER), devId(0x10100cde)]), false],
    ['wildcard type, another id', req([devType(DEVICE_TYPE_WILDCARD), devId(OURS ^ 1)]), false],
    ['storage type (5), wildcard id', req([devType(5), devId(DEVICE_ID_WILDCARD)]), false],
    ['storage and tuner types', req([devType(5), devType(DEVICE_TYPE_TUNER), devId(DEVICE_ID_WILDCARD)]), true],
    ['DEVICE_TYPE of 2 bytes', req([{ tag: TAG.DEVICE_TYPE, value: Buffer.from([0, 1]) }]), false],
    ['DEVICE_ID of 5 bytes', req([devType(1), { tag: TAG.DEVICE_ID, value: Buffer.from([0x10, 0x50, 0xa0, 0xbc, 0]) }]), false],
    ['a reply, not a request', req([devType(1), devId(OURS)], TYPE_DISCOVER_RPY), false],
    ['getset request type 4', req([devType(1), devId(OURS)], 0x0004), false],
    ['unknown tags are ignored', req([{ tag: 0x77, value: Buffer.from('x') }, devType(1), devId(DEVICE_ID_WILDCARD)]), true],
  ];
  for (const [name, pkt, expected] of cases) {
    test(`${name} → ${expected ? 'reply' : 'silence'}`, () => {
      assert.equal(matchesRequest(decodeFrame(pkt), OURS), expected);
      assert.equal(answer(pkt, INFO) !== null, expected);
    });
  }
  test('a malformed own id never matches', () => {
    assert.equal(matchesRequest(decodeFrame(JELLYFIN_REQ), 'not-hex'), false);
    assert.equal(matchesRequest(null, OURS), false);
  });
});

describe('hdhr protocol: fuzz (fast-check: a failure shrinks to a small datagram)', () => {
  const valid = [JELLYFIN_REQ, discoverRequest({ deviceType: 1 }), discoverRequest({ deviceType: 1, deviceId: OURS }), discoverReply(INFO)];
  const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
  const aValid = fc.constantFrom(...valid).map((b) => Buffer.from(b));
  /** Datagrams no reply may answer: random bytes, 1–4 byte flips (CRC32 catches every change this small), cuts, tails, lying lengths. */
  const garbage = fc.oneof(
    bytes(1600),
    // Distinct positions and non-zero XORs, on a copy: two flips of one byte could cancel out (or one
    // past the end change nothing) and leave a valid request, which rightly gets its reply.
    fc.tuple(aValid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([b, flips]) => {
        const c = Buffer.from(b);
        const byPos = new Map<number, number>();
        for (const [at, x] of flips) if (!byPos.has(at % c.length)) byPos.set(at % c.length, x);
        for (const [at, x] of byPos) c[at]! ^= x;
        return c;
      }),
    fc.tuple(aValid, fc.nat()).map(([b, n]) => b.subarray(0, n % b.length)),
    fc.tuple(aValid, fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([b, tail]) => Buffer.concat([b, tail])),
    fc.tuple(aValid, fc.integer({ min: 1, max: 0xfffe })).map(([b, d]) => { b.writeUInt16BE((b.readUInt16BE(2) + d) & 0xffff, 2); return b; }),
  );
  /** A header claiming a valid frame around random TLV bytes, CRC recomputed. */
  const framed = fc.tuple(fc.oneof(fc.constant(TYPE_DISCOVER_REQ), fc.integer({ min: 0, max: 0xffff })), bytes(80)).map(([type, payload]) => {
    const body = Buffer.alloc(4 + payload.length);
    body.writeUInt16BE(type, 0);
    body.writeUInt16BE(payload.length, 2);
    payload.copy(body, 4);
    const crc = Buffer.alloc(4); crc.writeUInt32LE(crc32(body));
    return Buffer.concat([body, crc]);
  });
  const tlv = fc.record({ tag: fc.integer({ min: 0, max: 0xff }), value: bytes(200) });

  test('garbage never throws and never gets a reply', () => {
    fc.assert(fc.property(garbage, (pkt) => {
      decodeFrame(pkt);
      assert.equal(answer(pkt, INFO), null);
    }), { numRuns: 2000 });
  });

  test('any well-framed datagram: nothing throws, a reply only ever answers a DISCOVER_REQ for us', () => {
    fc.assert(fc.property(framed, (pkt) => {
      const f = decodeFrame(pkt);
      if (answer(pkt, INFO)) assert.ok(f && f.type === TYPE_DISCOVER_REQ && matchesRequest(f, OURS));
    }), { numRuns: 1000 });
  });

  test('a request for us among random unknown tags always gets the reply; one for another device never does', () => {
    const unknown = tlv.filter((t) => t.tag !== TAG.DEVICE_TYPE && t.tag !== TAG.DEVICE_ID);
    fc.assert(fc.property(fc.array(unknown, { maxLength: 5 }), fc.nat(5), fc.boolean(), fc.integer({ min: 0, max: 0xfffffffe }), (extra, at, wildcard, other) => {
      const mine = [devType(DEVICE_TYPE_TUNER), devId(wildcard ? DEVICE_ID_WILDCARD : OURS)];
      const tlvs = [...extra.slice(0, at), ...mine, ...extra.slice(at)];
      assert.deepEqual(answer(req(tlvs), INFO), discoverReply(INFO));
      fc.pre(other !== OURS);
      assert.equal(answer(req([...extra, devType(DEVICE_TYPE_TUNER), devId(other)]), INFO), null);
    }), { numRuns: 500 });
  });
});

describe('discovery addresses', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [{ address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '192.168.1.20/24' }],
    eth1: [{ address: '10.0.5.9', netmask: '255.255.0.0', family: 'IPv4', mac: '', internal: false, cidr: '10.0.5.9/16' }],
  } as unknown as ReturnType<typeof import('node:os').networkInterfaces>;

  test('the interface address on the sender subnet', () => {
    assert.equal(localIPv4For('192.168.1.77', ifaces), '192.168.1.20');
    assert.equal(localIPv4For('::ffff:10.0.200.1', ifaces), '10.0.5.9');
    assert.equal(localIPv4For('172.16.0.1', ifaces), null);
    assert.equal(localIPv4For('fe80::1', ifaces), null);
  });

  test('BASE_URL: lanAddress, else a specific bind, else 127.0.0.1 for loopback senders', () => {
    assert.equal(baseUrlFor('10.1.1.1', { port: 8410, bind: '0.0.0.0', lanAddress: 'tv.lan' }), 'http://tv.lan:8410');
    assert.equal(baseUrlFor('10.1.1.1', { port: 8410, bind: '0.0.0.0', lanAddress: '192.168.1.20:80' }), 'http://192.168.1.20:80');
    assert.equal(baseUrlFor('10.1.1.1', { port: 8410, bind: '192.168.1.20' }), 'http://192.168.1.20:8410');
    assert.equal(baseUrlFor('127.0.0.1', { port: 8410, bind: '0.0.0.0' }), 'http://127.0.0.1:8410');
    assert.match(baseUrlFor('203.0.113.9', { port: 8410, bind: '0.0.0.0' }), /^http:\/\/\d+\.\d+\.\d+\.\d+:8410$/);
  });
});
