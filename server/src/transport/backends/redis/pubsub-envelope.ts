/**
 * Redis pub/sub carries one opaque blob per message, so key, timestamp and headers travel in a small
 * frame around the payload:
 *
 *   "RTM2" | meta JSON {k?, t, h} | "\n" | payload bytes
 *
 * JSON.stringify never emits a raw newline, so the first "\n" after the magic ends the meta. With a
 * text payload (the JSON codec's) the whole frame is one string, which ioredis writes on its fast
 * string path; a binary payload makes it a Buffer. A blob without the magic prefix (a plain PUBLISH
 * from outside this project) is taken as a bare payload with no headers, so foreign publishers still
 * interoperate.
 */
import type { Headers } from '../../message.ts';
import { headersFrom } from './packed-headers.ts';

const MAGIC = 'RTM2';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
const NEWLINE = 0x0a;

export interface Envelope {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly timestamp: number;
}

/**
 * The frame for a payload already in wire form (see wirePayload): a string stays a string. The meta
 * is assembled as text around the already packed headers (packed-headers.ts), the same JSON that
 * JSON.stringify({ k, t, h }) gives, without building and walking an object per publish.
 */
export function encodeEnvelope(
  payload: string | Buffer,
  key: string | undefined,
  packedHeaders: string,
  timestamp: number,
): string | Buffer {
  const head =
    key === undefined
      ? `${MAGIC}{"t":${timestamp},"h":${packedHeaders}}\n`
      : `${MAGIC}{"k":${JSON.stringify(key)},"t":${timestamp},"h":${packedHeaders}}\n`;
  if (typeof payload === 'string') return head + payload;
  return Buffer.concat([Buffer.from(head, 'utf8'), payload]);
}

/** Never throws: a malformed frame is returned as a bare payload (the codec then decides). */
export function decodeEnvelope(blob: Buffer, receivedAt: number): Envelope {
  const bare = { payload: blob, key: undefined, headers: {}, timestamp: receivedAt };
  if (blob.length < 5 || MAGIC_BYTES.compare(blob, 0, 4) !== 0) return bare;
  const end = blob.indexOf(NEWLINE, 4);
  if (end === -1) return bare;
  try {
    const meta = JSON.parse(blob.toString('utf8', 4, end)) as { k?: unknown; t?: unknown; h?: unknown };
    const headers = headersFrom(meta.h) ?? {};
    return {
      payload: blob.subarray(end + 1),
      key: typeof meta.k === 'string' ? meta.k : undefined,
      headers,
      timestamp: typeof meta.t === 'number' ? meta.t : receivedAt,
    };
  } catch {
    return bare;
  }
}
