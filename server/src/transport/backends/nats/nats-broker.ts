/**
 * The NATS broker: JetStream (persistent, default) or core NATS, chosen by `options.mode`.
 * One connection per broker; nats.js reconnects by itself and resubscribes core subscriptions,
 * JetStream pull consumers resume on their own (and lost ones are recreated by the subscription).
 */
import { setMaxListeners } from 'node:events';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type Broker,
  BrokerClosedError,
  type BrokerStatus,
  type Capabilities,
  ConnectError,
  DeadlineError,
  type Handler,
  InvalidOptionError,
  isPattern,
  jsonCodec,
  PublishCount,
  PublishError,
  type PublishOptions,
  resolvePolicy,
  StatusEmitter,
  type SubscribeOptions,
  type Subscription,
  TransportError,
} from '../../internal.ts';
import { capabilitiesFor } from './capabilities.ts';
import { CoreSubscription } from './core-subscription.ts';
import { NatsSubscribeError } from './errors.ts';
import { JetStreamSubscription } from './jetstream-subscription.ts';
import { subjectProblem } from './names.ts';
import { publishHeaderText } from './nats-headers.ts';
import { type NatsBrokerOptions, type ResolvedNatsOptions, resolveNatsOptions } from './options.ts';
import { CorePublisher, JetStreamPublisher, type PublishData, type Publisher } from './publishers.ts';
import { StreamRegistry } from './stream-registry.ts';
import type { SubscriptionContext } from './subscription-context.ts';

/** JetStream publishes carry Nats-Msg-Id (= message-id) and no publish time (the stream stamps one). */
const JETSTREAM_HEADERS = Object.freeze({ msgId: true });

interface Together {
  readonly flushed: Promise<void>;
  readonly topic: string;
  count: number;
  confirmed: Promise<void>;
}

interface Connected {
  readonly nc: NatsConnection;
  readonly publisher: Publisher;
  readonly jetstream?: {
    readonly js: JetStreamClient;
    readonly jsm: JetStreamManager;
    readonly streams: StreamRegistry;
  };
}

export class NatsBroker implements Broker {
  readonly name = 'nats';
  readonly capabilities: Capabilities;
  readonly options: ResolvedNatsOptions;
  readonly #status = new StatusEmitter();
  readonly #subscriptions = new Set<Subscription>();
  /** Publishes awaiting their ack: close() lets them finish before draining the connection. */
  readonly #inFlight = new Set<Promise<void>>();
  /** Publishes handed to nats.js and not yet confirmed (PubAck / flush). */
  readonly #unconfirmed = new PublishCount();
  readonly #publishable = new Set<string>();
  /** Aborted by close(): publish retries stop waiting. */
  readonly #stopped = new AbortController();
  /** Core: the publishes sharing the newest flush (see #confirmTogether). */
  #together: Together | undefined;
  #connecting: Promise<Connected> | undefined;
  #connected: Connected | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: NatsBrokerOptions = {}) {
    this.options = resolveNatsOptions(options);
    this.capabilities = capabilitiesFor(this.options.mode);
    // Every publish retry waiting out a restart listens on this one signal.
    setMaxListeners(0, this.#stopped.signal);
  }

  get status(): BrokerStatus {
    return this.#status.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.#status.on(listener);
  }

  async connect(): Promise<void> {
    await this.#ensureConnected('connect');
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    if (!this.#publishable.has(topic)) {
      const problem =
        subjectProblem(topic) ?? (isPattern(topic) ? `cannot publish to pattern "${topic}"` : undefined);
      if (problem) return Promise.reject(new InvalidOptionError(`nats: ${problem}`));
      // Topics repeat: validate each once (bounded, so random topics cannot grow it without limit).
      if (this.#publishable.size >= 10_000) this.#publishable.clear();
      this.#publishable.add(topic);
    }
    // Connected: send in this turn (an await hop here would make nats.js write each publish alone).
    const connected = this.#closing ? undefined : this.#connected;
    if (connected) return this.#send(connected, topic, value, options);
    // Not connected yet (rare): tracked as a promise so close() waits for it.
    const sending = this.#ensureConnected('publish').then((c) => this.#send(c, topic, value, options));
    const tracked = sending.then(
      () => {
        this.#inFlight.delete(tracked);
      },
      () => {
        this.#inFlight.delete(tracked);
      },
    );
    this.#inFlight.add(tracked);
    return sending;
  }

  /**
   * Also used for dead letters, which must still go out while close() drains running handlers. Not
   * async: JetStream makes one promise per message (its PubAck's), core none (#confirmTogether);
   * close() waits on a count of unconfirmed publishes instead of a promise per publish.
   */
  #send<T>(connected: Connected, topic: string, value: T, options: PublishOptions): Promise<void> {
    let sent: Promise<void>;
    try {
      const codec = options.codec ?? this.options.codec ?? jsonCodec;
      const core = this.options.mode === 'core';
      // Core JSON: the text goes to the writer, which encodes it into its frame (no Buffer per
      // message). What JSON.stringify cannot turn into text takes the codec (and its error).
      let data: PublishData | undefined;
      if (core && codec === jsonCodec && value !== undefined) {
        const json: unknown = JSON.stringify(value);
        if (typeof json === 'string') data = json;
      }
      data ??= codec.encode(value as never);
      const block = publishHeaderText(
        codec.contentType,
        options.headers,
        options.key,
        core ? { timestamp: Date.now(), msgId: false } : JETSTREAM_HEADERS,
      );
      sent = connected.publisher.publish(topic, data, block);
      if (core) return this.#confirmTogether(connected, topic, sent);
    } catch (error) {
      return Promise.reject(this.#publishError(connected, topic, error));
    }
    this.#unconfirmed.started();
    return sent.then(this.#unconfirmed.settled, (error: unknown) => {
      this.#unconfirmed.settled();
      throw this.#publishError(connected, topic, error);
    });
  }

  /**
   * Core: every publish of one flush resolves together, so the publishes of one flush to one topic
   * share one promise (with the error naming that topic) instead of one `.then` each. Publishes join
   * only while their flush is unsent, so the count is complete before it settles.
   */
  #confirmTogether(connected: Connected, topic: string, flushed: Promise<void>): Promise<void> {
    this.#unconfirmed.started();
    const last = this.#together;
    if (last !== undefined && last.flushed === flushed && last.topic === topic) {
      last.count++;
      return last.confirmed;
    }
    const unconfirmed = this.#unconfirmed;
    const together: Together = { flushed, topic, count: 1, confirmed: flushed };
    const settle = (): void => {
      for (let i = 0; i < together.count; i++) unconfirmed.settled();
    };
    together.confirmed = flushed.then(settle, (error: unknown) => {
      settle();
      throw this.#publishError(connected, topic, error);
    });
    this.#together = together;
    return together.confirmed;
  }

  #publishError(connected: Connected, topic: string, error: unknown): Error {
    if (connected.nc.isClosed()) return new BrokerClosedError('publish');
    return new PublishError(this.name, topic, error);
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    const problem = subjectProblem(topic);
    if (problem) throw new InvalidOptionError(`nats: ${problem}`);
    const maxInFlight = options.maxInFlight ?? 1;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new InvalidOptionError('nats: maxInFlight must be an integer >= 1');
    }
    if (options.group !== undefined && options.group.length === 0)
      throw new InvalidOptionError('nats: empty group');
    const connected = await this.#ensureConnected('subscribe');
    const context: SubscriptionContext<T> = {
      topic,
      group: options.group,
      handler,
      policy: resolvePolicy({ ...this.options.policy, ...options.policy }),
      codec: options.codec,
      fallbackCodec: this.options.codec,
      maxInFlight,
      orderedByKey: options.orderedByKey ?? true,
      from: options.from,
      broker: { publish: (t, v, o) => this.#send(connected, t, v, o ?? {}) },
      logger: this.options.logger,
    };
    const subscription = connected.jetstream
      ? new JetStreamSubscription(context, { ...connected.jetstream, options: this.options })
      : new CoreSubscription(context, connected.nc);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close().catch(() => {});
      throw error instanceof TransportError ? error : new NatsSubscribeError(topic, error);
    }
    this.#subscriptions.add(subscription);
    void subscription.closed.then(() => this.#subscriptions.delete(subscription));
    return subscription;
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#close(options.deadlineMs ?? 30_000);
    return this.#closing;
  }

  /** The NatsConnection (request-reply, KV, object store, ... live there); undefined before connect. */
  native(): NatsConnection | undefined {
    return this.#connected?.nc;
  }

  /**
   * Running handlers finish and accepted publishes get their acks, then nc.drain() flushes pending
   * acks and closes the socket. Past the deadline the connection is closed at once and close rejects.
   */
  async #close(deadlineMs: number): Promise<void> {
    this.#stopped.abort();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const drained = Promise.all([...[...this.#subscriptions].map((s) => s.close()), ...this.#inFlight])
      .then(() => this.#unconfirmed.idle())
      .then(() => 'done' as const);
    const result = await Promise.race([drained, late]);
    clearTimeout(timer);
    const connected = await this.#connecting?.catch(() => undefined);
    if (result === 'late') {
      const error = new DeadlineError('nats close', deadlineMs);
      await connected?.nc.close();
      this.#status.set({ type: 'closed', error });
      throw error;
    }
    if (connected && !connected.nc.isClosed()) await connected.nc.drain().catch(() => connected.nc.close());
    this.#status.set({ type: 'closed' });
  }

  #ensureConnected(what: string): Promise<Connected> {
    if (this.#closing) return Promise.reject(new BrokerClosedError(what));
    this.#connecting ??= this.#open().catch((error: unknown) => {
      this.#connecting = undefined;
      this.#status.set({ type: 'closed', error: error as Error });
      throw error;
    });
    return this.#connecting;
  }

  async #open(): Promise<Connected> {
    const o = this.options;
    this.#status.set({ type: 'connecting' });
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: [...o.servers],
        name: o.name,
        user: o.user,
        pass: o.pass,
        token: o.token,
        maxReconnectAttempts: o.maxReconnectAttempts,
        reconnectTimeWait: o.reconnectTimeWaitMs,
        // nats.js otherwise builds two Error objects (stack traces) per request, PubAcks included:
        // a fifth of the JetStream publish cost. Our errors carry the topic and cause instead.
        noAsyncTraces: true,
      });
    } catch (error) {
      throw new ConnectError(this.name, error);
    }
    let connected: Connected;
    try {
      if (o.mode === 'jetstream') {
        const jsm = await jetstreamManager(nc, { timeout: o.requestTimeoutMs });
        const js = jetstream(nc, { timeout: o.requestTimeoutMs });
        const streams = new StreamRegistry(jsm, o);
        await streams.declareAll();
        const publisher = new JetStreamPublisher(nc, streams, o, this.#stopped.signal);
        connected = { nc, publisher, jetstream: { js, jsm, streams } };
      } else {
        connected = { nc, publisher: new CorePublisher(nc) };
      }
    } catch (error) {
      await nc.close();
      throw new ConnectError(this.name, error);
    }
    this.#connected = connected;
    void this.#followStatus(nc);
    this.#status.set({ type: 'connected' });
    return connected;
  }

  /** nats.js status events -> BrokerStatus; the connection closing for good ends every subscription. */
  async #followStatus(nc: NatsConnection): Promise<void> {
    let attempt = 0;
    void nc.closed().then((error) => {
      if (!this.#closing) this.#status.set(error ? { type: 'closed', error } : { type: 'closed' });
    });
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          attempt = 0;
          this.#status.set({ type: 'reconnecting', attempt });
          break;
        case 'reconnecting':
          attempt++;
          this.#status.set({ type: 'reconnecting', attempt });
          break;
        case 'reconnect':
          attempt = 0;
          this.#status.set({ type: 'connected' });
          break;
        case 'error':
          this.options.logger?.warn({ err: s.error }, 'nats: server error');
          break;
        case 'slowConsumer':
          this.options.logger?.warn(
            { subject: s.sub.getSubject(), pending: s.pending },
            'nats: slow consumer',
          );
          break;
        default:
          break;
      }
    }
  }
}
