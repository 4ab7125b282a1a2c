/**
 * The wire mapping between our messages and Kafka records: headers as UTF-8 record headers, the key as
 * UTF-8 record key, the payload bytes untouched. Pure functions; kafkajs types stay in this backend.
 */
import type { IHeaders, KafkaMessage, Message as KafkaOutMessage } from 'kafkajs';
import type { Headers } from '../../internal.ts';

/** A produce record for our headers / key / bytes. */
export function toKafkaRecord(raw: Uint8Array, headers: Headers, key: string | undefined): KafkaOutMessage {
  return {
    key: key ?? null,
    value: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength),
    // String values are valid kafkajs headers as they are (encoded as UTF-8 on the wire).
    headers: headers as IHeaders,
  };
}

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * Record headers as our string headers. Names are lower-cased (the contract); a header repeated by a
 * foreign producer keeps its last value.
 */
export function fromKafkaHeaders(headers: IHeaders | undefined): Headers {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name.toLowerCase()] = text(last);
  }
  return out;
}

/** The record key as a string, or undefined for a null key. */
export function recordKey(message: KafkaMessage): string | undefined {
  return message.key === null || message.key === undefined ? undefined : text(message.key);
}

/** The record value as a plain Uint8Array view over the same memory (no copy); null reads as empty. */
export function recordBytes(message: KafkaMessage): Uint8Array {
  const value = message.value;
  if (!value) return new Uint8Array(0);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
