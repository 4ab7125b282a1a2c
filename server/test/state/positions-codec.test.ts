import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { positionsCodec } from '../../src/state/positions-codec.ts';
import { msgpackCodec } from '../../src/transport/codecs/msgpack-codec.ts';
import { position } from '../support/position-fixture.ts';

const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    position({ vehicleId: `0022/${String(from + i).padStart(5, '0')}`, eventTime: 1_000 + from + i }),
  );

describe('state: positions codec', () => {
  it('state: a batch round-trips, smaller than its JSON', () => {
    const value = batch(0, 500);
    const bytes = positionsCodec.encode(value);
    expect(positionsCodec.decode(bytes)).toEqual(value);
    expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(value)) / 2);
  });

  it('state: every message decodes on its own, in any order (consumers start anywhere)', () => {
    const first = positionsCodec.encode(batch(0, 3));
    const second = positionsCodec.encode([{ other: 'shape' }, ...batch(3, 2)]);
    const third = positionsCodec.encode(batch(5, 3));
    expect(positionsCodec.decode(third)).toEqual(batch(5, 3));
    expect(positionsCodec.decode(second)).toEqual([{ other: 'shape' }, ...batch(3, 2)]);
    expect(positionsCodec.decode(first)).toEqual(batch(0, 3));
  });

  it('state: JSON and plain MessagePack from other producers decode too', () => {
    const one = position({ heading: 90, speed: 100 }); // fixints 0x40-0x7f are records in msgpackr's extension
    expect(positionsCodec.decode(Buffer.from(JSON.stringify(one)))).toEqual(one);
    expect(positionsCodec.decode(Buffer.from(` ${JSON.stringify([one])}`))).toEqual([one]);
    expect(positionsCodec.decode(msgpackCodec.encode([one]))).toEqual([one]);
    expect(positionsCodec.decode(new Packr({ useRecords: false }).pack(one))).toEqual(one);
    expect(positionsCodec.decode(new Uint8Array(0))).toBeUndefined();
  });

  it('state: bytes that are none of these are a decode error', () => {
    expect(() => positionsCodec.decode(Buffer.from([0xc1, 0xdc, 0xff]))).toThrow();
    expect(() => positionsCodec.decode(Buffer.from('{"vehicleId":'))).toThrow();
  });
});
