/**
 * One Redis pub/sub subscription (fan-out only, nothing persisted). The server cannot redeliver, so
 * the delivery policy runs in-process (retryLocally): retries hold the message's place, per-key order
 * is kept, and a message is lost if the process dies before its handler succeeds.
 */

import {
  buildMessage,
  type Codec,
  compileMatcher,
  type DeliveryPolicy,
  decodeMessage,
  type Handler,
  KeyedScheduler,
  pickCodec,
  publishDeadLetter,
  retryLocally,
  type Subscription,
} from '../../internal.ts';
import type { TransportLogger } from '../../logger.ts';
import type { Envelope } from './pubsub-envelope.ts';

export interface PubsubSubscriptionDeps<T> {
  readonly topic: string;
  readonly handler: Handler<T>;
  readonly codec: Codec<T> | undefined;
  readonly fallbackCodec: Codec | undefined;
  readonly policy: DeliveryPolicy;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  readonly publisher: Parameters<typeof publishDeadLetter>[0];
  readonly logger: TransportLogger;
  /** Called once on close, before draining: stop routing messages here. */
  readonly detach: () => Promise<void>;
}

export class PubsubSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group = undefined;
  readonly closed: Promise<Error | undefined>;
  /** True for the concrete topics this subscription wants (a glob PSUBSCRIBE delivers a superset). */
  readonly matches: (topic: string) => boolean;
  readonly #d: PubsubSubscriptionDeps<T>;
  readonly #scheduler: KeyedScheduler;
  readonly #abort = new AbortController();
  #resolveClosed!: (error: Error | undefined) => void;
  #closing: Promise<void> | undefined;

  constructor(deps: PubsubSubscriptionDeps<T>) {
    this.#d = deps;
    this.topic = deps.topic;
    this.matches = compileMatcher(deps.topic);
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  deliver(topic: string, envelope: Envelope): void {
    if (this.#abort.signal.aborted || !this.matches(topic)) return;
    void this.#scheduler
      .run(envelope.key, () => this.#process(topic, envelope))
      .catch((error: unknown) =>
        this.#d.logger.error({ err: error, topic }, 'redis pubsub: delivery failed'),
      );
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#d.detach();
      this.#abort.abort();
      await this.#scheduler.onIdle();
      this.#resolveClosed(undefined);
    })();
    return this.#closing;
  }

  async #process(topic: string, envelope: Envelope): Promise<void> {
    const source = { topic, key: envelope.key, headers: envelope.headers, raw: envelope.payload };
    const decoded = decodeMessage(
      pickCodec(this.#d.codec, envelope.headers, this.#d.fallbackCodec),
      envelope.payload,
    );
    if (!decoded.ok) {
      await this.#deadLetter(source, decoded.error, 1);
      return;
    }
    const message = buildMessage<T>({
      ...source,
      value: decoded.value,
      timestamp: envelope.timestamp,
      native: envelope,
    });
    const outcome = await retryLocally({
      handler: this.#d.handler,
      message,
      policy: this.#d.policy,
      signal: this.#abort.signal,
    });
    if (outcome.type === 'exhausted') await this.#deadLetter(source, outcome.error, outcome.attempts);
    else if (outcome.type === 'aborted') {
      this.#d.logger.warn(
        { topic, id: message.id, attempts: outcome.attempts },
        'redis pubsub: closed while waiting to retry; message dropped',
      );
    }
  }

  async #deadLetter(
    source: Parameters<typeof publishDeadLetter>[2],
    error: Error,
    attempts: number,
  ): Promise<void> {
    try {
      const outcome = await publishDeadLetter(this.#d.publisher, this.#d.policy, source, error, attempts);
      if (outcome.type === 'dropped')
        this.#d.logger.warn({ topic: source.topic, err: error }, 'redis pubsub: message dropped');
    } catch (cause) {
      this.#d.logger.error(
        { err: cause, topic: source.topic },
        'redis pubsub: dead-letter publish failed; message lost',
      );
    }
  }
}
