/** What both subscription kinds (JetStream and core) are given by the broker. */
import {
  type Broker,
  type Codec,
  type DeadLetterSource,
  type DeliveryPolicy,
  type Handler,
  publishDeadLetter,
  type TransportLogger,
} from '../../internal.ts';

export interface SubscriptionContext<T> {
  /** The topic (or wildcard pattern) as given; it is the NATS subject too. */
  readonly topic: string;
  readonly group: string | undefined;
  readonly handler: Handler<T>;
  readonly policy: DeliveryPolicy;
  /** The subscription's codec; absent = pick by content-type, then the broker default. */
  readonly codec: Codec<T> | undefined;
  readonly fallbackCodec: Codec | undefined;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  /** JetStream replay: a new consumer starts at the first message stored at or after this time. */
  readonly from?: { readonly time: number } | undefined;
  /** Dead letters are published back through the broker (so they land in a stream of their own). */
  readonly broker: Pick<Broker, 'publish'>;
  readonly logger: TransportLogger | undefined;
}

/**
 * Dead-letters one message; resolves true when it was published (or dropped by policy, which is
 * logged), false when publishing failed and the caller should keep the message for another try.
 */
export async function deadLetter(
  context: SubscriptionContext<unknown>,
  source: DeadLetterSource,
  error: Error,
  attempts: number,
): Promise<boolean> {
  try {
    const outcome = await publishDeadLetter(context.broker, context.policy, source, error, attempts);
    if (outcome.type === 'dropped') {
      context.logger?.warn(
        { topic: source.topic, attempts, err: error },
        'nats: message dropped (no dead-letter topic)',
      );
    }
    return true;
  } catch (publishError) {
    context.logger?.error({ topic: source.topic, err: publishError }, 'nats: dead-letter publish failed');
    return false;
  }
}
