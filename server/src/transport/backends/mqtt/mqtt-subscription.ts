import type { Broker, DeliveryPolicy, Subscription } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { publishDeadLetter } from '../../delivery/dead-letter.ts';
import { pickCodec } from '../../delivery/decode-message.ts';
import { newMessageId } from '../../delivery/headers.ts';
import { KeyedScheduler } from '../../delivery/keyed-scheduler.ts';
import { continueLocally, type RetryOutcome } from '../../delivery/retry-locally.ts';
import { attemptHandler } from '../../delivery/run-handler.ts';
import { DecodeError } from '../../errors.ts';
import type { TransportLogger } from '../../logger.ts';
import { type Handler, HEADER, type Message } from '../../message.ts';

/** A received PUBLISH in transport terms. */
export interface Incoming {
  readonly topic: string;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: Uint8Array;
  readonly timestamp: number;
  readonly native: unknown;
}

export interface MqttSubscriptionOptions<T> {
  readonly topic: string;
  readonly group: string | undefined;
  readonly handler: Handler<T>;
  readonly policy: DeliveryPolicy;
  readonly codec: Codec<T> | undefined;
  readonly defaultCodec: Codec;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  readonly broker: Pick<Broker, 'publish'>;
  readonly logger: TransportLogger;
  /** Detaches from the wire subscription (UNSUBSCRIBE when it was the last). */
  readonly detach: () => Promise<void>;
}

/**
 * One local subscription. MQTT cannot redeliver a nacked message (the PUBACK is protocol-level), so
 * the delivery policy runs in-process: attemptHandler() then, unless that succeeded at once,
 * continueLocally() (retryLocally with a synchronous first attempt) with backoff, then a dead letter.
 */
export class MqttSubscription<T = unknown> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly scheduler: KeyedScheduler;
  private readonly abort = new AbortController();
  private closing: Promise<void> | undefined;
  private resolveClosed!: (error: Error | undefined) => void;

  constructor(private readonly o: MqttSubscriptionOptions<T>) {
    this.topic = o.topic;
    this.group = o.group;
    this.scheduler = new KeyedScheduler({ maxInFlight: o.maxInFlight, orderedByKey: o.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  offer(incoming: Incoming): void {
    this.scheduler.post(incoming.key, this.deliverBound, incoming);
  }

  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** A close deadline passed: stop waiting to retry. */
  abandon(): void {
    this.abort.abort();
  }

  private async drain(): Promise<void> {
    try {
      await this.o.detach();
    } catch (error) {
      this.o.logger.warn({ err: error, topic: this.topic }, 'mqtt: unsubscribe failed');
    }
    await this.scheduler.onIdle();
    this.resolveClosed(undefined);
  }

  /** One bound function for every delivery (no closure per message). */
  private readonly deliverBound = (incoming: Incoming) => this.deliver(incoming);

  /**
   * Synchronous when the handler is and succeeds (the slot frees in the same turn); a promise only
   * for an asynchronous handler, a retry or a dead letter. Never rejects.
   */
  private deliver(incoming: Incoming): Promise<void> | undefined {
    const codec = pickCodec(this.o.codec, incoming.headers, this.o.defaultCodec);
    let value: T;
    try {
      value = codec.decode(incoming.raw);
    } catch (cause) {
      return this.deadLetter(incoming, new DecodeError(codec.contentType, cause), 1);
    }
    // Built here rather than through decodeMessage/buildMessage/deliverLocally: their result and
    // option objects were allocations per message that a synchronous success never needs.
    const message: Message<T> = {
      id: incoming.headers[HEADER.messageId] ?? newMessageId(),
      topic: incoming.topic,
      key: incoming.key,
      headers: incoming.headers,
      value,
      raw: incoming.raw,
      timestamp: incoming.timestamp,
      attempt: 1,
      native: incoming.native,
    };
    const first = attemptHandler(this.o.handler, message, this.o.policy);
    if (!(first instanceof Promise) && first.ok) return undefined;
    const outcome = continueLocally(
      { handler: this.o.handler, message, policy: this.o.policy, signal: this.abort.signal },
      first,
    );
    if (outcome instanceof Promise) return outcome.then((o) => this.settle(incoming, message.id, o));
    return outcome.type === 'acked' ? undefined : this.settle(incoming, message.id, outcome);
  }

  private settle(incoming: Incoming, id: string, outcome: RetryOutcome): Promise<void> | undefined {
    if (outcome.type === 'exhausted') return this.deadLetter(incoming, outcome.error, outcome.attempts);
    if (outcome.type === 'aborted') {
      this.o.logger.warn(
        { topic: incoming.topic, id, attempts: outcome.attempts },
        'mqtt: retry abandoned at close',
      );
    }
    return undefined;
  }

  private async deadLetter(incoming: Incoming, error: Error, attempts: number): Promise<void> {
    try {
      const out = await publishDeadLetter(this.o.broker, this.o.policy, incoming, error, attempts);
      this.o.logger.warn(
        { topic: incoming.topic, attempts, err: error, deadLetter: out },
        'mqtt: message dead-lettered',
      );
    } catch (publishError) {
      this.o.logger.error(
        { topic: incoming.topic, attempts, err: publishError },
        'mqtt: dead letter publish failed',
      );
    }
  }
}
