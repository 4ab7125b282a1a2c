/** A message as a handler sees it: plain data plus the backend's native message as an escape hatch. */

/** String headers. Names are lower-case; the standard ones are in HEADER. */
export type Headers = Readonly<Record<string, string>>;

/** Standard header names, the same on every backend (the raw payload + these are the wire contract). */
export const HEADER = {
  messageId: 'message-id',
  correlationId: 'correlation-id',
  traceparent: 'traceparent',
  contentType: 'content-type',
  /**
   * The message key, on backends with no key field of their own (MQTT user property, NATS and AMQP
   * header). Read into `Message.key`, not shown among the headers.
   */
  key: 'x-key',
  /** Set on dead-lettered messages: the last error's message. */
  error: 'x-error',
  /** Set on dead-lettered messages: the error's stable code, when it has one. */
  errorCode: 'x-error-code',
  /** Set on dead-lettered messages: how many delivery attempts were made. */
  attempts: 'x-attempts',
  /** Set on dead-lettered messages: the topic the message was first published to. */
  originalTopic: 'x-original-topic',
} as const;

export interface Message<T = unknown> {
  /** Unique id (the `message-id` header; generated at publish when not given). */
  readonly id: string;
  readonly topic: string;
  /** Partition / ordering key; undefined when published without one. */
  readonly key: string | undefined;
  readonly headers: Headers;
  /** The payload decoded by the subscription's codec. */
  readonly value: T;
  /** The payload bytes exactly as on the wire. */
  readonly raw: Uint8Array;
  /** Publish time, ms since the epoch. */
  readonly timestamp: number;
  /** 1 on first delivery, incremented on every redelivery. */
  readonly attempt: number;
  /** The backend's own message object (kafkajs message, amqplib ConsumeMessage, ...). */
  readonly native: unknown;
}

/** Resolve = ack, throw (or reject) = nack; what a nack does is the subscription's DeliveryPolicy. */
export type Handler<T = unknown> = (message: Message<T>) => Promise<void> | void;
