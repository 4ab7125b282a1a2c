import { describe, expect, it } from 'vitest';
import { codecForContentType } from '../../../src/transport/codecs/codec-for-content-type.ts';
import { jsonCodec } from '../../../src/transport/codecs/json-codec.ts';
import { msgpackCodec } from '../../../src/transport/codecs/msgpack-codec.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';

const sample = {
  id: '0022/01216',
  lat: 60.17,
  lon: 24.94,
  doors: [true, false],
  text: 'Itäkeskus 🚌',
  n: null,
};

describe('codecs', () => {
  it('codecs: json round-trips values and maps undefined <-> empty payload', () => {
    expect(jsonCodec.decode(jsonCodec.encode(sample))).toEqual(sample);
    expect(jsonCodec.encode(undefined).byteLength).toBe(0);
    expect(jsonCodec.decode(new Uint8Array(0))).toBeUndefined();
    expect(new TextDecoder().decode(jsonCodec.encode({ a: 1 }))).toBe('{"a":1}');
  });

  it('codecs: json rejects invalid JSON and invalid UTF-8', () => {
    expect(() => jsonCodec.decode(new TextEncoder().encode('{nope'))).toThrow();
    expect(() => jsonCodec.decode(new Uint8Array([0x22, 0xff, 0x22]))).toThrow();
  });

  it('codecs: msgpack round-trips, is smaller than JSON and is plain MessagePack', () => {
    const bytes = msgpackCodec.encode(sample);
    expect(msgpackCodec.decode(bytes)).toEqual(sample);
    expect(bytes.byteLength).toBeLessThan(jsonCodec.encode(sample).byteLength);
    // fixmap of 1 entry, fixstr "a", positive fixint 1: standard encoding, no msgpackr records.
    expect(Array.from(msgpackCodec.encode({ a: 1 }))).toEqual([0x81, 0xa1, 0x61, 0x01]);
  });

  it('codecs: msgpack rejects truncated bytes', () => {
    const bytes = msgpackCodec.encode(sample);
    expect(() => msgpackCodec.decode(bytes.subarray(0, bytes.byteLength - 3))).toThrow();
  });

  it('codecs: raw passes bytes through and refuses other values', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(rawCodec.decode(rawCodec.encode(bytes))).toBe(bytes);
    expect(() => rawCodec.encode('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('codecs: content type picks the built-in codec, ignoring parameters and case', () => {
    expect(codecForContentType('application/json; charset=utf-8')).toBe(jsonCodec);
    expect(codecForContentType('Application/MsgPack')).toBe(msgpackCodec);
    expect(codecForContentType('application/x-msgpack')).toBe(msgpackCodec);
    expect(codecForContentType('application/octet-stream')).toBe(rawCodec);
    expect(codecForContentType('text/plain')).toBeUndefined();
    expect(codecForContentType(undefined)).toBeUndefined();
  });
});
