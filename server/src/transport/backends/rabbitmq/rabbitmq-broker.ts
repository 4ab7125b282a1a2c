/**
 * The RabbitMQ backend (amqplib): every message goes through one durable topic exchange, routed by
 * topic; subscriptions consume from their own queues (see topology.ts). Publishes use a confirm
 * channel and resolve on the broker's confirm. AmqpConnection reconnects and restores subscriptions.
 */
import { randomUUID } from 'node:crypto';
import type { Options } from 'amqplib';
import {
  type Broker,
  BrokerClosedError,
  type BrokerStatus,
  type Capabilities,
  type Codec,
  DeadlineError,
  type Handler,
  InvalidOptionError,
  jsonCodec,
  PendingPromises,
  PublishCount,
  PublishError,
  type PublishOptions,
  PublishTopicCheck,
  patternProblem,
  resolvePolicy,
  type SubscribeOptions,
  type Subscription,
  TransportError,
} from '../../internal.ts';
import { StatusEmitter } from '../../status-emitter.ts';
import { AmqpConnection } from './amqp-connection.ts';
import { publishProperties } from './amqp-headers.ts';
import {
  type RabbitmqBrokerOptions,
  type ResolvedRabbitmqOptions,
  resolveRabbitmqOptions,
} from './options.ts';
import { RabbitmqSubscription } from './rabbitmq-subscription.ts';
import { queueName } from './topology.ts';

export const capabilities: Capabilities = Object.freeze({
  persistent: true,
  orderedByKey: true,
  redelivery: true,
  groups: true,
  requestReply: false,
  headers: true,
  wildcards: true,
});

export function createRabbitmqBroker(options: RabbitmqBrokerOptions = {}): Broker {
  return new RabbitmqBroker(resolveRabbitmqOptions(options));
}

/** The payload as a Buffer (amqplib's type) over the codec's bytes, without copying them. */
function wireContent<T>(codec: Codec<T>, value: T): Buffer {
  const bytes = codec.encode(value);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The connection dropped before the broker confirmed: the message may or may not have been taken. */
const isConnectionLoss = (error: unknown) =>
  /channel closed|connection closed|channel ended/i.test(String((error as Error)?.message));

class RabbitmqBroker implements Broker {
  readonly name = 'rabbitmq';
  readonly capabilities = capabilities;
  readonly #o: ResolvedRabbitmqOptions;
  readonly #status = new StatusEmitter();
  readonly #amqp: AmqpConnection;
  readonly #subs = new Set<RabbitmqSubscription<unknown>>();
  readonly #internal: Pick<Broker, 'publish'> = {
    publish: (t, v, o) => this.#send(t, v, o ?? {}),
  };
  readonly #inflight = new PendingPromises();
  /** Publishes handed to the channel and not yet confirmed (a count: no promise set per publish). */
  readonly #unconfirmed = new PublishCount();
  readonly #publishTopics = new PublishTopicCheck();
  #started: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedRabbitmqOptions) {
    this.#o = options;
    this.#amqp = new AmqpConnection(options, this.#status);
  }

  get status(): BrokerStatus {
    return this.#status.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.#status.on(listener);
  }

  /** The amqplib ChannelModel (connection), undefined while (re)connecting. */
  native(): unknown {
    return this.#amqp.live?.connection;
  }

  connect(): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError('rabbitmq connect'));
    this.#started ??= this.#amqp.start().catch((error: unknown) => {
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError(`rabbitmq publish to "${topic}"`));
    // Counted from the call on, so a close() right after still waits for its confirm. Once started,
    // no await hop before the channel write (publishes of one turn then share socket writes).
    if (this.#started && this.#amqp.live) return this.#send(topic, value, options);
    return this.#inflight.track(this.connect().then(() => this.#send(topic, value, options)));
  }

  /** Not async: one promise per publish (the confirm's), none for the steps before it. */
  #send<T>(topic: string, value: T, options: PublishOptions): Promise<void> {
    const problem = this.#publishTopics.problem(topic);
    if (problem) return Promise.reject(new PublishError('rabbitmq', topic, new InvalidOptionError(problem)));
    const codec = (options.codec ?? this.#o.codec ?? jsonCodec) as Codec<T>;
    let content: Buffer;
    let props: Options.Publish;
    const now = Date.now();
    try {
      content = wireContent(codec, value);
    } catch (cause) {
      return Promise.reject(new PublishError('rabbitmq', topic, cause));
    }
    try {
      props = publishProperties(codec.contentType, options.headers, options.key, now, this.#o.persistent);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#unconfirmed.started();
    return this.#confirmed(this.#o.exchange, topic, content, props, now, true);
  }

  /** For subscriptions (retries): publishes on the confirm channel and resolves on the confirm. */
  #publishRaw = (
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> => this.#confirmed(exchange, routingKey, content, options, Date.now(), false);

  /**
   * Publishes on the confirm channel and resolves on the confirm. Connected: one promise, settled by
   * amqplib's confirm callback (which also settles the `counted` publish's unconfirmed count: no
   * second promise per publish). While reconnecting it waits (up to publishTimeoutMs from
   * `startedAt`); a publish whose connection dropped before the confirm is sent again on the new
   * connection (at-least-once: the first copy may have been taken too).
   */
  #confirmed(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    startedAt: number,
    counted: boolean,
  ): Promise<void> {
    const deadline = startedAt + this.#o.publishTimeoutMs;
    const live = this.#amqp.live;
    if (!live) {
      const retried = this.#publishRetrying(exchange, routingKey, content, options, deadline);
      return counted ? retried.finally(this.#unconfirmed.settled) : retried;
    }
    return new Promise<void>((resolve, reject) => {
      try {
        live.publisher.publish(exchange, routingKey, content, options, (error: unknown) => {
          if (!error) {
            if (counted) this.#unconfirmed.settled();
            resolve();
          } else if (!isConnectionLoss(error) || Date.now() >= deadline) {
            if (counted) this.#unconfirmed.settled();
            reject(new PublishError('rabbitmq', routingKey, error));
          } else {
            const retried = this.#publishRetrying(exchange, routingKey, content, options, deadline);
            (counted ? retried.finally(this.#unconfirmed.settled) : retried).then(resolve, reject);
          }
        });
      } catch (error) {
        if (counted) this.#unconfirmed.settled();
        reject(new PublishError('rabbitmq', routingKey, error));
      }
    });
  }

  async #publishRetrying(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    deadline: number,
  ): Promise<void> {
    for (;;) {
      const live = this.#amqp.live ?? (await this.#amqp.ready(Math.max(0, deadline - Date.now())));
      if (!live) {
        if (this.#closing && !this.#amqp.live)
          throw new BrokerClosedError(`rabbitmq publish to "${routingKey}"`);
        throw new PublishError(
          'rabbitmq',
          routingKey,
          new Error(`no connection within ${this.#o.publishTimeoutMs} ms`),
        );
      }
      const confirmed = new Promise<void>((resolve, reject) => {
        try {
          live.publisher.publish(exchange, routingKey, content, options, (error: unknown) =>
            error ? reject(error) : resolve(),
          );
        } catch (error) {
          reject(error);
        }
      });
      try {
        await confirmed;
        return;
      } catch (error) {
        if (!isConnectionLoss(error) || Date.now() >= deadline)
          throw new PublishError('rabbitmq', routingKey, error);
        this.#o.logger.debug(
          { err: error, routingKey },
          'rabbitmq: connection lost before confirm; publishing again',
        );
      }
    }
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    if (this.#closing) throw new BrokerClosedError(`rabbitmq subscribe to "${topic}"`);
    const problem = patternProblem(topic);
    if (problem) throw new InvalidOptionError(problem);
    if (options.group !== undefined && options.group.length === 0)
      throw new InvalidOptionError('group is empty');
    const maxInFlight = options.maxInFlight ?? 1;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw new InvalidOptionError('maxInFlight must be an integer >= 1');
    await this.connect();
    const live = await this.#amqp.ready(this.#o.publishTimeoutMs);
    if (!live) throw new TransportError('TRANSPORT_CONNECT_FAILED', 'rabbitmq: not connected');
    const sub = new RabbitmqSubscription<T>({
      topic,
      group: options.group,
      queue: queueName(this.#o.queuePrefix, topic, options.group ?? `fanout.${randomUUID()}`),
      handler,
      codec: options.codec,
      fallbackCodec: this.#o.codec,
      policy: resolvePolicy({ ...this.#o.policy, ...options.policy }),
      maxInFlight,
      orderedByKey: options.orderedByKey ?? true,
      exchange: this.#o.exchange,
      queuePrefix: this.#o.queuePrefix,
      queueType: this.#o.queueType,
      amqp: this.#amqp,
      publisher: this.#internal,
      publishRaw: this.#publishRaw,
      logger: this.#o.logger,
    });
    await sub.start(live.connection);
    this.#subs.add(sub as RabbitmqSubscription<unknown>);
    void sub.closed.then(() => this.#subs.delete(sub as RabbitmqSubscription<unknown>));
    return sub;
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#drain(options.deadlineMs ?? this.#o.closeDeadlineMs);
    return this.#closing;
  }

  async #drain(deadlineMs: number): Promise<void> {
    await this.#started?.catch(() => {});
    const drained = Promise.allSettled([...this.#subs].map((s) => s.close()))
      .then(() => this.#inflight.settled())
      .then(() => this.#unconfirmed.idle());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const result = await Promise.race([drained, late]);
    clearTimeout(timer);
    await this.#amqp.close();
    if (result === 'late') {
      const error = new DeadlineError('rabbitmq close', deadlineMs);
      this.#status.set({ type: 'closed', error });
      throw error;
    }
    this.#status.set({ type: 'closed' });
  }
}
