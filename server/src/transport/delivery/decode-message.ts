import type { Codec } from '../codec.ts';
import { codecForContentType } from '../codecs/codec-for-content-type.ts';
import { jsonCodec } from '../codecs/json-codec.ts';
import { DecodeError } from '../errors.ts';
import { HEADER, type Headers } from '../message.ts';

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DecodeError };

/**
 * The codec a subscription decodes with: its own when it named one; otherwise the built-in codec for
 * the message's `content-type`, else `fallback` (the broker default, JSON unless configured).
 */
export function pickCodec<T>(
  subscriptionCodec: Codec<T> | undefined,
  headers: Headers,
  fallback?: Codec,
): Codec<T> {
  if (subscriptionCodec) return subscriptionCodec;
  return (codecForContentType(headers[HEADER.contentType]) ?? fallback ?? jsonCodec) as Codec<T>;
}

/** Decodes a payload; a codec failure becomes a DecodeError (the caller dead-letters it, no retry). */
export function decodeMessage<T>(codec: Codec<T>, raw: Uint8Array): DecodeResult<T> {
  try {
    return { ok: true, value: codec.decode(raw) };
  } catch (cause) {
    return { ok: false, error: new DecodeError(codec.contentType, cause) };
  }
}
