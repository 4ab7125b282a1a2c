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

const MAGIC = 'RTM2';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
const NEWLINE = 0x0a;

export interface Envelope {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** The frame for a payload already in wire form (see wirePayload): a string stays a string. */
export function encodeEnvelope(
  envelope: Omit<Envelope, 'payload'> & { payload: string | Buffer },
): string | Buffer {
  const head = `${MAGIC}${JSON.stringify({ k: envelope.key, t: envelope.timestamp, h: envelope.headers })}\n`;
  if (typeof envelope.payload === 'string') return head + envelope.payload;
  return Buffer.concat([Buffer.from(head, 'utf8'), envelope.payload]);
}

/** Never throws: a malformed frame is returned as a bare payload (the codec then decides). */
export function decodeEnvelope(blob: Buffer, receivedAt: number): Envelope {
  const bare = { payload: blob, key: undefined, headers: {}, timestamp: receivedAt };
  if (blob.length < 5 || MAGIC_BYTES.compare(blob, 0, 4) !== 0) return bare;
  const end = blob.indexOf(NEWLINE, 4);
  if (end === -1) return bare;
  try {
    const meta = JSON.parse(blob.toString('utf8', 4, end)) as { k?: unknown; t?: unknown; h?: unknown };
    const headers: Record<string, string> = {};
    const h = meta.h;
    if (h !== null && typeof h === 'object') {
      for (const name in h) {
        const value = (h as Record<string, unknown>)[name];
        if (typeof value === 'string') headers[name] = value;
      }
    }
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
