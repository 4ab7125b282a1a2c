import { randomBytes } from 'node:crypto';
import type { Codec } from '../codec.ts';
import { InvalidOptionError } from '../errors.ts';
import { HEADER, type Headers } from '../message.ts';

/**
 * This process's id prefix: 96 random bits (16 base64url characters) and a `-`, drawn when the module
 * loads. Every id is this prefix and a counter, so ids are unique within a process by the counter and
 * across processes (and worker threads, which load the module afresh) by the prefix: two of a million
 * processes share a prefix with odds of about 1 in 10^17.
 */
let prefix = `${randomBytes(12).toString('base64url')}-`;
let counter = 0;

/**
 * A new message id: `<16 base64url characters>-<decimal counter>`, e.g. `pM3c0Qk9yXv1bH2s-41`.
 * About 4x cheaper than randomUUID() (measured: 23 ns against 86 ns), which showed at ~8% of the
 * memory backend's CPU profile. Ids are opaque: compare them, never parse them. They reveal how many
 * messages this process published before, which a random id would not.
 */
export function newMessageId(): string {
  // A fresh prefix long before the counter could lose integer precision (never, in practice).
  if (counter >= Number.MAX_SAFE_INTEGER) {
    prefix = `${randomBytes(12).toString('base64url')}-`;
    counter = 0;
  }
  return prefix + counter++;
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
