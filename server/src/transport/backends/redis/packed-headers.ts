/**
 * All of a message's headers in one string: a JSON object of string values, e.g.
 * `{"message-id":"<uuid>","content-type":"application/json"}`. One field (streams) or one meta
 * member (pub/sub) instead of one per header: every extra XADD argument costs ioredis an argument to
 * encode and the reader a Buffer to parse (measured with `pnpm bench transport-redis`). Any JSON
 * library reads it, so the wire stays open to producers and consumers outside this project.
 */
import { buildPublishHeaders, type Codec, type Headers, newMessageId } from '../../internal.ts';

/** `","content-type":<json>}` per content type: the static tail of a default publish's headers. */
const tails = new Map<string, string>();

function tailFor(contentType: string): string {
  let tail = tails.get(contentType);
  if (tail === undefined) {
    tail = `","content-type":${JSON.stringify(contentType)}}`;
    if (tails.size >= 64) tails.clear();
    tails.set(contentType, tail);
  }
  return tail;
}

/**
 * The publish headers (buildPublishHeaders' rules: a generated `message-id`, the codec's
 * `content-type` unless the caller set one) packed. A publish that names no headers, the common case,
 * is one string concatenation (a generated message id needs no JSON escaping: newMessageId() makes
 * ids of base64url characters, `-` and digits). Throws InvalidOptionError for a non-string header value.
 */
export function packPublishHeaders(codec: Codec, headers: Headers | undefined): string {
  if (headers === undefined) return `{"message-id":"${newMessageId()}${tailFor(codec.contentType)}`;
  return JSON.stringify(buildPublishHeaders(codec, headers));
}

export const JSON_TYPE = 'application/json';

/**
 * The message id to send alone (stream field `id`, pub/sub `RTM3` frame) when a publish's headers
 * are the defaults (a generated message-id, content type application/json), so neither side builds
 * or parses a JSON object; undefined otherwise (send packPublishHeaders' JSON).
 */
export function compactMessageId(codec: Codec, headers: Headers | undefined): string | undefined {
  return headers === undefined && codec.contentType === JSON_TYPE ? newMessageId() : undefined;
}

/** Packs headers as they are (dead letters, re-publishes). */
export function packHeaders(headers: Headers): string {
  return JSON.stringify(headers);
}

/**
 * The headers in a packed value; undefined when `text` is not a JSON object (the caller decides what
 * a malformed value means). Never throws. Our own packing (lower-case names, string values) is
 * returned as parsed, without a copy; anything else is copied with names lower-cased and non-string
 * values left out.
 */
export function unpackHeaders(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return headersFrom(parsed);
}

/** The same for an already parsed value (the pub/sub frame's `h`). */
export function headersFrom(parsed: unknown): Record<string, string> | undefined {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  for (const name in record) {
    if (typeof record[name] !== 'string' || name.toLowerCase() !== name) return cleaned(record);
  }
  return record as Record<string, string>;
}

function cleaned(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in record) {
    const value = record[name];
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}
