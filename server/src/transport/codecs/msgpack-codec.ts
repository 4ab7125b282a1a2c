import { Packr } from 'msgpackr';
import type { Codec } from '../codec.ts';

// useRecords: false keeps the bytes plain MessagePack (msgpackr's record extension is msgpackr-only),
// so consumers in other languages can read them; variableMapSize picks the smallest map header.
const packr = new Packr({ useRecords: false, moreTypes: false, variableMapSize: true });

/** MessagePack: the compact binary codec. Trailing or truncated bytes are decode errors. */
export const msgpackCodec: Codec<unknown> = Object.freeze({
  contentType: 'application/msgpack',
  encode(value: unknown): Uint8Array {
    const buf = packr.pack(value);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
  decode(bytes: Uint8Array): unknown {
    return packr.unpack(bytes);
  },
});
