/**
 * Our headers <-> AMQP message properties. The standard ones use the AMQP properties (message-id,
 * correlation-id, content-type) so other AMQP clients see them where they expect; everything else is
 * an AMQP header. Internal headers (key, publish time, retry bookkeeping, RabbitMQ's x-death) are
 * read into Message fields and not shown as headers.
 */
import type { MessageProperties, Options } from 'amqplib';
import { HEADER, type Headers, newMessageId, normalizeHeaders } from '../../internal.ts';

/** The ordering key (AMQP has none of its own). */
export const KEY_HEADER = HEADER.key;
/** Publish time in ms (the AMQP timestamp property has whole seconds only). */
export const PUBLISHED_AT_HEADER = 'x-published-at';
/** Set on a message republished to a retry queue: the attempt it will be. */
export const RETRY_ATTEMPT_HEADER = 'x-retry-attempt';
/** Set on a retried message: the topic it was first published to (its routing key is the queue's). */
export const RETRY_TOPIC_HEADER = 'x-retry-topic';
/** Set by quorum queues on a redelivery: how many times the message was delivered before. */
export const DELIVERY_COUNT_HEADER = 'x-delivery-count';

const INTERNAL = new Set([
  KEY_HEADER,
  PUBLISHED_AT_HEADER,
  RETRY_ATTEMPT_HEADER,
  RETRY_TOPIC_HEADER,
  DELIVERY_COUNT_HEADER,
  'x-death',
]);
const isInternal = (name: string) =>
  INTERNAL.has(name) || name.startsWith('x-first-death-') || name.startsWith('x-last-death-');

/**
 * The AMQP properties of a publish: buildPublishHeaders' rules (a generated `message-id`, the codec's
 * `content-type` unless the caller set them), with the standard headers as AMQP properties and the
 * rest, the key and the publish time in ms as AMQP headers. A publish that names no headers (the
 * common case) builds the properties directly, without an intermediate header record.
 */
export function publishProperties(
  contentType: string,
  given: Headers | undefined,
  key: string | undefined,
  timestamp: number,
  persistent: boolean,
): Options.Publish {
  if (given === undefined) {
    const amqpHeaders: Record<string, string> =
      key === undefined
        ? { [PUBLISHED_AT_HEADER]: String(timestamp) }
        : { [KEY_HEADER]: key, [PUBLISHED_AT_HEADER]: String(timestamp) };
    return {
      persistent,
      headers: amqpHeaders,
      timestamp: Math.floor(timestamp / 1000),
      messageId: newMessageId(),
      contentType,
    };
  }
  const headers = normalizeHeaders(given);
  const amqpHeaders: Record<string, string> = {};
  for (const name in headers) {
    if (name !== HEADER.messageId && name !== HEADER.correlationId && name !== HEADER.contentType)
      amqpHeaders[name] = headers[name]!;
  }
  if (key !== undefined) amqpHeaders[KEY_HEADER] = key;
  amqpHeaders[PUBLISHED_AT_HEADER] = String(timestamp);
  const props: Options.Publish = {
    persistent,
    headers: amqpHeaders,
    timestamp: Math.floor(timestamp / 1000),
    messageId: headers[HEADER.messageId] ?? newMessageId(),
    contentType: headers[HEADER.contentType] ?? contentType,
  };
  if (headers[HEADER.correlationId] !== undefined) props.correlationId = headers[HEADER.correlationId];
  return props;
}

export interface InboundMeta {
  readonly headers: Headers;
  readonly key: string | undefined;
  readonly timestamp: number;
  /**
   * 1 unless the message came back from a retry queue (`x-retry-attempt`), plus the redeliveries a
   * quorum queue counted (`x-delivery-count`: a consumer crashed or the message was requeued).
   */
  readonly attempt: number;
  /** The original topic when the message came back from a retry queue. */
  readonly retryTopic: string | undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function readProperties(properties: MessageProperties): InboundMeta {
  const raw = (properties.headers ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined || value === null) continue;
    const lower = name.toLowerCase();
    if (!isInternal(lower)) headers[lower] = text(value);
  }
  if (properties.messageId !== undefined) headers[HEADER.messageId] = text(properties.messageId);
  if (properties.correlationId !== undefined) headers[HEADER.correlationId] = text(properties.correlationId);
  if (properties.contentType !== undefined) headers[HEADER.contentType] = text(properties.contentType);
  const publishedAt = Number(raw[PUBLISHED_AT_HEADER]);
  const seconds = Number(properties.timestamp);
  const retried = Number(raw[RETRY_ATTEMPT_HEADER]);
  const redelivered = Number(raw[DELIVERY_COUNT_HEADER]);
  const attempt =
    (Number.isInteger(retried) && retried > 1 ? retried : 1) +
    (Number.isInteger(redelivered) && redelivered > 0 ? redelivered : 0);
  return {
    headers,
    key: raw[KEY_HEADER] === undefined ? undefined : text(raw[KEY_HEADER]),
    timestamp: Number.isFinite(publishedAt)
      ? publishedAt
      : Number.isFinite(seconds) && seconds > 0
        ? seconds * 1000
        : Date.now(),
    attempt,
    retryTopic: raw[RETRY_TOPIC_HEADER] === undefined ? undefined : text(raw[RETRY_TOPIC_HEADER]),
  };
}
