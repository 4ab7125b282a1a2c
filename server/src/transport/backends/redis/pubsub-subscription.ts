/**
 * One Redis pub/sub subscription (fan-out only, nothing persisted). The server cannot redeliver, so
 * the delivery policy runs in-process (LocalDelivery): retries hold the message's place, per-key order
 * is kept, and a message is lost if the process dies before its handler succeeds.
 */

import {
  type Codec,
  compileMatcher,
  type DeliveryPolicy,
  type Handler,
  jsonCodec,
  KeyedScheduler,
  LocalDelivery,
  type LocalDeliveryOptions,
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
  readonly publisher: LocalDeliveryOptions<T>['broker'];
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
  readonly #delivery: LocalDelivery<T>;
  readonly #abort = new AbortController();
  #resolveClosed!: (error: Error | undefined) => void;
  #closing: Promise<void> | undefined;

  constructor(deps: PubsubSubscriptionDeps<T>) {
    this.#d = deps;
    this.topic = deps.topic;
    this.matches = compileMatcher(deps.topic);
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    // LocalDelivery: decode, a message built without intermediate objects, in-process retry with
    // backoff, then a dead letter (what memory and mqtt use).
    this.#delivery = new LocalDelivery<T>({
      handler: deps.handler,
      policy: deps.policy,
      codec: deps.codec,
      defaultCodec: deps.fallbackCodec ?? jsonCodec,
      broker: deps.publisher,
      logger: deps.logger,
      signal: this.#abort.signal,
      logPrefix: 'redis pubsub: ',
    });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  deliver(envelope: Envelope): void {
    if (this.#abort.signal.aborted || !this.matches(envelope.topic)) return;
    this.#scheduler.post(envelope.key, this.#run, envelope);
  }

  /** The scheduled task: never throws (a failure is logged). */
  readonly #run = (envelope: Envelope): Promise<void> | undefined => {
    try {
      return this.#delivery
        .deliver(envelope, envelope)
        ?.catch((error: unknown) => this.#failed(envelope, error));
    } catch (error) {
      this.#failed(envelope, error);
      return undefined;
    }
  };

  #failed(envelope: Envelope, error: unknown): void {
    this.#d.logger.error({ err: error, topic: envelope.topic }, 'redis pubsub: delivery failed');
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
}
