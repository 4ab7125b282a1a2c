/**
 * The Kafka backend (kafkajs behind it; nothing of kafkajs leaks past native()). Publishes go through
 * one idempotent producer, coalesced into produce requests (ProduceBatcher) and acknowledged by all
 * in-sync replicas (acks=-1) before publish() resolves. Each subscription is its own consumer
 * (KafkaSubscription). Topics are created on first use with the configured partition count.
 */
import { CompressionTypes, type Kafka, type Message as KafkaRecord, type Producer } from 'kafkajs';
import type {
  Broker,
  BrokerStatus,
  Capabilities,
  Codec,
  DeadLetterSource,
  DeliveryPolicy,
  Handler,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from '../../internal.ts';
import {
  BrokerClosedError,
  buildPublishHeaders,
  ConnectError,
  DeadlineError,
  InvalidOptionError,
  jsonCodec,
  PendingPromises,
  PublishError,
  publishDeadLetter,
  resolvePolicy,
} from '../../internal.ts';
import { StatusEmitter } from '../../status-emitter.ts';
import { KafkaSubscribeError } from './errors.ts';
import { createKafkaClient } from './kafka-client.ts';
import { toKafkaRecord } from './kafka-record.ts';
import { KafkaSubscription } from './kafka-subscription.ts';
import { type KafkaBrokerOptions, type ResolvedKafkaOptions, resolveKafkaOptions } from './options.ts';
import { ProduceBatcher } from './produce-batcher.ts';
import { stickyPartitioner } from './sticky-partitioner.ts';
import { TopicAdmin } from './topic-admin.ts';
import { assertKafkaTopic } from './topic-name.ts';

export const capabilities: Capabilities = Object.freeze({
  persistent: true,
  orderedByKey: true,
  redelivery: true,
  groups: true,
  requestReply: false,
  headers: true,
  wildcards: false,
  replay: true,
});

/** Keyless messages move to another partition after this many payload bytes. */
const STICKY_SWITCH_BYTES = 1024 * 1024;

/** close() deadline when the call gives none. */
const CLOSE_DEADLINE_MS = 30_000;

export function createKafkaBroker(options: KafkaBrokerOptions = {}): Broker {
  return new KafkaBroker(resolveKafkaOptions(options));
}

class KafkaBroker implements Broker {
  readonly name = 'kafka';
  readonly capabilities = capabilities;
  readonly #o: ResolvedKafkaOptions;
  readonly #kafka: Kafka;
  #producer: Producer;
  readonly #admin: TopicAdmin;
  readonly #adminClient: ReturnType<Kafka['admin']>;
  readonly #batcher: ProduceBatcher<KafkaRecord>;
  readonly #status = new StatusEmitter();
  readonly #subs = new Set<KafkaSubscription<unknown>>();
  readonly #validTopics = new Set<string>();
  /** Publishes not yet handed to the batcher (waiting for their topic): close() waits for them too. */
  readonly #starting = new PendingPromises();
  /** Subscriptions being set up: closing waits for them, then closes them. */
  readonly #subscribing = new Set<Promise<unknown>>();
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #attempt = 0;

  constructor(options: ResolvedKafkaOptions) {
    this.#o = options;
    this.#kafka = createKafkaClient(options, {
      onSocketError: (error) => this.#unreachable(error),
      onSocketConnected: () => this.#reachable(),
    });
    this.#producer = this.#newProducer();
    this.#adminClient = this.#kafka.admin();
    this.#admin = new TopicAdmin(this.#adminClient, options);
    const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    this.#batcher = new ProduceBatcher<KafkaRecord>(
      async (batch) => {
        const request = {
          topicMessages: [...batch].map(([topic, messages]) => ({ topic, messages })),
          acks: -1,
          compression,
        };
        try {
          await this.#producer.sendBatch(request);
        } catch (error) {
          if (!needsNewProducer(error)) throw error;
          // kafkajs rolls its sequence numbers back when a request fails, even one the broker had
          // written (a restart lost the reply); the producer is then stuck with "out of order"
          // forever. A new producer id starts clean; resending may duplicate (at-least-once).
          options.logger.warn({ err: error }, 'kafka: idempotent producer out of sync, starting a new one');
          await this.#replaceProducer();
          await this.#producer.sendBatch(request);
        }
      },
      {
        lingerMs: options.lingerMs,
        maxBatchMessages: options.maxBatchMessages,
        maxBatchBytes: options.maxBatchBytes,
        wrapError: (error, topic) => new PublishError('kafka', topic, error),
      },
    );
  }

  #newProducer(): Producer {
    return this.#kafka.producer({
      idempotent: this.#o.idempotent,
      createPartitioner: stickyPartitioner(STICKY_SWITCH_BYTES),
      allowAutoTopicCreation: false,
    });
  }

  async #replaceProducer(): Promise<void> {
    const old = this.#producer;
    this.#producer = this.#newProducer();
    await old.disconnect().catch(() => {});
    await this.#producer.connect();
  }

  get status(): BrokerStatus {
    return this.#status.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.#status.on(listener);
  }

  connect(): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError('kafka connect'));
    this.#connecting ??= this.#connect().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    this.#status.set({ type: 'connecting' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no broker answered within ${this.#o.connectTimeoutMs} ms`)),
        this.#o.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all([this.#adminClient.connect(), this.#producer.connect()]), late]);
    } catch (error) {
      await Promise.allSettled([this.#producer.disconnect(), this.#adminClient.disconnect()]);
      this.#status.set({ type: 'idle' });
      throw new ConnectError('kafka', error);
    } finally {
      clearTimeout(timer);
    }
    this.#attempt = 0;
    this.#status.set({ type: 'connected' });
  }

  #unreachable(error: Error): void {
    if (this.#closing || this.#status.status.type === 'idle' || this.#status.status.type === 'connecting')
      return;
    this.#attempt++;
    this.#status.set({ type: 'reconnecting', attempt: this.#attempt, error });
  }

  #reachable(): void {
    if (this.#closing || this.#status.status.type !== 'reconnecting') return;
    this.#attempt = 0;
    this.#status.set({ type: 'connected' });
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError(`kafka publish to "${topic}"`));
    return this.#send(topic, value, options);
  }

  /**
   * publish() without the closing check: dead letters of draining subscriptions still go out. Once
   * connected and the topic is known, the message is queued synchronously (the hot path: one
   * promise per publish); otherwise it waits for the connection and the topic, tracked so close()
   * waits for it too.
   */
  #send<T>(topic: string, value: T, options: PublishOptions): Promise<void> {
    let record: KafkaRecord;
    let bytes: number;
    try {
      if (!this.#validTopics.has(topic)) {
        assertKafkaTopic(topic);
        this.#validTopics.add(topic);
      }
      const codec: Codec = options.codec ?? this.#o.codec ?? jsonCodec;
      let raw = codec.encode(value);
      // The record holds `raw` until it is sent: copy bytes the caller handed in (rawCodec), so it
      // may reuse its buffer once publish() resolves.
      if ((raw as unknown) === value) raw = raw.slice();
      bytes = raw.byteLength;
      record = toKafkaRecord(raw, buildPublishHeaders(codec, options.headers), options.key);
    } catch (error) {
      return Promise.reject(new PublishError('kafka', topic, error));
    }
    if (this.#status.status.type !== 'idle' && this.#admin.isKnown(topic))
      return this.#enqueue(topic, record, bytes);
    return this.#starting.track(this.#prepareThenEnqueue(topic, record, bytes));
  }

  async #prepareThenEnqueue(topic: string, record: KafkaRecord, bytes: number): Promise<void> {
    try {
      await (this.#connecting ?? this.connect());
      await this.#admin.ensureTopic(topic);
    } catch (error) {
      throw new PublishError('kafka', topic, error);
    }
    return this.#enqueue(topic, record, bytes);
  }

  #enqueue(topic: string, record: KafkaRecord, bytes: number): Promise<void> {
    return this.#batcher.add(topic, record, bytes); // rejects with PublishError (wrapError)
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    if (this.#closing) throw new BrokerClosedError(`kafka subscribe to "${topic}"`);
    assertKafkaTopic(topic);
    if (options.group !== undefined && options.group.length === 0)
      throw new InvalidOptionError('group is empty');
    const maxInFlight = options.maxInFlight ?? 1;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new InvalidOptionError('maxInFlight must be an integer >= 1');
    }
    const policy = resolvePolicy({ ...this.#o.policy, ...options.policy });
    const starting = this.#subscribe(topic, handler, options, policy, maxInFlight);
    this.#subscribing.add(starting);
    const forget = () => this.#subscribing.delete(starting);
    starting.then(forget, forget);
    return starting;
  }

  async #subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T>,
    policy: DeliveryPolicy,
    maxInFlight: number,
  ): Promise<Subscription> {
    await this.connect();
    try {
      await this.#admin.ensureTopic(topic);
    } catch (error) {
      throw new KafkaSubscribeError(topic, error);
    }
    const sub: KafkaSubscription<T> = await KafkaSubscription.start<T>({
      kafka: this.#kafka,
      admin: this.#admin,
      options: this.#o,
      topic,
      group: options.group,
      handler,
      policy,
      codec: options.codec,
      maxInFlight,
      orderedByKey: options.orderedByKey ?? true,
      from: options.from,
      logger: this.#o.logger,
      deadLetter: (p: DeliveryPolicy, source: DeadLetterSource, error: Error, attempts: number) =>
        publishDeadLetter(
          { publish: (t, v, o) => this.#starting.track(this.#send(t, v, o ?? {})) },
          p,
          source,
          error,
          attempts,
        ),
      onCrash: (error, restart) => {
        if (restart) this.#unreachable(error);
        else this.#o.logger.error({ topic, err: error }, 'kafka: consumer stopped for good');
      },
      onHealthy: () => this.#reachable(),
      onClosed: () => this.#subs.delete(sub as KafkaSubscription<unknown>),
    });
    this.#subs.add(sub as KafkaSubscription<unknown>);
    // close() may have begun while we were joining: it did not see this subscription.
    if (this.#closing) {
      await sub.close();
      throw new BrokerClosedError(`kafka subscribe to "${topic}"`);
    }
    return sub;
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#drain(options.deadlineMs ?? CLOSE_DEADLINE_MS);
    return this.#closing;
  }

  async #drain(deadlineMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const drained = (async () => {
      await Promise.allSettled([...this.#subscribing]);
      // Subscriptions first: their handlers may still dead-letter through the producer.
      await Promise.allSettled([...this.#subs].map((s) => s.close()));
      await this.#starting.settled();
      await this.#batcher.flush();
      return 'drained' as const;
    })();
    const result = await Promise.race([drained, late]);
    clearTimeout(timer);
    await Promise.allSettled([this.#producer.disconnect(), this.#adminClient.disconnect()]);
    if (result === 'late') {
      const error = new DeadlineError('kafka close', deadlineMs);
      this.#status.set({ type: 'closed', error });
      throw error;
    }
    this.#status.set({ type: 'closed' });
  }

  /** The kafkajs `Kafka` instance (create extra producers, consumers or admins from it). */
  native(): Kafka {
    return this.#kafka;
  }
}

/** Producer-state errors that no retry of the same producer can get out of. */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

function needsNewProducer(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && PRODUCER_STATE_ERRORS.has(e.type)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => needsNewProducer(x, depth + 1))) return true;
  return needsNewProducer(e.cause, depth + 1);
}
