import { HEADER, type Headers, type Message } from '../message.ts';
import { newMessageId } from './headers.ts';

export interface MessageFields<T> {
  readonly topic: string;
  readonly key?: string | undefined;
  readonly headers: Headers;
  readonly value: T;
  readonly raw: Uint8Array;
  /** Publish time (ms since epoch); defaults to now when the backend does not carry one. */
  readonly timestamp?: number | undefined;
  /** Defaults to 1. */
  readonly attempt?: number;
  readonly native?: unknown;
}

/**
 * A Message; its id is the `message-id` header (one is generated if a foreign producer sent none).
 * Readonly by type, not frozen: freezing costs on the hot path and the types already forbid writes.
 */
export function buildMessage<T>(fields: MessageFields<T>): Message<T> {
  const id = fields.headers[HEADER.messageId] ?? newMessageId();
  return {
    id,
    topic: fields.topic,
    key: fields.key,
    headers: fields.headers,
    value: fields.value,
    raw: fields.raw,
    timestamp: fields.timestamp ?? Date.now(),
    attempt: fields.attempt ?? 1,
    native: fields.native,
  };
}

/** The same message for another attempt (a copy: the original stays as it was). */
export function withAttempt<T>(message: Message<T>, attempt: number): Message<T> {
  return { ...message, attempt };
}
