/**
 * One Redis pub/sub subscription (fan-out only, nothing persisted). The server cannot redeliver, so
 * the delivery policy runs in-process (retryLocally): retries hold the message's place, per-key order
 * is kept, and a message is lost if the process dies before its handler succeeds.
 */

import {
  buildMessage,
  type Codec,
  compileMatcher,
  type DeadLetterSource,
  type DeliveryPolicy,
  decodeMessage,
  deliverLocally,
  type Handler,
  KeyedScheduler,
  type Message,
  publishDeadLetter,
  type RetryOutcome,
  type Subscription,
} from '../../internal.ts';
import type { TransportLogger } from '../../logger.ts';
import { CodecMemo } from './codec-memo.ts';
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
  readonly #codecs: CodecMemo<T>;
  readonly #abort = new AbortController();
  #resolveClosed!: (error: Error | undefined) => void;
  #closing: Promise<void> | undefined;

  constructor(deps: PubsubSubscriptionDeps<T>) {
    this.#d = deps;
    this.topic = deps.topic;
    this.matches = compileMatcher(deps.topic);
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    this.#codecs = new CodecMemo(deps.codec, deps.fallbackCodec);
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  deliver(topic: string, envelope: Envelope): void {
    if (this.#abort.signal.aborted || !this.matches(topic)) return;
    this.#scheduler.post(envelope.key, this.#run, { topic, envelope });
  }

  /** The scheduled task: never throws (a failure is logged). */
  readonly #run = (job: { topic: string; envelope: Envelope }): Promise<void> | undefined => {
    try {
      return this.#process(job.topic, job.envelope)?.catch((error: unknown) =>
        this.#failed(job.topic, error),
      );
    } catch (error) {
      this.#failed(job.topic, error);
      return undefined;
    }
  };

  #failed(topic: string, error: unknown): void {
    this.#d.logger.error({ err: error, topic }, 'redis pubsub: delivery failed');
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

  /** Synchronous when the handler is and succeeds (no promise at all on that path). */
  #process(topic: string, envelope: Envelope): Promise<void> | undefined {
    const source = { topic, key: envelope.key, headers: envelope.headers, raw: envelope.payload };
    const decoded = decodeMessage(this.#codecs.for(envelope.headers), envelope.payload);
    if (!decoded.ok) return this.#deadLetter(source, decoded.error, 1);
    const message = buildMessage<T>({
      topic,
      key: envelope.key,
      headers: envelope.headers,
      raw: envelope.payload,
      value: decoded.value,
      timestamp: envelope.timestamp,
      native: envelope,
    });
    const outcome = deliverLocally({
      handler: this.#d.handler,
      message,
      policy: this.#d.policy,
      signal: this.#abort.signal,
    });
    if (!(outcome instanceof Promise)) return this.#settle(source, message, outcome);
    return outcome.then((o) => this.#settle(source, message, o));
  }

  #settle(source: DeadLetterSource, message: Message<T>, outcome: RetryOutcome): Promise<void> | undefined {
    if (outcome.type === 'exhausted') return this.#deadLetter(source, outcome.error, outcome.attempts);
    if (outcome.type === 'aborted') {
      this.#d.logger.warn(
        { topic: source.topic, id: message.id, attempts: outcome.attempts },
        'redis pubsub: closed while waiting to retry; message dropped',
      );
    }
    return undefined;
  }

  async #deadLetter(source: DeadLetterSource, error: Error, attempts: number): Promise<void> {
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
