import type { Broker, DeliveryPolicy, Subscription } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { Fifo } from '../../delivery/fifo.ts';
import { KeyedScheduler } from '../../delivery/keyed-scheduler.ts';
import { LocalDelivery } from '../../delivery/local-delivery.ts';
import { QueueFullError } from '../../errors.ts';
import type { TransportLogger } from '../../logger.ts';
import type { Handler } from '../../message.ts';
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
 * the policy is applied in-process (LocalDelivery: retry with backoff, then a dead letter).
 */
export class MemorySubscription<T> implements Subscription, Inbox {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  private readonly scheduler: KeyedScheduler;
  private readonly blocked = new Fifo<Blocked>();
  private readonly abort = new AbortController();
  private readonly delivery: LocalDelivery<T>;
  private closing: Promise<void> | undefined;
  private resolveClosed!: (error: Error | undefined) => void;

  constructor(private readonly o: MemorySubscriptionOptions<T>) {
    this.topic = o.pattern;
    this.group = o.group;
    this.scheduler = new KeyedScheduler({ maxInFlight: o.maxInFlight, orderedByKey: o.orderedByKey });
    this.delivery = new LocalDelivery<T>({ ...o, signal: this.abort.signal, logPrefix: '' });
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
    return this.delivery.deliver(envelope, envelope);
  }
}
