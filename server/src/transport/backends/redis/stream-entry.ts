/**
 * How a message is laid out as Redis stream fields, so producers outside this project can XADD
 * messages we read (and read ours):
 *
 *   payload  the raw payload bytes (the only required field)
 *   key      the ordering key, when there is one
 *   id       the message id, for a publish whose headers are the defaults (a generated message-id
 *            and content-type application/json): an entry with `id` and no content-type header is
 *            JSON. Spares the JSON headers object per message on both sides (measured in the bench).
 *   headers  otherwise: all headers as one JSON object of strings (message-id, content-type,
 *            traceparent, ...; packed-headers.ts)
 *
 * The publish time is the entry id's (Redis stamps `<ms>-<seq>` on XADD with `*`). Read but no longer
 * written, for foreign producers and entries of earlier versions: `ts` (publish time, ms since the
 * epoch, wins over the id's) and `h:<name>` (one field per header); `headers` on every entry.
 */
import { HEADER, type Headers } from '../../message.ts';
import { JSON_TYPE, unpackHeaders } from './packed-headers.ts';

export interface StreamEntry {
  /** The stream entry id (`<ms>-<seq>`). */
  readonly id: string;
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly timestamp: number;
  /** The delivery attempt this entry is read for (1 from XREADGROUP; the delivery count when claimed). */
  attempt: number;
  /** The subscription's bookkeeping: handled within its dispatch (no need to track it). */
  settledAtOnce: boolean;
  /** The subscription's bookkeeping: in its held / replaying sets until released. */
  tracked: boolean;
}

const HEADER_PREFIX = 'h:';
const EMPTY = new Uint8Array(0);

const ascii = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v));

/**
 * Appends the entry's fields to `args` (the XADD arguments so far) and returns it: `id` alone for a
 * publish with default headers (compactMessageId), else the `headers` field.
 */
export function pushEntryFields(
  args: (string | Buffer)[],
  payload: string | Buffer,
  key: string | undefined,
  id: string | undefined,
  packedHeaders: string,
): (string | Buffer)[] {
  const name = id === undefined ? 'headers' : 'id';
  const value = id ?? packedHeaders;
  if (key === undefined) args.push('payload', payload, name, value);
  else args.push('payload', payload, 'key', key, name, value);
  return args;
}

const PAYLOAD = Buffer.from('payload', 'latin1');
const KEY = Buffer.from('key', 'latin1');
const ID = Buffer.from('id', 'latin1');
const HEADERS = Buffer.from('headers', 'latin1');

/** `name` (a reply Buffer) spells `field`; compared in place, no string made (hot path). */
function is(name: Buffer, field: Buffer): boolean {
  if (name.length !== field.length) return false;
  for (let i = 0; i < field.length; i++) if (name[i] !== field[i]) return false;
  return true;
}

/** Parses one `[id, [field, value, ...]]` reply element (buffers); null when it is not an entry. */
export function parseEntry(raw: unknown, attempt = 1): StreamEntry | null {
  if (!Array.isArray(raw) || raw.length < 2) return null;
  const [rawId, rawFields] = raw as [unknown, unknown];
  // XCLAIM / XAUTOCLAIM reply [id, null] for an entry deleted by trimming.
  if (!Array.isArray(rawFields)) return null;
  // Ids and field names are ASCII: latin1 decoding is the cheap exact choice (hot path).
  const id = ascii(rawId);
  let payload: Uint8Array = EMPTY;
  let key: string | undefined;
  let timestamp = Number.NaN;
  let headers: Record<string, string> | undefined;
  let messageId: string | undefined;
  for (let i = 0; i + 1 < rawFields.length; i += 2) {
    const rawName = rawFields[i] as Buffer | string;
    const value = rawFields[i + 1] as Buffer | string;
    if (Buffer.isBuffer(rawName)) {
      // Our own fields first, matched without decoding the name.
      if (is(rawName, PAYLOAD)) {
        payload = typeof value === 'string' ? Buffer.from(value) : value;
        continue;
      }
      if (is(rawName, KEY)) {
        key = String(value);
        continue;
      }
      if (is(rawName, ID)) {
        messageId = String(value);
        continue;
      }
      if (is(rawName, HEADERS)) {
        const unpacked = unpackHeaders(String(value));
        if (unpacked) headers = headers ? Object.assign(headers, unpacked) : unpacked;
        continue;
      }
    }
    const name = ascii(rawName);
    if (name === 'payload') payload = typeof value === 'string' ? Buffer.from(value) : value;
    else if (name === 'key') key = String(value);
    else if (name === 'id') messageId = String(value);
    else if (name === 'headers') {
      const unpacked = unpackHeaders(String(value));
      if (unpacked) headers = headers ? Object.assign(headers, unpacked) : unpacked;
    } else if (name === 'ts') timestamp = Number(ascii(value));
    else if (name.startsWith(HEADER_PREFIX)) {
      headers ??= {};
      headers[name.slice(HEADER_PREFIX.length)] = String(value);
    }
  }
  if (!Number.isFinite(timestamp)) timestamp = Number(id.slice(0, id.indexOf('-')));
  if (messageId !== undefined) {
    // The compact layout: one literal object (no parse); a headers field, if any, says more.
    if (headers === undefined) headers = { 'message-id': messageId, 'content-type': JSON_TYPE };
    else {
      headers[HEADER.messageId] ??= messageId;
      headers[HEADER.contentType] ??= JSON_TYPE;
    }
  }
  return {
    id,
    payload,
    key,
    headers: headers ?? {},
    timestamp,
    attempt,
    settledAtOnce: false,
    tracked: false,
  };
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
