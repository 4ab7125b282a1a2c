/**
 * Redis pub/sub carries one opaque blob per message, so key, timestamp and headers travel in a small
 * frame around the payload. Two forms:
 *
 *   "RTM3" | t | " " | id | [" " | key] | "\n" | payload bytes   (default headers: a generated
 *        message-id and content type application/json; `t` decimal ms; the id has no space or newline)
 *   "RTM2" | meta JSON {k?, t, h} | "\n" | payload bytes          (any other headers, or a key
 *        holding a newline)
 *
 * RTM3 is read by scanning bytes (no JSON object per message: measured in the bench). JSON.stringify
 * never emits a raw newline, so in RTM2 the first "\n" after the magic ends the meta. With a text
 * payload (the JSON codec's) the whole frame is one string, which ioredis writes on its fast string
 * path; a binary payload makes it a Buffer. A blob without a magic prefix (a plain PUBLISH from
 * outside this project) is taken as a bare payload with no headers, so foreign publishers still
 * interoperate.
 */
import type { LocalIncoming } from '../../internal.ts';
import { headersFrom, JSON_TYPE } from './packed-headers.ts';

const MAGIC = 'RTM2';
const COMPACT = 'RTM3';
const NEWLINE = 0x0a;
const SPACE = 0x20;
// "RTM" and the form's digit.
const [R, T, M, TWO, THREE] = [0x52, 0x54, 0x4d, 0x32, 0x33];

/** A received message: topic, key, headers, raw payload and publish time (what LocalDelivery takes). */
export type Envelope = LocalIncoming;

/**
 * The frame for a payload already in wire form (see wirePayload): a string stays a string. `id`
 * (compactMessageId) picks RTM3; otherwise the RTM2 meta is assembled as text around the already
 * packed headers, the same JSON that JSON.stringify({ k, t, h }) gives.
 */
export function encodeEnvelope(
  payload: string | Buffer,
  key: string | undefined,
  id: string | undefined,
  packedHeaders: string,
  timestamp: number,
): string | Buffer {
  let head: string;
  if (id !== undefined && (key === undefined || !key.includes('\n'))) {
    const t = compactStart(timestamp);
    head = key === undefined ? `${t}${id}\n` : `${t}${id} ${key}\n`;
  } else {
    const h =
      id === undefined ? packedHeaders : JSON.stringify({ 'message-id': id, 'content-type': JSON_TYPE });
    head =
      key === undefined
        ? `${MAGIC}{"t":${timestamp},"h":${h}}\n`
        : `${MAGIC}{"k":${JSON.stringify(key)},"t":${timestamp},"h":${h}}\n`;
  }
  if (typeof payload === 'string') return head + payload;
  return Buffer.concat([Buffer.from(head, 'utf8'), payload]);
}

/** `RTM3<t> ` for the last timestamp seen: publishes in the same millisecond share it (one number to text per ms). */
let startMs = -1;
let startText = '';
function compactStart(timestamp: number): string {
  if (timestamp !== startMs) {
    startMs = timestamp;
    startText = `${COMPACT}${timestamp} `;
  }
  return startText;
}

/**
 * Never throws: a malformed frame is returned as a bare payload (the codec then decides). A frame
 * without a publish time gets the receive time.
 */
export function decodeEnvelope(topic: string, blob: Buffer): Envelope {
  if (blob.length >= 5 && blob[0] === R && blob[1] === T && blob[2] === M) {
    if (blob[3] === THREE) return decodeCompact(topic, blob) ?? bare(topic, blob);
    if (blob[3] === TWO) return decodeMeta(topic, blob) ?? bare(topic, blob);
  }
  return bare(topic, blob);
}

const bare = (topic: string, blob: Buffer): Envelope => ({
  topic,
  raw: blob,
  key: undefined,
  headers: {},
  timestamp: Date.now(),
});

function decodeCompact(topic: string, blob: Buffer): Envelope | undefined {
  const afterTime = blob.indexOf(SPACE, 4);
  if (afterTime <= 4 || afterTime > 20) return undefined;
  let timestamp = 0;
  for (let i = 4; i < afterTime; i++) {
    const digit = (blob[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    timestamp = timestamp * 10 + digit;
  }
  // The line ends at the first newline (a key never holds one in this form); the id at a space.
  const end = blob.indexOf(NEWLINE, afterTime + 1);
  if (end === -1) return undefined;
  let afterId = blob.indexOf(SPACE, afterTime + 1);
  if (afterId === -1 || afterId > end) afterId = end;
  if (afterId === afterTime + 1) return undefined;
  return {
    topic,
    raw: blob.subarray(end + 1),
    key: afterId === end ? undefined : blob.toString('utf8', afterId + 1, end),
    headers: { 'message-id': blob.toString('latin1', afterTime + 1, afterId), 'content-type': JSON_TYPE },
    timestamp,
  };
}

function decodeMeta(topic: string, blob: Buffer): Envelope | undefined {
  const end = blob.indexOf(NEWLINE, 4);
  if (end === -1) return undefined;
  try {
    const meta = JSON.parse(blob.toString('utf8', 4, end)) as { k?: unknown; t?: unknown; h?: unknown };
    return {
      topic,
      raw: blob.subarray(end + 1),
      key: typeof meta.k === 'string' ? meta.k : undefined,
      headers: headersFrom(meta.h) ?? {},
      timestamp: typeof meta.t === 'number' ? meta.t : Date.now(),
    };
  } catch {
    return undefined;
  }
}
