import type { Codec } from '../codec.ts';

/** Bytes in, the same bytes out: for payloads that are already encoded (dead letters, foreign producers). */
export const rawCodec: Codec<Uint8Array> = Object.freeze({
  contentType: 'application/octet-stream',
  encode(value: Uint8Array): Uint8Array {
    if (!(value instanceof Uint8Array)) throw new TypeError('rawCodec encodes Uint8Array values only');
    return value;
  },
  decode(bytes: Uint8Array): Uint8Array {
    return bytes;
  },
});
