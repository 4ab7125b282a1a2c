import type { Broker, DeliveryPolicy, Subscription } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { KeyedScheduler } from '../../delivery/keyed-scheduler.ts';
import { LocalDelivery } from '../../delivery/local-delivery.ts';
import type { TransportLogger } from '../../logger.ts';
import type { Handler } from '../../message.ts';

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
 * the delivery policy runs in-process (LocalDelivery: retry with backoff, then a dead letter).
 */
export class MqttSubscription<T = unknown> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly scheduler: KeyedScheduler;
  private readonly abort = new AbortController();
  private readonly delivery: LocalDelivery<T>;
  private closing: Promise<void> | undefined;
  private resolveClosed!: (error: Error | undefined) => void;

  constructor(private readonly o: MqttSubscriptionOptions<T>) {
    this.topic = o.topic;
    this.group = o.group;
    this.scheduler = new KeyedScheduler({ maxInFlight: o.maxInFlight, orderedByKey: o.orderedByKey });
    this.delivery = new LocalDelivery<T>({ ...o, signal: this.abort.signal, logPrefix: 'mqtt: ' });
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

  /** One bound function for every delivery (no closure per message); see LocalDelivery.deliver(). */
  private readonly deliverBound = (incoming: Incoming) => this.delivery.deliver(incoming, incoming.native);
}
