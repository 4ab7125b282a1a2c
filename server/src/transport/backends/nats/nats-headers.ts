/**
 * Our headers <-> NATS headers. Names go on the wire lower-case (NATS headers are case-preserving);
 * the message key travels in its own header because core NATS and JetStream have no key field.
 */
import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { HEADER, type Headers } from '../../internal.ts';

/** Header carrying the message key (partition / ordering key). */
export const KEY_HEADER = HEADER.key;
/** Publish time (ms since epoch) for core NATS, which has no server timestamp. */
export const TIMESTAMP_HEADER = 'x-published-at';
/** JetStream's own de-duplication header; mirrors `message-id`, so it is not shown to handlers. */
const NATS_MSG_ID = 'nats-msg-id';

export function toNatsHeaders(headers: Headers, key: string | undefined, timestamp?: number): MsgHdrs {
  const out = natsHeaders();
  for (const [name, value] of Object.entries(headers)) out.set(name, value);
  if (key !== undefined) out.set(KEY_HEADER, key);
  else if (headers[KEY_HEADER] !== undefined) out.delete(KEY_HEADER);
  if (timestamp !== undefined) out.set(TIMESTAMP_HEADER, String(timestamp));
  return out;
}

export interface ReadHeaders {
  readonly headers: Headers;
  readonly key: string | undefined;
  readonly timestamp: number | undefined;
}

/** Lower-cases names (foreign producers may send `Content-Type`); the key and timestamp are lifted out. */
export function fromNatsHeaders(source: MsgHdrs | undefined): ReadHeaders {
  const headers: Record<string, string> = {};
  let key: string | undefined;
  let timestamp: number | undefined;
  if (source) {
    for (const rawName of source.keys()) {
      const name = rawName.toLowerCase();
      const value = source.get(rawName);
      if (name === KEY_HEADER) key = value;
      else if (name === TIMESTAMP_HEADER) {
        const n = Number(value);
        if (Number.isFinite(n)) timestamp = n;
      } else if (name !== NATS_MSG_ID) headers[name] = value;
    }
  }
  return { headers, key, timestamp };
}
