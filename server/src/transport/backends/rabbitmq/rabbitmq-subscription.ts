/**
 * One RabbitMQ subscription: its own channel (prefetch = maxInFlight), its queue bound to the topic
 * exchange, a consumer feeding a KeyedScheduler.
 *
 * - ack after the handler succeeded; a failure is republished (confirmed) to the retry queue of its
 *   delay bucket with the next attempt number in a header, then acked; when the TTL expires RabbitMQ
 *   dead-letters it back into this queue. The retry does not hold a prefetch slot, so later messages
 *   of the same key may overtake a retried one.
 * - exhausted or undecodable: published to the dead-letter topic, then acked. For a group, the
 *   dead-letter topic also gets a durable `dead-letters` queue, so dead letters are kept even when
 *   nobody subscribes to them yet.
 * - a consumer crash: RabbitMQ requeues what it had not acked (attempt number unchanged).
 * - reconnect: AmqpConnection calls attach() again, which re-declares everything and consumes again.
 */
import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import {
  attemptHandler,
  backoffDelay,
  buildMessage,
  type Codec,
  type DeadLetterSource,
  type DeliveryPolicy,
  deadLetterTopicFor,
  decodeMessage,
  type Handler,
  type HandlerResult,
  KeyedScheduler,
  pickCodec,
  publishDeadLetter,
  type Subscription,
  sleep,
  toAmqpBindingKey,
} from '../../internal.ts';
import type { TransportLogger } from '../../logger.ts';
import { AckBatcher } from './ack-batcher.ts';
import type { AmqpConnection } from './amqp-connection.ts';
import {
  DELIVERY_COUNT_HEADER,
  type InboundMeta,
  RETRY_ATTEMPT_HEADER,
  RETRY_TOPIC_HEADER,
  readProperties,
} from './amqp-headers.ts';
import type { RabbitmqQueueType } from './options.ts';
import {
  DeclaredQueues,
  mainQueueOptions,
  queueName,
  retryBucket,
  retryQueueName,
  retryQueueOptions,
} from './topology.ts';

/** Publishes bytes to an exchange on the confirm channel; resolves on the broker's confirm. */
export type ConfirmedPublish = (
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
) => Promise<void>;

export interface RabbitmqSubscriptionDeps<T> {
  readonly topic: string;
  readonly group: string | undefined;
  readonly queue: string;
  readonly handler: Handler<T>;
  readonly codec: Codec<T> | undefined;
  readonly fallbackCodec: Codec | undefined;
  readonly policy: DeliveryPolicy;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  readonly exchange: string;
  readonly queuePrefix: string;
  readonly queueType: RabbitmqQueueType;
  readonly amqp: AmqpConnection;
  readonly publisher: Parameters<typeof publishDeadLetter>[0];
  readonly publishRaw: ConfirmedPublish;
  readonly logger: TransportLogger;
}

interface Job {
  readonly acks: AckBatcher;
  readonly msg: ConsumeMessage;
  readonly meta: InboundMeta;
}

/** The group whose durable queue keeps a group subscription's dead letters. */
export const DEAD_LETTER_GROUP = 'dead-letters';

export class RabbitmqSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly #d: RabbitmqSubscriptionDeps<T>;
  readonly #scheduler: KeyedScheduler;
  readonly #abort = new AbortController();
  #channel: Channel | undefined;
  #acks: AckBatcher | undefined;
  #declared: DeclaredQueues | undefined;
  #consumerTag: string | undefined;
  #unhook: (() => void) | undefined;
  #resolveClosed!: (error: Error | undefined) => void;
  #closing: Promise<void> | undefined;

  constructor(deps: RabbitmqSubscriptionDeps<T>) {
    this.#d = deps;
    this.topic = deps.topic;
    this.group = deps.group;
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  get #durable(): boolean {
    return this.group !== undefined;
  }

  /** First attach on the live connection; later ones happen on every reconnect. */
  async start(connection: ChannelModel): Promise<void> {
    await this.#attach(connection);
    this.#unhook = this.#d.amqp.onReconnected((live) => this.#attach(live.connection));
  }

  async #attach(connection: ChannelModel): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const channel = await connection.createChannel();
    channel.on('error', (error: Error) =>
      this.#d.logger.warn({ err: error, queue: this.#d.queue }, 'rabbitmq: channel error'),
    );
    channel.once('close', () => this.#onChannelClosed(channel, connection));
    await channel.prefetch(this.#d.maxInFlight);
    const declared = new DeclaredQueues(channel);
    await declared.ensure(this.#d.queue, mainQueueOptions(this.#durable, this.#d.queueType), {
      exchange: this.#d.exchange,
      pattern: toAmqpBindingKey(this.topic),
    });
    const acks = new AckBatcher(channel, this.#onSettleError);
    this.#channel = channel;
    this.#acks = acks;
    this.#declared = declared;
    const { consumerTag } = await channel.consume(
      this.#d.queue,
      (msg) => this.#onMessage(acks, connection, msg),
      {
        noAck: false,
      },
    );
    this.#consumerTag = consumerTag;
  }

  /** A channel closed while its connection lives (a channel-level error, queue deleted): attach again. */
  #onChannelClosed(channel: Channel, connection: ChannelModel): void {
    if (this.#channel !== channel || this.#abort.signal.aborted) return;
    this.#channel = undefined;
    if (this.#d.amqp.live?.connection !== connection) return; // the reconnect hook takes over
    void this.#reattach(connection);
  }

  async #reattach(connection: ChannelModel): Promise<void> {
    for (
      let delay = 100;
      !this.#abort.signal.aborted && this.#d.amqp.live?.connection === connection;
      delay = Math.min(5_000, delay * 2)
    ) {
      if (!(await sleep(delay, this.#abort.signal))) return;
      try {
        await this.#attach(connection);
        return;
      } catch (error) {
        this.#d.logger.warn(
          { err: error, queue: this.#d.queue },
          'rabbitmq: re-attaching a subscription failed',
        );
      }
    }
  }

  #onMessage(acks: AckBatcher, connection: ChannelModel, msg: ConsumeMessage | null): void {
    const channel = acks.channel;
    if (msg === null) {
      // The server cancelled the consumer (its queue was deleted): declare it again and consume.
      this.#d.logger.warn(
        { queue: this.#d.queue },
        'rabbitmq: consumer cancelled by the server, re-attaching',
      );
      if (this.#channel === channel) {
        this.#channel = undefined;
        acks.flush();
        void channel.close().catch(() => {});
        void this.#reattach(connection);
      }
      return;
    }
    acks.delivered(msg);
    const meta = readProperties(msg.properties);
    this.#scheduler.post(meta.key, this.#task, { acks, msg, meta });
  }

  /** The scheduled task: never throws (a failure is logged; the unacked message is redelivered). */
  readonly #task = (job: Job): Promise<void> | undefined => {
    try {
      return this.#process(job)?.catch((error: unknown) => this.#failed(error));
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  };

  #failed(error: unknown): void {
    this.#d.logger.error({ err: error, queue: this.#d.queue }, 'rabbitmq: delivery failed');
  }

  /**
   * Synchronous when the handler is and succeeds (no promise on that path). The hot path allocates
   * only the Message; the dead-letter source is built when a message fails.
   */
  #process(job: Job): Promise<void> | undefined {
    // Queued when close() began: left unacked, RabbitMQ requeues it when the channel closes.
    if (this.#abort.signal.aborted) return;
    const { msg, meta } = job;
    const decoded = decodeMessage(pickCodec(this.#d.codec, meta.headers, this.#d.fallbackCodec), msg.content);
    if (!decoded.ok) return this.#deadLetter(job.acks, msg, sourceOf(msg, meta), decoded.error, meta.attempt);
    const message = buildMessage<T>({
      topic: meta.retryTopic ?? msg.fields.routingKey,
      key: meta.key,
      headers: meta.headers,
      raw: msg.content,
      value: decoded.value,
      timestamp: meta.timestamp,
      attempt: meta.attempt,
      native: msg,
    });
    const result = attemptHandler(this.#d.handler, message, this.#d.policy);
    if (!(result instanceof Promise)) return this.#finish(job, result);
    return result.then((r) => this.#finish(job, r));
  }

  #finish({ acks, msg, meta }: Job, result: HandlerResult): Promise<void> | undefined {
    if (result.ok) {
      acks.ack(msg);
      return undefined;
    }
    const source = sourceOf(msg, meta);
    if (meta.attempt >= this.#d.policy.maxAttempts)
      return this.#deadLetter(acks, msg, source, result.error, meta.attempt);
    return this.#retry(acks, msg, source.topic, meta.attempt, result.error);
  }

  async #retry(
    acks: AckBatcher,
    msg: ConsumeMessage,
    topic: string,
    attempt: number,
    error: Error,
  ): Promise<void> {
    const bucket = retryBucket(this.#d.policy, attempt);
    const retryQueue = retryQueueName(this.#d.queue, bucket);
    try {
      await this.#declared?.ensure(retryQueue, retryQueueOptions(this.#d.queue, this.#durable, bucket));
      const { headers, ...props } = msg.properties;
      await this.#d.publishRaw('', retryQueue, msg.content, {
        ...withoutUndefined(props),
        persistent: msg.properties.deliveryMode === 2,
        expiration: String(backoffDelay(this.#d.policy, attempt)),
        headers: {
          ...stripDeath(headers),
          [RETRY_ATTEMPT_HEADER]: String(attempt + 1),
          [RETRY_TOPIC_HEADER]: topic,
        },
      });
      this.#d.logger.debug(
        { topic, attempt, err: error, bucket },
        'rabbitmq: handler failed, retry scheduled',
      );
      this.#settle(acks, msg, 'ack');
    } catch (cause) {
      // Could not schedule the retry: give it back to the queue now (same attempt number).
      this.#d.logger.warn({ err: cause, topic }, 'rabbitmq: scheduling a retry failed; requeued');
      this.#settle(acks, msg, 'requeue');
    }
  }

  async #deadLetter(
    acks: AckBatcher,
    msg: ConsumeMessage,
    source: DeadLetterSource,
    error: Error,
    attempts: number,
  ): Promise<void> {
    try {
      const dlq = deadLetterTopicFor(this.#d.policy, source.topic);
      if (dlq !== undefined && this.#durable) {
        await this.#declared?.ensure(
          queueName(this.#d.queuePrefix, dlq, DEAD_LETTER_GROUP),
          mainQueueOptions(true, this.#d.queueType),
          {
            exchange: this.#d.exchange,
            pattern: dlq,
          },
        );
      }
      const outcome = await publishDeadLetter(this.#d.publisher, this.#d.policy, source, error, attempts);
      if (outcome.type === 'dropped')
        this.#d.logger.warn(
          { topic: source.topic, err: error },
          'rabbitmq: message dropped (no dead-letter topic)',
        );
      this.#settle(acks, msg, 'ack');
    } catch (cause) {
      this.#d.logger.error(
        { err: cause, topic: source.topic },
        'rabbitmq: dead-letter publish failed; requeued',
      );
      this.#settle(acks, msg, 'requeue');
    }
  }

  /**
   * Settles on the channel the message came from (acks batched per turn, see AckBatcher); after a
   * reconnect that channel is gone and RabbitMQ redelivers.
   */
  #settle(acks: AckBatcher, msg: ConsumeMessage, how: 'ack' | 'requeue'): void {
    if (how === 'ack') acks.ack(msg);
    else acks.requeue(msg);
  }

  readonly #onSettleError = (error: unknown): void => {
    this.#d.logger.debug(
      { err: error },
      'rabbitmq: settle on a closed channel (the message will be redelivered)',
    );
  };

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#unhook?.();
    const channel = this.#channel;
    if (channel && this.#consumerTag) await channel.cancel(this.#consumerTag).catch(() => {});
    this.#abort.abort();
    await this.#scheduler.onIdle();
    this.#acks?.flush();
    if (channel) {
      if (!this.#durable) {
        for (const name of this.#declared?.names ?? []) {
          if (name !== this.#d.queue && name.startsWith(this.#d.queue))
            await channel.deleteQueue(name).catch(() => {});
        }
      }
      await channel.close().catch(() => {});
    }
    this.#resolveClosed(undefined);
  }
}

/** What a dead letter is built from: the topic first published to, and the bytes as received. */
function sourceOf(msg: ConsumeMessage, meta: InboundMeta): DeadLetterSource {
  return {
    topic: meta.retryTopic ?? msg.fields.routingKey,
    key: meta.key,
    headers: meta.headers,
    raw: msg.content,
  };
}

/**
 * The headers a retry copy carries: without RabbitMQ's dead-letter history, and without a quorum
 * queue's delivery count (already folded into the attempt number the copy carries).
 */
function stripDeath(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (
      name !== 'x-death' &&
      name !== DELIVERY_COUNT_HEADER &&
      !name.startsWith('x-first-death-') &&
      !name.startsWith('x-last-death-')
    )
      out[name] = value;
  }
  return out;
}

function withoutUndefined<V extends object>(value: V): Partial<V> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<V>;
}
