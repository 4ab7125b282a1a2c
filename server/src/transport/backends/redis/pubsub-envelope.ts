/**
 * Redis pub/sub carries one opaque blob per message, so key, timestamp and headers travel in a small
 * frame around the payload:
 *
 *   "RTM\x01" | uint32 BE meta length | meta JSON {k?, t, h} | payload bytes
 *
 * A blob without the magic prefix (a plain PUBLISH from outside this project) is taken as a bare
 * payload with no headers, so foreign publishers still interoperate.
 */
import type { Headers } from '../../message.ts';

const MAGIC = Buffer.from('RTM\x01', 'latin1');

export interface Envelope {
  readonly payload: Uint8Array;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly timestamp: number;
}

export function encodeEnvelope(envelope: Envelope): Buffer {
  const meta = Buffer.from(
    JSON.stringify({ k: envelope.key, t: envelope.timestamp, h: envelope.headers }),
    'utf8',
  );
  const head = Buffer.allocUnsafe(8);
  MAGIC.copy(head, 0);
  head.writeUInt32BE(meta.length, 4);
  return Buffer.concat([head, meta, envelope.payload]);
}

/** Never throws: a malformed frame is returned as a bare payload (the codec then decides). */
export function decodeEnvelope(blob: Buffer, receivedAt: number): Envelope {
  const bare = { payload: blob, key: undefined, headers: {}, timestamp: receivedAt };
  if (blob.length < 8 || !blob.subarray(0, 4).equals(MAGIC)) return bare;
  const metaLength = blob.readUInt32BE(4);
  if (8 + metaLength > blob.length) return bare;
  try {
    const meta = JSON.parse(blob.subarray(8, 8 + metaLength).toString('utf8')) as {
      k?: unknown;
      t?: unknown;
      h?: unknown;
    };
    const headers: Record<string, string> = {};
    if (meta.h && typeof meta.h === 'object') {
      for (const [name, value] of Object.entries(meta.h))
        if (typeof value === 'string') headers[name] = value;
    }
    return {
      payload: blob.subarray(8 + metaLength),
      key: typeof meta.k === 'string' ? meta.k : undefined,
      headers,
      timestamp: typeof meta.t === 'number' ? meta.t : receivedAt,
    };
  } catch {
    return bare;
  }
}
