/** Turns a received NATS message into our Message (or a decode failure bound for dead letter). */
import {
  buildMessage,
  type Codec,
  type DeadLetterSource,
  type DecodeError,
  decodeMessage,
  type Message,
  pickCodec,
} from '../../internal.ts';
import type { ReadHeaders } from './nats-headers.ts';

export interface InboundFields {
  readonly subject: string;
  readonly data: Uint8Array;
  /** The message's headers, already read (fromNatsHeaders: the scheduler needed the key first). */
  readonly read: ReadHeaders;
  readonly attempt: number;
  /** Server timestamp (JetStream); core NATS uses the publisher's header, else now. */
  readonly timestamp: number | undefined;
  readonly native: unknown;
}

export type Inbound<T> =
  | { readonly ok: true; readonly source: DeadLetterSource; readonly message: Message<T> }
  | { readonly ok: false; readonly source: DeadLetterSource; readonly error: DecodeError };

export function readInbound<T>(
  fields: InboundFields,
  codec: Codec<T> | undefined,
  fallback: Codec | undefined,
): Inbound<T> {
  const { headers, key, timestamp } = fields.read;
  const source: DeadLetterSource = { topic: fields.subject, key, headers, raw: fields.data };
  const decoded = decodeMessage(pickCodec(codec, headers, fallback), fields.data);
  if (!decoded.ok) return { ok: false, source, error: decoded.error };
  const message = buildMessage({
    topic: fields.subject,
    key,
    headers,
    value: decoded.value,
    raw: fields.data,
    timestamp: fields.timestamp ?? timestamp,
    attempt: fields.attempt,
    native: fields.native,
  });
  return { ok: true, source, message };
}
