import type { Broker, DeliveryPolicy } from '../broker.ts';
import { rawCodec } from '../codecs/raw-codec.ts';
import { HEADER, type Headers } from '../message.ts';
import { deadLetterTopicFor } from './policy.ts';

/** What dead-lettering needs of a message: enough to republish it byte for byte. */
export interface DeadLetterSource {
  readonly topic: string;
  readonly key: string | undefined;
  readonly headers: Headers;
  readonly raw: Uint8Array;
}

/**
 * The original headers (message id, content type, trace context kept) plus the error, its code
 * (when it has a string `code`), the attempt count and the original topic.
 */
export function deadLetterHeaders(
  message: Pick<DeadLetterSource, 'topic' | 'headers'>,
  error: Error,
  attempts: number,
): Headers {
  const code = (error as { code?: unknown }).code;
  const out: Record<string, string> = {
    ...message.headers,
    [HEADER.error]: error.message.slice(0, 1024),
    [HEADER.attempts]: String(attempts),
    [HEADER.originalTopic]: message.headers[HEADER.originalTopic] ?? message.topic,
  };
  if (typeof code === 'string' && code.length > 0) out[HEADER.errorCode] = code;
  else delete out[HEADER.errorCode];
  return out;
}

export type DeadLetterOutcome =
  | { readonly type: 'published'; readonly topic: string }
  | { readonly type: 'dropped' };

/**
 * Publishes a dead letter through `broker`: the raw payload unchanged (rawCodec, so it is not
 * re-encoded), the key, and deadLetterHeaders(). The policy's `deadLetterTopic: false` drops it
 * instead (the caller counts/logs that). Rejects when the broker does not take it.
 */
export async function publishDeadLetter(
  broker: Pick<Broker, 'publish'>,
  policy: DeliveryPolicy,
  message: DeadLetterSource,
  error: Error,
  attempts: number,
): Promise<DeadLetterOutcome> {
  const topic = deadLetterTopicFor(policy, message.topic);
  if (topic === undefined) return { type: 'dropped' };
  const options = { headers: deadLetterHeaders(message, error, attempts), codec: rawCodec } as const;
  await broker.publish(
    topic,
    message.raw,
    message.key === undefined ? options : { ...options, key: message.key },
  );
  return { type: 'published', topic };
}
