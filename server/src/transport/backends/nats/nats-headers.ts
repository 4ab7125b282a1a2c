/**
 * Our headers <-> NATS headers. Names go on the wire lower-case (NATS headers are case-preserving);
 * the message key travels in its own header because core NATS and JetStream have no key field.
 *
 * On the wire this is the standard NATS header block (`NATS/1.0\r\nname: value\r\n...\r\n\r\n`),
 * readable by any NATS client. We write and read that block ourselves instead of through nats.js'
 * MsgHdrs: its set()/get() re-validate, canonicalise and search every name on each call, which was
 * the largest per-message cost of our publish and receive paths (`--cpu-prof`, transport-nats bench).
 */
import { type MsgHdrs, MsgHdrsImpl } from '@nats-io/transport-node';
import { HEADER, type Headers, InvalidOptionError, newMessageId } from '../../internal.ts';

/** Header carrying the message key (partition / ordering key). */
export const KEY_HEADER = HEADER.key;
/** Publish time (ms since epoch) for core NATS, which has no server timestamp. */
export const TIMESTAMP_HEADER = 'x-published-at';
/** JetStream's own de-duplication header; mirrors `message-id`, so it is not shown to handlers. */
const NATS_MSG_ID = 'Nats-Msg-Id';
const NATS_MSG_ID_LOWER = 'nats-msg-id';

const VERSION_LINE = 'NATS/1.0';
/** A header name: printable ASCII without ':' (what nats.js accepts). */
const VALID_NAME = /^[!-9;-~]+$/;
const CR_OR_LF = /[\r\n]/;
const validNames = new Set<string>();

function checkName(name: string): void {
  if (validNames.has(name)) return;
  if (!VALID_NAME.test(name)) throw new InvalidOptionError(`nats: header name "${name}" is not valid`);
  if (validNames.size >= 1024) validNames.clear();
  validNames.add(name);
}

function checkValue(name: string, value: string): void {
  if (CR_OR_LF.test(value)) throw new InvalidOptionError(`nats: header "${name}" must not contain CR or LF`);
}

/**
 * A header block already encoded, handed to nats.js where it wants MsgHdrs. nats.js (3.x) only calls
 * encode() on the headers of a publish or request (and JetStream's publish adds nothing when no
 * msgID/expect option is given); every other MsgHdrs method works on a decoded copy, made only if
 * someone calls one.
 */
class EncodedHeaders implements MsgHdrs {
  readonly #bytes: Uint8Array;
  #decoded: MsgHdrsImpl | undefined;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get #h(): MsgHdrsImpl {
    this.#decoded ??= MsgHdrsImpl.decode(this.#bytes);
    return this.#decoded;
  }

  encode(): Uint8Array {
    return this.#decoded ? this.#decoded.encode() : this.#bytes;
  }
  get hasError(): boolean {
    return this.#h.hasError;
  }
  get status(): string {
    return this.#h.status;
  }
  get code(): number {
    return this.#h.code;
  }
  get description(): string {
    return this.#h.description;
  }
  get(k: string, match?: Parameters<MsgHdrs['get']>[1]): string {
    return this.#h.get(k, match as never);
  }
  set(k: string, v: string, match?: Parameters<MsgHdrs['set']>[2]): void {
    this.#h.set(k, v, match as never);
  }
  append(k: string, v: string, match?: Parameters<MsgHdrs['append']>[2]): void {
    this.#h.append(k, v, match as never);
  }
  has(k: string, match?: Parameters<MsgHdrs['has']>[1]): boolean {
    return this.#h.has(k, match as never);
  }
  keys(): string[] {
    return this.#h.keys();
  }
  values(k: string, match?: Parameters<MsgHdrs['values']>[1]): string[] {
    return this.#h.values(k, match as never);
  }
  delete(k: string, match?: Parameters<MsgHdrs['delete']>[1]): void {
    this.#h.delete(k, match as never);
  }
  last(k: string, match?: Parameters<MsgHdrs['last']>[1]): string {
    return this.#h.last(k, match as never);
  }
  [Symbol.iterator](): IterableIterator<[string, string[]]> {
    return this.#h[Symbol.iterator]();
  }
  size(): number {
    return this.#h.size();
  }
}

/** `\r\ncontent-type: <type>` per content type (static per publish). */
const contentTypeLines = new Map<string, string>();
/** The last one asked for: a broker publishes with one codec almost always (no Map lookup then). */
let lastType: string | undefined;
let lastTypeLine = '';

/** Whether lastTypeLine is printable ASCII. */
let lastTypeAscii = true;

function contentTypeLine(contentType: string): string {
  if (contentType === lastType) return lastTypeLine;
  let line = contentTypeLines.get(contentType);
  if (line === undefined) {
    checkValue(HEADER.contentType, contentType);
    line = `\r\n${HEADER.contentType}: ${contentType}`;
    if (contentTypeLines.size >= 64) contentTypeLines.clear();
    contentTypeLines.set(contentType, line);
  }
  lastType = contentType;
  lastTypeLine = line;
  lastTypeAscii = PRINTABLE_ASCII.test(contentType);
  return line;
}

export interface PublishHeaderBlock {
  readonly headers: MsgHdrs;
  readonly messageId: string;
}

export interface PublishHeaderText {
  /** The whole block, `NATS/1.0\r\n` to the blank line that ends it. */
  readonly text: string;
  readonly messageId: string;
  /** Known to be printable ASCII (its byte length is its length); false = not known. */
  readonly ascii: boolean;
}

/** Printable ASCII only: such a value has no CR/LF and encodes to one byte per character. */
const PRINTABLE_ASCII = /^[ -~]*$/;

/** `value.trim()`, without the call when it starts and ends with a visible ASCII character. */
function trimmed(value: string): string {
  const last = value.length - 1;
  if (last < 0) return value;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  return first > 32 && first < 127 && end > 32 && end < 127 ? value : value.trim();
}

/** `\r\nx-published-at: <ms>` for the last millisecond seen: publishes of one ms share it. */
let lastTimestamp = Number.NaN;
let lastTimestampLine = '';

function timestampLine(timestamp: number): string {
  if (timestamp !== lastTimestamp) {
    // A number this large is not a small integer to V8: its decimal form is the slow conversion.
    lastTimestamp = timestamp;
    lastTimestampLine = `\r\n${TIMESTAMP_HEADER}: ${timestamp}`;
  }
  return lastTimestampLine;
}

/** publishHeaderText() encoded, as nats.js takes it (JetStream, and core messages too large for CoreWriter). */
export function encodedHeaders(text: string): MsgHdrs {
  return new EncodedHeaders(Buffer.from(text, 'utf8'));
}

/**
 * The header block of a publish: the caller's headers (lower-cased; a generated `message-id` and the
 * codec's `content-type` unless given), the key, core's publish time, and for JetStream `Nats-Msg-Id`
 * (= message-id, the stream de-duplicates retries by it). Throws InvalidOptionError for a header the
 * NATS protocol cannot carry (non-string, CR/LF in a value, a bad name).
 */
export function publishHeaderBlock(
  contentType: string,
  given: Headers | undefined,
  key: string | undefined,
  options: { readonly timestamp?: number; readonly msgId: boolean },
): PublishHeaderBlock {
  const { text, messageId } = publishHeaderText(contentType, given, key, options);
  return { headers: encodedHeaders(text), messageId };
}

/** publishHeaderBlock() as text, for a writer that encodes it together with the rest of its frame. */
export function publishHeaderText(
  contentType: string,
  given: Headers | undefined,
  key: string | undefined,
  options: { readonly timestamp?: number; readonly msgId: boolean },
): PublishHeaderText {
  let block: string;
  let messageId: string;
  // Only the common shape is vouched for: generated id, codec content type, an ASCII key.
  let ascii = false;
  if (given === undefined) {
    messageId = newMessageId();
    block = `${VERSION_LINE}\r\n${HEADER.messageId}: ${messageId}${contentTypeLine(contentType)}`;
    ascii = lastTypeAscii;
  } else {
    block = VERSION_LINE;
    let id: string | undefined;
    let type: string | undefined;
    for (const rawName in given) {
      const value = given[rawName];
      if (typeof value !== 'string') throw new InvalidOptionError(`header "${rawName}" must be a string`);
      const name = rawName.toLowerCase();
      if (name === KEY_HEADER || name === NATS_MSG_ID_LOWER) continue;
      if (name === TIMESTAMP_HEADER && options.timestamp !== undefined) continue;
      if (name === HEADER.messageId) id = value;
      else if (name === HEADER.contentType) type = value;
      else {
        checkName(name);
        checkValue(name, value);
        block += `\r\n${name}: ${value.trim()}`;
      }
    }
    messageId = id ?? newMessageId();
    checkValue(HEADER.messageId, messageId);
    block += `\r\n${HEADER.messageId}: ${messageId.trim()}`;
    if (type === undefined) block += contentTypeLine(contentType);
    else {
      checkValue(HEADER.contentType, type);
      block += `\r\n${HEADER.contentType}: ${type.trim()}`;
    }
  }
  if (key !== undefined) {
    if (!PRINTABLE_ASCII.test(key)) {
      checkValue(KEY_HEADER, key);
      ascii = false;
    }
    block += `\r\n${KEY_HEADER}: ${trimmed(key)}`;
  }
  if (options.timestamp !== undefined) block += timestampLine(options.timestamp);
  if (options.msgId) block += `\r\n${NATS_MSG_ID}: ${messageId.trim()}`;
  return { text: `${block}\r\n\r\n`, messageId, ascii };
}

export interface ReadHeaders {
  readonly headers: Headers;
  readonly key: string | undefined;
  readonly timestamp: number | undefined;
}

const EMPTY_READ: ReadHeaders = Object.freeze({
  headers: Object.freeze({}),
  key: undefined,
  timestamp: undefined,
});

/**
 * What we read of nats.js' received message (nats-core MsgImpl: `_rdata` = header block + payload,
 * `_msg.hdr` = where the header block ends, -1 without one), or of a JetStream message wrapping one
 * (JsMsgImpl.msg). These are private fields: nats-headers.test.ts fails if a nats.js release renames
 * them, rather than leaving us silently on the slower MsgHdrs path.
 */
interface RawMsg {
  readonly _rdata?: unknown;
  readonly _msg?: { readonly hdr?: unknown };
  readonly msg?: RawMsg;
}

/**
 * The header block of a received message as text, read from nats.js' message without decoding it
 * into MsgHdrs; null when it has none, undefined when the message has a shape we do not know.
 */
export function rawHeaderText(outer: unknown): string | null | undefined {
  const o = outer as RawMsg;
  const msg = typeof o.msg === 'object' && o.msg !== null ? o.msg : o;
  const data = msg._rdata;
  const hdr = msg._msg?.hdr;
  if (!(data instanceof Uint8Array) || typeof hdr !== 'number') return undefined;
  if (hdr < 0) return null;
  // nats.js hands out Buffers (socket chunks) on Node: decode in place, no view object per message;
  // utf8Slice directly (what toString ends in: its argument checks and slice() showed in the profile).
  if (Buffer.isBuffer(data)) return (data as unknown as Utf8Sliceable).utf8Slice(0, hdr);
  return Buffer.from(data.buffer, data.byteOffset, hdr).toString('utf8');
}

/** Node's Buffer method behind toString('utf8', start, end), present since Node 0.x. */
interface Utf8Sliceable {
  utf8Slice(start: number, end: number): string;
}

/** Names our own publishers write, matched in place (no slice, no lower-casing) when read back. */
const KNOWN_NAMES: ReadonlyArray<readonly [wire: string, lower: string]> = [
  HEADER.messageId,
  HEADER.contentType,
  KEY_HEADER,
  TIMESTAMP_HEADER,
  NATS_MSG_ID,
].map((name) => [name, name.toLowerCase()] as const);

function headerName(text: string, start: number, colon: number): string {
  const length = colon - start;
  for (const [wire, lower] of KNOWN_NAMES) {
    if (wire.length === length && text.startsWith(wire, start)) return lower;
  }
  return text.slice(start, colon).toLowerCase();
}

/** Collects lower-cased headers into ReadHeaders: the key and timestamp are lifted out, Nats-Msg-Id dropped. */
class HeaderReader {
  readonly headers: Record<string, string> = {};
  key: string | undefined;
  timestamp: number | undefined;

  accept(name: string, value: string): void {
    if (name === KEY_HEADER) this.key = value;
    else if (name === TIMESTAMP_HEADER) {
      const n = Number(value);
      if (Number.isFinite(n)) this.timestamp = n;
    } else if (name !== NATS_MSG_ID_LOWER) this.headers[name] = value;
  }

  result(): ReadHeaders {
    return { headers: this.headers, key: this.key, timestamp: this.timestamp };
  }
}

/** Parses a header block's text: the first line is the version (and status), then `name: value` lines. */
export function parseHeaderText(text: string): ReadHeaders {
  return (text.startsWith(OWN_START) ? readOwnBlock(text) : undefined) ?? parseAnyBlock(text);
}

/** What every block our publishers write without extra headers starts with. */
const OWN_START = `${VERSION_LINE}\r\n${HEADER.messageId}: `;
const CONTENT_TYPE_NAME = `${HEADER.contentType}: `;
const KEY_NAME = `${KEY_HEADER}: `;
const TIMESTAMP_NAME = `${TIMESTAMP_HEADER}: `;
const NATS_MSG_ID_NAME = `${NATS_MSG_ID}: `;

/**
 * The block exactly as our publishers write it when the caller named no headers: message-id,
 * content-type, then x-key, x-published-at (core) or Nats-Msg-Id (JetStream) when present, in that
 * order (a block of that layout without content-type, written by others, is read here too). Read
 * with a few startsWith() at known places instead of a search per line (micro-benchmark on the
 * 2-core box: ~1.35 us -> ~0.6 us per block); anything else (other names, order, case, a repeated
 * name) is undefined and goes to parseAnyBlock, so the result is always what parseAnyBlock returns.
 */
function readOwnBlock(text: string): ReadHeaders | undefined {
  let at = OWN_START.length;
  let end = text.indexOf('\r\n', at);
  if (end === -1) return undefined;
  const id = trimmed(text.slice(at, end));
  at = end + 2;
  // The content type and publish time repeat from message to message: the last value read is
  // matched in place and reused (no slice, and the codec lookup finds a string it has hashed).
  let type: string | undefined;
  if (text.startsWith(CONTENT_TYPE_NAME, at)) {
    at += CONTENT_TYPE_NAME.length;
    if (text.startsWith(lastRead.typeLine, at)) {
      type = lastRead.type;
      at += lastRead.typeLine.length;
    } else {
      end = text.indexOf('\r\n', at);
      if (end === -1) return undefined;
      type = text.slice(at, end).trim();
      at = end + 2;
      lastRead.type = type;
      lastRead.typeLine = `${type}\r\n`;
    }
  }
  let key: string | undefined;
  if (text.startsWith(KEY_NAME, at)) {
    at += KEY_NAME.length;
    end = text.indexOf('\r\n', at);
    if (end === -1) return undefined;
    key = trimmed(text.slice(at, end));
    at = end + 2;
  }
  let timestamp: number | undefined;
  if (text.startsWith(TIMESTAMP_NAME, at)) {
    at += TIMESTAMP_NAME.length;
    if (lastRead.timeLine !== '' && text.startsWith(lastRead.timeLine, at)) {
      timestamp = lastRead.time;
      at += lastRead.timeLine.length;
    } else {
      end = text.indexOf('\r\n', at);
      if (end === -1) return undefined;
      const value = text.slice(at, end);
      const n = Number(value.trim());
      if (Number.isFinite(n)) {
        timestamp = n;
        lastRead.time = n;
        lastRead.timeLine = `${value}\r\n`;
      }
      at = end + 2;
    }
  }
  if (text.startsWith(NATS_MSG_ID_NAME, at)) {
    end = text.indexOf('\r\n', at);
    if (end === -1) return undefined;
    at = end + 2;
  }
  // Only the blank line that ends the block may follow.
  if (at !== text.length - 2 || !text.endsWith('\r\n')) return undefined;
  const headers: Headers =
    type === undefined ? { 'message-id': id } : { 'message-id': id, 'content-type': type };
  return { headers, key, timestamp };
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const OWN_START_BYTES = bytesOf(OWN_START);
const CONTENT_TYPE_BYTES = bytesOf(CONTENT_TYPE_NAME);
const KEY_BYTES = bytesOf(KEY_NAME);
const TIMESTAMP_BYTES = bytesOf(TIMESTAMP_NAME);
const NATS_MSG_ID_BYTES = bytesOf(NATS_MSG_ID_NAME);
const CR = 13;
const LF = 10;

/** Whether `b` holds `pattern` at `at` (within `end`). */
function bytesAt(b: Uint8Array, at: number, end: number, pattern: Uint8Array): boolean {
  const n = pattern.length;
  if (at + n > end) return false;
  for (let i = 0; i < n; i++) if (b[at + i] !== pattern[i]) return false;
  return true;
}

/**
 * Where the value starting at `at` ends (its CR, followed by LF), when it is printable ASCII that
 * starts and ends with a visible character (so it needs no trim and decodes byte for byte); else -1.
 */
function plainValueEnd(b: Uint8Array, at: number, end: number): number {
  let i = at;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === CR) break;
    if (c < 32 || c > 126) return -1;
  }
  if (i === at || i + 1 >= end || b[i + 1] !== LF || b[at] === 32 || b[i - 1] === 32) return -1;
  return i;
}

/** Node's Buffer method behind toString('latin1', start, end): one byte per character. */
interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

/** readOwnBytes' last content type: its bytes with the CR LF that follows, and its string. */
let lastTypeBytes = new Uint8Array(0);
let lastTypeRead = '';

/**
 * readOwnBlock on the bytes, for the common case: printable-ASCII values, no surrounding spaces, a
 * publish time of at most 15 digits. The block is not decoded at all: each value is sliced from the
 * bytes on its own (latin1 = ASCII here) and the publish time is parsed from its digits. Anything
 * else is undefined and takes the text path, so the result is always what parseAnyBlock returns.
 */
function readOwnBytes(data: Buffer, hdr: number): ReadHeaders | undefined {
  const b = data as unknown as Latin1Sliceable & Uint8Array;
  let at = OWN_START_BYTES.length;
  if (!bytesAt(data, 0, hdr, OWN_START_BYTES)) return undefined;
  let end = plainValueEnd(data, at, hdr);
  if (end === -1) return undefined;
  const id = b.latin1Slice(at, end);
  at = end + 2;
  let type: string | undefined;
  if (bytesAt(data, at, hdr, CONTENT_TYPE_BYTES)) {
    at += CONTENT_TYPE_BYTES.length;
    if (lastTypeBytes.length > 0 && bytesAt(data, at, hdr, lastTypeBytes)) {
      type = lastTypeRead;
      at += lastTypeBytes.length;
    } else {
      end = plainValueEnd(data, at, hdr);
      if (end === -1) return undefined;
      type = b.latin1Slice(at, end);
      lastTypeRead = type;
      lastTypeBytes = data.subarray(at, end + 2).slice();
      at = end + 2;
    }
  }
  let key: string | undefined;
  if (bytesAt(data, at, hdr, KEY_BYTES)) {
    at += KEY_BYTES.length;
    end = plainValueEnd(data, at, hdr);
    if (end === -1) return undefined;
    key = b.latin1Slice(at, end);
    at = end + 2;
  }
  let timestamp: number | undefined;
  if (bytesAt(data, at, hdr, TIMESTAMP_BYTES)) {
    at += TIMESTAMP_BYTES.length;
    let n = 0;
    const start = at;
    for (; at < hdr; at++) {
      const d = data[at]! - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    // Up to 15 digits the sum is exact (what Number() of the text gives); else the text path.
    if (at === start || at - start > 15 || data[at] !== CR || data[at + 1] !== LF) return undefined;
    timestamp = n;
    at += 2;
  }
  if (bytesAt(data, at, hdr, NATS_MSG_ID_BYTES)) {
    end = plainValueEnd(data, at + NATS_MSG_ID_BYTES.length, hdr);
    if (end === -1) return undefined;
    at = end + 2;
  }
  // Only the blank line that ends the block may follow.
  if (at !== hdr - 2 || data[at] !== CR || data[at + 1] !== LF) return undefined;
  const headers: Headers =
    type === undefined ? { 'message-id': id } : { 'message-id': id, 'content-type': type };
  return { headers, key, timestamp };
}

/** readOwnBlock's last content type and publish time, each with the line end that must follow it. */
const lastRead = { type: '', typeLine: '\r\n', time: 0, timeLine: '' };

/** Any header block: names matched case-insensitively, values trimmed, a repeated name's last value. */
function parseAnyBlock(text: string): ReadHeaders {
  const reader = new HeaderReader();
  let at = text.indexOf('\r\n');
  while (at !== -1) {
    const start = at + 2;
    at = text.indexOf('\r\n', start);
    const end = at === -1 ? text.length : at;
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= end) continue;
    reader.accept(headerName(text, start, colon), text.slice(colon + 1, end).trim());
  }
  return reader.result();
}

/** Lower-cases names (foreign producers may send `Content-Type`); the key and timestamp are lifted out. */
export function readNatsHeaders(msg: { readonly headers?: MsgHdrs | undefined }): ReadHeaders {
  const o = msg as RawMsg;
  const inner = typeof o.msg === 'object' && o.msg !== null ? o.msg : o;
  const data = inner._rdata;
  const hdr = inner._msg?.hdr;
  if (typeof hdr === 'number' && hdr > 0 && Buffer.isBuffer(data)) {
    const read = readOwnBytes(data, hdr);
    if (read !== undefined) return read;
  }
  const text = rawHeaderText(msg);
  if (text === undefined) return fromNatsHeaders(msg.headers);
  if (text === null) return EMPTY_READ;
  return parseHeaderText(text);
}

/** The same from nats.js' decoded MsgHdrs (messages of a shape readNatsHeaders does not know). */
export function fromNatsHeaders(source: MsgHdrs | undefined): ReadHeaders {
  if (!source) return EMPTY_READ;
  const reader = new HeaderReader();
  for (const name of source.keys()) reader.accept(name.toLowerCase(), source.get(name));
  return reader.result();
}
