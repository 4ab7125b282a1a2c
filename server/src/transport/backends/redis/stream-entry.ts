/**
 * How a message is laid out as Redis stream fields, so producers outside this project can XADD
 * messages we read (and read ours):
 *
 *   payload  the raw payload bytes (the only required field)
 *   key      the ordering key, when there is one
 *   ts       publish time, ms since the epoch (the entry id's time when absent)
 *   h:<name> one field per header (message-id, content-type, traceparent, ...)
 */
import type { Headers } from '../../message.ts';

export interface StreamEntry {
  /** The stream entry id (`<ms>-<seq>`). */
  readonly id: string;
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly timestamp: number;
}

const HEADER_PREFIX = 'h:';
const EMPTY = new Uint8Array(0);

const ascii = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v));

/** Appends the entry's fields to `args` (the XADD arguments so far) and returns it. */
export function pushEntryFields(
  args: (string | Buffer)[],
  payload: string | Buffer,
  key: string | undefined,
  headers: Headers,
  timestamp: number,
): (string | Buffer)[] {
  args.push('payload', payload);
  if (key !== undefined) args.push('key', key);
  args.push('ts', String(timestamp));
  for (const name in headers) args.push(HEADER_PREFIX + name, headers[name]!);
  return args;
}

/** Parses one `[id, [field, value, ...]]` reply element (buffers); null when it is not an entry. */
export function parseEntry(raw: unknown): StreamEntry | null {
  if (!Array.isArray(raw) || raw.length < 2) return null;
  const [rawId, rawFields] = raw as [unknown, unknown];
  // XCLAIM / XAUTOCLAIM reply [id, null] for an entry deleted by trimming.
  if (!Array.isArray(rawFields)) return null;
  // Ids and field names are ASCII: latin1 decoding is the cheap exact choice (hot path).
  const id = ascii(rawId);
  let payload: Uint8Array = EMPTY;
  let key: string | undefined;
  let timestamp = Number.NaN;
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawFields.length; i += 2) {
    const name = ascii(rawFields[i]);
    const value = rawFields[i + 1] as Buffer | string;
    if (name === 'payload') payload = typeof value === 'string' ? Buffer.from(value) : value;
    else if (name === 'key') key = String(value);
    else if (name === 'ts') timestamp = Number(ascii(value));
    else if (name.startsWith(HEADER_PREFIX)) headers[name.slice(HEADER_PREFIX.length)] = String(value);
  }
  if (!Number.isFinite(timestamp)) timestamp = Number(id.slice(0, id.indexOf('-')));
  return { id, payload, key, headers, timestamp };
}

/** `[[key, [entry, ...]], ...]` from XREADGROUP -> entries of the first (only) stream. */
export function parseReadReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const first = reply[0] as unknown;
  if (!Array.isArray(first) || !Array.isArray(first[1])) return [];
  return parseEntries(first[1]);
}

export function parseEntries(list: unknown[]): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const item of list) {
    const entry = parseEntry(item);
    if (entry) out.push(entry);
  }
  return out;
}
