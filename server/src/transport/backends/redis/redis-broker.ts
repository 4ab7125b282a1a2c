/**
 * The Redis backend. `streams` mode (default): every topic is a stream (XADD, optionally trimmed),
 * consumed through consumer groups — persistent, with ack, retry, claim of a crashed consumer's
 * messages and dead letters. `pubsub` mode: PUBLISH / (P)SUBSCRIBE, fan-out only, nothing persisted.
 *
 * Connections: one command connection for publishes and acks (not auto-pipelined: its writes are
 * held per turn, turn-writes.ts); streams mode adds one blocking connection per subscription
 * (XREADGROUP BLOCK must not stall the others); pubsub mode adds one subscriber connection. ioredis
 * reconnects each of them; the read loops and ioredis' auto-resubscribe restore every subscription.
 */
import Redis from 'ioredis';
import {
  type Broker,
  BrokerClosedError,
  type BrokerStatus,
  type Capabilities,
  type Codec,
  ConnectError,
  DeadlineError,
  type Handler,
  InvalidOptionError,
  isPattern,
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
  UnsupportedError,
} from '../../internal.ts';
import { StatusEmitter } from '../../status-emitter.ts';
import { type RedisBrokerOptions, type ResolvedRedisOptions, resolveRedisOptions } from './options.ts';
import { compactMessageId, packPublishHeaders } from './packed-headers.ts';
import { encodeEnvelope } from './pubsub-envelope.ts';
import { PubsubRouter } from './pubsub-router.ts';
import { PubsubSubscription } from './pubsub-subscription.ts';
import { pushEntryFields } from './stream-entry.ts';
import { StreamSubscription } from './stream-subscription.ts';
import { holdWritesForTurn } from './turn-writes.ts';
import { wirePayload } from './wire-payload.ts';

export const capabilitiesByMode: Readonly<Record<'streams' | 'pubsub', Capabilities>> = Object.freeze({
  streams: Object.freeze({
    persistent: true,
    orderedByKey: true,
    redelivery: true,
    groups: true,
    requestReply: false,
    headers: true,
    wildcards: false,
    replay: true,
  }),
  // Nothing is kept and the server cannot redeliver: retries run in-process (lost if the process dies).
  pubsub: Object.freeze({
    persistent: false,
    orderedByKey: true,
    redelivery: true,
    groups: false,
    requestReply: false,
    headers: true,
    wildcards: true,
  }),
});

/** The default (streams) mode's capabilities. */
export const capabilities: Capabilities = capabilitiesByMode.streams;

export function createRedisBroker(options: RedisBrokerOptions = {}): Broker {
  return new RedisBroker(resolveRedisOptions(options));
}

type AnySubscription = StreamSubscription<unknown> | PubsubSubscription<unknown>;

class RedisBroker implements Broker {
  readonly name = 'redis';
  readonly capabilities: Capabilities;
  readonly #o: ResolvedRedisOptions;
  readonly #status = new StatusEmitter();
  readonly #subs = new Set<AnySubscription>();
  /** Publishes that waited for connect() (rare); issued commands are counted in #unconfirmed. */
  readonly #publishes = new PendingPromises();
  /** Commands issued and not yet answered (a count, not a set of promises: one less per publish). */
  readonly #unconfirmed = new PublishCount();
  /** Publishes of the subscriptions themselves (dead letters), allowed while close() drains. */
  readonly #internal: Pick<Broker, 'publish'> = {
    publish: (t, v, o) => this.#send(t, v, o ?? {}),
  };
  #commands: Redis | undefined;
  #router: PubsubRouter | undefined;
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #attempt = 0;
  readonly #publishTopics = new PublishTopicCheck();
  #lastTopic: string | undefined;
  #lastKey = '';
  #failedTopic: string | undefined;
  #failed: ((cause: unknown) => never) | undefined;

  constructor(options: ResolvedRedisOptions) {
    this.#o = options;
    this.capabilities = capabilitiesByMode[options.mode];
  }

  get status(): BrokerStatus {
    return this.#status.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.#status.on(listener);
  }

  native(): Redis | undefined {
    return this.#commands;
  }

  connect(): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError('redis connect'));
    this.#connecting ??= this.#open().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #open(): Promise<void> {
    this.#status.set({ type: 'connecting' });
    // No auto-pipelining: publishes are plain commands whose writes are held for the turn and sent
    // as one (turn-writes.ts): the auto-pipeline's batching without its objects per command.
    const redis = new Redis(this.#o.url, {
      lazyConnect: true,
      enableAutoPipelining: false,
      ...this.#o.redis,
    });
    let lastError: Error | undefined;
    redis.on('error', (error: Error) => {
      lastError = error;
      this.#o.logger.debug({ err: error }, 'redis: connection error');
    });
    try {
      await redis.connect();
    } catch (cause) {
      redis.disconnect();
      this.#status.set({ type: 'idle' });
      throw new ConnectError('redis', cause);
    }
    redis.on('ready', () => {
      this.#attempt = 0;
      if (!this.#closing) this.#status.set({ type: 'connected' });
    });
    redis.on('reconnecting', () => {
      if (this.#closing) return;
      this.#attempt++;
      this.#status.set({
        type: 'reconnecting',
        attempt: this.#attempt,
        ...(lastError ? { error: lastError } : {}),
      });
    });
    redis.on('end', () => {
      if (!this.#closing) this.#status.set({ type: 'closed', ...(lastError ? { error: lastError } : {}) });
    });
    this.#commands = redis;
    this.#status.set({ type: 'connected' });
  }

  async #ready(what: string): Promise<Redis> {
    if (this.#closing) throw new BrokerClosedError(`redis ${what}`);
    if (!this.#commands) await this.connect();
    return this.#commands as Redis;
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    if (this.#closing) return Promise.reject(new BrokerClosedError(`redis publish to "${topic}"`));
    // Tracked from the call on, so a close() right after still waits for it. Once connected, the
    // command goes out in this turn (no await hop): the auto-pipeline batches it with its neighbours.
    if (this.#commands) return this.#send(topic, value, options);
    return this.#publishes.track(this.#ready('publish').then(() => this.#send(topic, value, options)));
  }

  #send<T>(topic: string, value: T, options: PublishOptions): Promise<void> {
    const commands = this.#commands;
    if (!commands) return Promise.reject(new BrokerClosedError(`redis publish to "${topic}"`));
    const problem = this.#publishTopics.problem(topic);
    if (problem) return Promise.reject(new PublishError('redis', topic, new InvalidOptionError(problem)));
    const codec = (options.codec ?? this.#o.codec ?? jsonCodec) as Codec<T>;
    let payload: string | Buffer;
    try {
      payload = wirePayload(codec, value);
    } catch (cause) {
      return Promise.reject(new PublishError('redis', topic, cause));
    }
    const name = this.#keyFor(topic);
    let sent: Promise<unknown>;
    // Not connected yet: the command waits in ioredis' offline queue and is written on connect.
    if (commands.stream?.writable) holdWritesForTurn(commands.stream);
    try {
      // Default headers travel as the message id alone; any others as one JSON object.
      const id = compactMessageId(codec as Codec, options.headers);
      const headers = id === undefined ? packPublishHeaders(codec as Codec, options.headers) : '';
      if (this.#o.mode === 'pubsub') {
        sent = commands.publish(name, encodeEnvelope(payload, options.key, id, headers, Date.now()));
      } else if (this.#o.trim) {
        const args = [name, ...this.#trimArgs(Date.now()), '*'];
        sent = commands.xadd(...(pushEntryFields(args, payload, options.key, id, headers) as [string]));
      } else {
        // The common case spelled out: no argument array of ours for ioredis to copy (hot path).
        const field = id === undefined ? 'headers' : 'id';
        const value = id ?? headers;
        sent =
          options.key === undefined
            ? commands.xadd(name, '*', 'payload', payload, field, value)
            : commands.xadd(name, '*', 'payload', payload, 'key', options.key, field, value);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    this.#unconfirmed.started();
    return sent.then(this.#unconfirmed.settled, this.#failedFor(topic));
  }

  /** The stream key / channel of a topic (the last one remembered: a publisher mostly repeats it). */
  #keyFor(topic: string): string {
    if (topic !== this.#lastTopic) {
      this.#lastTopic = topic;
      this.#lastKey = this.#o.keyPrefix + topic;
    }
    return this.#lastKey;
  }

  /** The rejection handler of a publish to `topic` (remembered with the key: no closure per publish). */
  #failedFor(topic: string): (cause: unknown) => never {
    if (topic !== this.#failedTopic || this.#failed === undefined) {
      const unconfirmed = this.#unconfirmed;
      this.#failedTopic = topic;
      this.#failed = (cause: unknown) => {
        unconfirmed.settled();
        throw new PublishError('redis', topic, cause);
      };
    }
    return this.#failed;
  }

  #trimArgs(now: number): string[] {
    const trim = this.#o.trim;
    if (!trim) return [];
    const op = trim.exact ? '=' : '~';
    if (trim.maxLen !== undefined) return ['MAXLEN', op, String(trim.maxLen)];
    if (trim.maxAgeMs !== undefined) return ['MINID', op, `${Math.max(0, now - trim.maxAgeMs)}-0`];
    return [];
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    const commands = await this.#ready(`subscribe to "${topic}"`);
    const problem = patternProblem(topic);
    if (problem) throw new InvalidOptionError(problem);
    if (options.group !== undefined && options.group.length === 0)
      throw new InvalidOptionError('group is empty');
    const common = {
      topic,
      handler,
      codec: options.codec,
      fallbackCodec: this.#o.codec,
      policy: resolvePolicy({ ...this.#o.policy, ...options.policy }),
      maxInFlight: options.maxInFlight ?? 1,
      orderedByKey: options.orderedByKey ?? true,
      publisher: this.#internal,
      logger: this.#o.logger,
    };
    if (!Number.isInteger(common.maxInFlight) || common.maxInFlight < 1) {
      throw new InvalidOptionError('maxInFlight must be an integer >= 1');
    }
    const sub =
      this.#o.mode === 'streams'
        ? await this.#subscribeStream(commands, common, options.group, options.from)
        : await this.#subscribePubsub(commands, common, options.group);
    this.#subs.add(sub as AnySubscription);
    void sub.closed.then(() => this.#subs.delete(sub as AnySubscription));
    return sub;
  }

  async #subscribeStream<T>(
    commands: Redis,
    common: Omit<
      ConstructorParameters<typeof StreamSubscription<T>>[0],
      | 'streamKey'
      | 'group'
      | 'commands'
      | 'blocking'
      | 'claimIdleMs'
      | 'claimIntervalMs'
      | 'blockMs'
      | 'readCount'
      | 'from'
    >,
    group: string | undefined,
    from: SubscribeOptions['from'],
  ): Promise<StreamSubscription<T>> {
    if (isPattern(common.topic))
      throw new UnsupportedError('redis (streams mode)', 'wildcard subscriptions; use mode "pubsub"');
    // Waits through reconnects (maxRetriesPerRequest: null) instead of failing the read loop.
    const blocking = commands.duplicate({ enableAutoPipelining: false, maxRetriesPerRequest: null });
    blocking.on('error', (error: Error) =>
      this.#o.logger.debug({ err: error }, 'redis: blocking connection error'),
    );
    const sub = new StreamSubscription<T>({
      ...common,
      streamKey: this.#o.keyPrefix + common.topic,
      group,
      commands,
      blocking,
      claimIdleMs: this.#o.claimIdleMs,
      claimIntervalMs: this.#o.claimIntervalMs,
      blockMs: this.#o.blockMs,
      readCount: this.#o.readCount,
      from,
    });
    try {
      await sub.start();
    } catch (error) {
      blocking.disconnect();
      throw error;
    }
    return sub;
  }

  async #subscribePubsub<T>(
    commands: Redis,
    common: Omit<ConstructorParameters<typeof PubsubSubscription<T>>[0], 'detach'>,
    group: string | undefined,
  ): Promise<PubsubSubscription<T>> {
    if (group !== undefined) throw new UnsupportedError('redis (pubsub mode)', 'groups; use mode "streams"');
    if (!this.#router) {
      const connection = commands.duplicate({ enableAutoPipelining: false });
      connection.on('error', (error: Error) =>
        this.#o.logger.debug({ err: error }, 'redis: subscriber connection error'),
      );
      this.#router = new PubsubRouter(connection, this.#o.keyPrefix);
    }
    const router = this.#router;
    const sub: PubsubSubscription<T> = new PubsubSubscription<T>({
      ...common,
      detach: () => router.remove(sub as PubsubSubscription<unknown>),
    });
    await router.add(sub as PubsubSubscription<unknown>);
    return sub;
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.#closing ??= this.#drain(options.deadlineMs ?? this.#o.closeDeadlineMs);
    return this.#closing;
  }

  async #drain(deadlineMs: number): Promise<void> {
    const drained = Promise.allSettled([...this.#subs].map((s) => s.close()))
      .then(() => this.#publishes.settled())
      .then(() => this.#unconfirmed.idle());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const result = await Promise.race([drained, late]);
    clearTimeout(timer);
    await this.#connecting?.catch(() => {});
    const connections = [this.#router?.connection, this.#commands].filter((c): c is Redis => c !== undefined);
    if (result === 'late') {
      for (const c of connections) c.disconnect();
      const error = new DeadlineError('redis close', deadlineMs);
      this.#status.set({ type: 'closed', error });
      throw error;
    }
    await Promise.allSettled(connections.map((c) => c.quit()));
    this.#status.set({ type: 'closed' });
  }
}
