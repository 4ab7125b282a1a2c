import type { Codec } from '../codec.ts';
import { jsonCodec } from './json-codec.ts';
import { msgpackCodec } from './msgpack-codec.ts';
import { rawCodec } from './raw-codec.ts';

const builtIn: readonly Codec[] = [jsonCodec, msgpackCodec, rawCodec as Codec];

/**
 * The built-in codec for a `content-type` header value (parameters such as `; charset=utf-8` ignored),
 * or undefined. Used when a subscription names no codec, so mixed producers still decode.
 */
export function codecForContentType(contentType: string | undefined): Codec | undefined {
  if (!contentType) return undefined;
  // Every message asks this; the answer for a header value never changes, so it is looked up once.
  const known = seen.get(contentType);
  if (known !== undefined || seen.has(contentType)) return known;
  const codec = lookUp(contentType);
  if (seen.size >= MAX_SEEN) seen.clear(); // a flood of distinct values stays bounded
  seen.set(contentType, codec);
  return codec;
}

const MAX_SEEN = 256;
const seen = new Map<string, Codec | undefined>(builtIn.map((c) => [c.contentType, c]));

function lookUp(contentType: string): Codec | undefined {
  const base = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (base === 'application/x-msgpack') return msgpackCodec;
  return builtIn.find((c) => c.contentType === base);
}
