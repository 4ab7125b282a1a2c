import { randomUUID } from 'node:crypto';
import type { Codec } from '../codec.ts';
import { InvalidOptionError } from '../errors.ts';
import { HEADER, type Headers } from '../message.ts';

/**
 * A new message id (RFC 4122 v4 UUID). (A pooled generator cutting ids from one random hex string
 * was tried: callgrind showed no gain per message over randomUUID, so it was not kept.)
 */
export function newMessageId(): string {
  return randomUUID();
}

/** Header names lower-cased; values must be strings (throws InvalidOptionError otherwise). */
export function normalizeHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new InvalidOptionError(`header "${name}" must be a string`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * The headers a backend puts on the wire for a publish: the caller's headers (lower-cased) plus a
 * generated `message-id` and the codec's `content-type` when the caller did not set them. A caller's
 * `content-type` wins, so already-encoded bytes (rawCodec) can be sent under their real type.
 */
export function buildPublishHeaders(codec: Codec, headers?: Headers): Record<string, string> {
  // The common publish names no headers: one literal object (keys = HEADER.messageId, .contentType),
  // no copying or lower-casing to do.
  if (headers === undefined) return { 'message-id': newMessageId(), 'content-type': codec.contentType };
  const out = normalizeHeaders(headers);
  out[HEADER.messageId] ??= newMessageId();
  out[HEADER.contentType] ??= codec.contentType;
  return out;
}
