import type { Broker, DeliveryPolicy, Subscription } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { publishDeadLetter } from '../../delivery/dead-letter.ts';
import { pickCodec } from '../../delivery/decode-message.ts';
import { Fifo } from '../../delivery/fifo.ts';
import { newMessageId } from '../../delivery/headers.ts';
import { KeyedScheduler } from '../../delivery/keyed-scheduler.ts';
import { continueLocally, type RetryOutcome } from '../../delivery/retry-locally.ts';
import { attemptHandler } from '../../delivery/run-handler.ts';
import { DecodeError, QueueFullError } from '../../errors.ts';
import type { TransportLogger } from '../../logger.ts';
import { type Handler, HEADER, type Message } from '../../message.ts';
import type { Envelope, Inbox, MemoryHub } from './memory-hub.ts';

export interface MemorySubscriptionOptions<T> {
  readonly hub: MemoryHub;
  /** Dead letters are published through this broker. */
  readonly broker: Pick<Broker, 'publish'>;
  readonly pattern: string;
  readonly group: string | undefined;
  readonly handler: Handler<T>;
  readonly policy: DeliveryPolicy;
  readonly codec: Codec<T> | undefined;
  readonly defaultCodec: Codec;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  readonly queueCapacity: number;
  readonly overflow: 'wait' | 'reject';
  readonly logger: TransportLogger;
  readonly onClosed: () => void;
}

interface Blocked {
  readonly envelope: Envelope;
  readonly resolve: () => void;
}

/**
 * One subscription's bounded inbox: at most `queueCapacity` messages wait to start; past that a
 * publisher waits (or is rejected, `overflow: 'reject'`). Delivery runs through a KeyedScheduler and
 * the policy is applied in-process: attemptHandler() then, unless that succeeded at once, continueLocally()
 * (retryLocally with a synchronous first attempt).
 */
export class MemorySubscription<T> implements Subscription, Inbox {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  private readonly scheduler: KeyedScheduler;
  private readonly blocked = new Fifo<Blocked>();
  private readonly abort = new AbortController();
  private closing: Promise<void> | undefined;
  private resolveClosed!: (error: Error | undefined) => void;

  constructor(private readonly o: MemorySubscriptionOptions<T>) {
    this.topic = o.pattern;
    this.group = o.group;
    this.scheduler = new KeyedScheduler({ maxInFlight: o.maxInFlight, orderedByKey: o.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  get pattern(): string {
    return this.o.pattern;
  }

  offer(envelope: Envelope): Promise<void> | undefined {
    if (this.closing) return this.handOff(envelope);
    if (this.blocked.length === 0 && this.scheduler.queued < this.o.queueCapacity) {
      this.accept(envelope);
      return undefined;
    }
    if (this.o.overflow === 'reject') {
      return Promise.reject(new QueueFullError(`memory subscription "${this.topic}"`, this.o.queueCapacity));
    }
    return new Promise((resolve) => this.blocked.push({ envelope, resolve }));
  }

  /** Stops taking messages, delivers those already taken, waits for running handlers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** Stops retry waits (a deadline passed): messages waiting to retry are abandoned. */
  abandon(): void {
    this.abort.abort();
  }

  private async drain(): Promise<void> {
    this.o.hub.remove(this);
    for (const b of this.blocked.drain()) {
      const w = this.handOff(b.envelope);
      if (w) w.then(b.resolve, b.resolve);
      else b.resolve();
    }
    await this.scheduler.onIdle();
    this.o.onClosed();
    this.resolveClosed(undefined);
  }

  /** A closing group member passes waiting messages to the rest of its group; fan-out drops them. */
  private handOff(envelope: Envelope): Promise<void> | undefined {
    if (this.o.group !== undefined) return this.o.hub.redirect(this.o.pattern, this.o.group, envelope);
    return undefined;
  }

  private accept(envelope: Envelope): void {
    this.scheduler.post(envelope.key, this.deliverBound, envelope);
  }

  /** Called as a delivery starts: a queue slot is free, so the oldest waiting publisher gets in. */
  private admit(): void {
    while (this.blocked.length > 0 && this.scheduler.queued < this.o.queueCapacity) {
      const b = this.blocked.shift()!;
      this.accept(b.envelope);
      b.resolve();
    }
  }

  /** One bound function for every delivery (no closure per message). */
  private readonly deliverBound = (envelope: Envelope) => this.deliver(envelope);

  /**
   * Synchronous when the handler is and succeeds (then the slot frees in the same turn); a promise
   * only for an asynchronous handler, a retry or a dead letter. Never rejects.
   */
  private deliver(envelope: Envelope): Promise<void> | undefined {
    this.admit();
    const codec = pickCodec(this.o.codec, envelope.headers, this.o.defaultCodec);
    let value: T;
    try {
      value = codec.decode(envelope.raw);
    } catch (cause) {
      return this.deadLetter(envelope, new DecodeError(codec.contentType, cause), 1);
    }
    // Built here rather than through decodeMessage/buildMessage/deliverLocally: their result and
    // option objects were allocations per message that a synchronous success never needs.
    const message: Message<T> = {
      id: envelope.headers[HEADER.messageId] ?? newMessageId(),
      topic: envelope.topic,
      key: envelope.key,
      headers: envelope.headers,
      value,
      raw: envelope.raw,
      timestamp: envelope.timestamp,
      attempt: 1,
      native: envelope,
    };
    const first = attemptHandler(this.o.handler, message, this.o.policy);
    if (!(first instanceof Promise) && first.ok) return undefined;
    const outcome = continueLocally(
      { handler: this.o.handler, message, policy: this.o.policy, signal: this.abort.signal },
      first,
    );
    if (outcome instanceof Promise) return outcome.then((o) => this.settle(envelope, message.id, o));
    return outcome.type === 'acked' ? undefined : this.settle(envelope, message.id, outcome);
  }

  private settle(envelope: Envelope, id: string, outcome: RetryOutcome): Promise<void> | undefined {
    if (outcome.type === 'exhausted') return this.deadLetter(envelope, outcome.error, outcome.attempts);
    if (outcome.type === 'aborted') {
      this.o.logger.warn(
        { topic: envelope.topic, id, attempts: outcome.attempts },
        'retry abandoned at close',
      );
    }
    return undefined;
  }

  private async deadLetter(envelope: Envelope, error: Error, attempts: number): Promise<void> {
    try {
      const out = await publishDeadLetter(this.o.broker, this.o.policy, envelope, error, attempts);
      this.o.logger.warn(
        { topic: envelope.topic, attempts, err: error, deadLetter: out },
        'message dead-lettered',
      );
    } catch (publishError) {
      this.o.logger.error(
        { topic: envelope.topic, attempts, err: publishError },
        'dead letter publish failed',
      );
    }
  }
}
