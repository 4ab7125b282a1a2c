import type { Codec } from '../codec.ts';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is a decode error (-> dead letter), not silently replaced characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON (UTF-8), the default codec. `undefined` encodes as an empty payload and an empty payload
 * decodes as `undefined`, so "no body" round-trips. The decoded value is `unknown`: validate it.
 */
export const jsonCodec: Codec<unknown> = Object.freeze({
  contentType: 'application/json',
  encode(value: unknown): Uint8Array {
    if (value === undefined) return new Uint8Array(0);
    return encoder.encode(JSON.stringify(value));
  },
  decode(bytes: Uint8Array): unknown {
    if (bytes.byteLength === 0) return undefined;
    return JSON.parse(decoder.decode(bytes));
  },
});

export default jsonCodec;
