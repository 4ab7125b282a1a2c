/**
 * One subscription = one kafkajs consumer in its own consumer group: `<group>:<topic>` for a named
 * group, a fresh `fanout.<uuid>:<topic>` per fan-out subscription (deleted when it closes).
 *
 * Delivery: batches from several partitions run at once through one KeyedScheduler (maxInFlight, with
 * per-key order). An offset is resolved only when its message and every earlier one of its partition
 * have finished (acked, or dead-lettered), and kafkajs commits resolved offsets after each batch and
 * at close: at-least-once. A failed handler is retried in place (retryLocally: backoff, the message
 * keeps its position, so the key's order holds and later offsets wait), then dead-lettered.
 */
import { randomUUID } from 'node:crypto';
import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type {
  Codec,
  DeadLetterOutcome,
  DeadLetterSource,
  DeliveryPolicy,
  Handler,
  Subscription,
  TransportLogger,
} from '../../internal.ts';
import {
  backoffDelay,
  buildMessage,
  decodeMessage,
  KeyedScheduler,
  pickCodec,
  retryLocally,
  sleep,
} from '../../internal.ts';
import { KafkaSubscribeError } from './errors.ts';
import { fromKafkaHeaders, recordBytes, recordKey } from './kafka-record.ts';
import type { ResolvedKafkaOptions } from './options.ts';
import type { TopicAdmin } from './topic-admin.ts';

/** What `message.native` holds on this backend. */
export interface KafkaNativeMessage {
  readonly topic: string;
  readonly partition: number;
  /** The kafkajs record (offset, timestamp, key, value, headers). */
  readonly message: KafkaMessage;
}

export interface KafkaSubscriptionDeps<T> {
  readonly kafka: Kafka;
  readonly admin: TopicAdmin;
  readonly options: ResolvedKafkaOptions;
  readonly topic: string;
  /** The group as the caller named it (undefined = fan-out). */
  readonly group: string | undefined;
  readonly handler: Handler<T>;
  readonly policy: DeliveryPolicy;
  readonly codec: Codec<T> | undefined;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  /** Replay: a new group starts at the first message stored at or after this time. */
  readonly from: { readonly time: number } | undefined;
  readonly logger: TransportLogger;
  readonly deadLetter: (
    policy: DeliveryPolicy,
    source: DeadLetterSource,
    error: Error,
    attempts: number,
  ) => Promise<DeadLetterOutcome>;
  /** Told when the consumer crashed (and will restart or not) and when it fetches again. */
  readonly onCrash: (error: Error, restart: boolean) => void;
  readonly onHealthy: () => void;
  readonly onClosed: () => void;
}

/** A running batch's flag: stop starting its messages (closing, or the group is rebalancing). */
interface BatchControl {
  stop: boolean;
  readonly abort: AbortController;
}

export class KafkaSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly groupId: string;
  readonly closed: Promise<Error | undefined>;
  readonly caughtUp: Promise<void> | undefined;
  readonly #deps: KafkaSubscriptionDeps<T>;
  readonly #consumer: Consumer;
  readonly #scheduler: KeyedScheduler;
  readonly #batches = new Set<BatchControl>();
  #closing: Promise<void> | undefined;
  #ended = false;
  #resolveClosed!: (error: Error | undefined) => void;
  /** With `from`: partition -> last offset stored before subscribe(), while not yet handled. */
  readonly #behind = new Map<number, bigint>();
  #resolveCaughtUp: (() => void) | undefined;

  private constructor(deps: KafkaSubscriptionDeps<T>) {
    this.#deps = deps;
    this.topic = deps.topic;
    this.group = deps.group;
    const o = deps.options;
    // Groups are scoped to the topic, as on the other backends (a Kafka group spans topics, and
    // sharing one would couple unrelated subscriptions' rebalances).
    this.groupId = o.groupPrefix + (deps.group ?? `fanout.${randomUUID()}`) + `:${deps.topic}`;
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.caughtUp = deps.from
      ? new Promise<void>((resolve) => {
          this.#resolveCaughtUp = resolve;
        })
      : undefined;
    this.#consumer = deps.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      rebalanceTimeout: o.rebalanceTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      maxWaitTimeInMs: o.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      // A consumer that crashed on a retriable error (broker gone) starts again, unless we are closing.
      retry: { restartOnFailure: async () => !this.#closing },
    });
    const events = this.#consumer.events;
    this.#consumer.on(events.CRASH, (e) => {
      const { error, restart } = e.payload;
      deps.onCrash(error, restart && !this.#closing);
      if (!restart && !this.#closing) this.#end(error);
    });
    this.#consumer.on(events.FETCH, () => deps.onHealthy());
  }

  /** Creates the consumer, joins the group and resolves once it is positioned (see #start). */
  static async start<T>(deps: KafkaSubscriptionDeps<T>): Promise<KafkaSubscription<T>> {
    const sub = new KafkaSubscription(deps);
    try {
      await withTimeout(sub.#start(), deps.options.connectTimeoutMs, 'joining the consumer group');
    } catch (error) {
      await sub.#consumer.disconnect().catch(() => {});
      if (!deps.group) await deps.admin.deleteGroup(sub.groupId);
      throw new KafkaSubscribeError(deps.topic, error);
    }
    return sub;
  }

  /**
   * A brand-new group starts at the topic's end as it was before joining: those offsets are committed
   * right after the join, before the first fetch resolves a position, so nothing published once
   * subscribe() has resolved can be skipped, not even by a rebalance before the first commit.
   * subscribe() resolves after the first fetch, when the position is settled.
   */
  async #start(): Promise<void> {
    const { admin, topic, options } = this.#deps;
    await this.#consumer.connect();
    const fresh = this.#deps.group === undefined || !(await admin.groupHasOffsets(this.groupId, topic));
    const from = this.#deps.from;
    // Replay: the history up to the end as it is now is what "caught up" means.
    const now = from ? await admin.endOffsets(topic) : undefined;
    const ends = fresh
      ? from
        ? await admin.offsetsAt(topic, from.time)
        : await admin.endOffsets(topic)
      : undefined;
    if (now && ends) {
      const starts = new Map(ends.map((e) => [e.partition, BigInt(e.offset)]));
      for (const e of now) {
        const last = BigInt(e.offset) - 1n;
        if (last >= (starts.get(e.partition) ?? 0n)) this.#behind.set(e.partition, last);
      }
    }
    // A group that kept its position is not replaying: caught up at once.
    this.#checkCaughtUp();
    await this.#consumer.subscribe({ topic, fromBeginning: false });
    const firstFetch = new Promise<void>((resolve) => {
      const off = this.#consumer.on(this.#consumer.events.FETCH, () => {
        off();
        resolve();
      });
    });
    await this.#consumer.run({
      partitionsConsumedConcurrently: Math.min(this.#deps.maxInFlight, options.partitions * 4, 64),
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    if (ends) await this.#consumer.commitOffsets(ends.map((e) => ({ topic, ...e })));
    await firstFetch;
  }

  close(): Promise<void> {
    this.#closing ??= this.#drain();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    for (const b of this.#batches) {
      b.stop = true;
      b.abort.abort();
    }
    try {
      // stop() waits for the running batch (which waits for its handlers), commits what they
      // resolved, and leaves the group; disconnect() then closes the sockets.
      await this.#consumer.disconnect();
    } catch (error) {
      this.#deps.logger.warn(
        { topic: this.topic, groupId: this.groupId, err: error },
        'kafka: consumer disconnect failed',
      );
    }
    await this.#scheduler.onIdle();
    if (this.#deps.group === undefined) await this.#deps.admin.deleteGroup(this.groupId);
    this.#end(undefined);
  }

  /** Replay progress: `offset` of `partition` is finished (in order, so earlier ones are too). */
  #handled(partition: number, offset: string): void {
    const last = this.#behind.get(partition);
    if (last === undefined || BigInt(offset) < last) return;
    this.#behind.delete(partition);
    this.#checkCaughtUp();
  }

  #checkCaughtUp(): void {
    if (this.#behind.size > 0 || !this.#resolveCaughtUp) return;
    this.#resolveCaughtUp();
    this.#resolveCaughtUp = undefined;
  }

  #end(error: Error | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#behind.clear();
    this.#checkCaughtUp();
    this.#deps.onClosed();
    this.#resolveClosed(error);
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const control: BatchControl = { stop: this.#closing !== undefined, abort: new AbortController() };
    this.#batches.add(control);
    const stop = () => {
      control.stop = true;
      control.abort.abort();
    };
    // Long handlers must not cost us our group membership; a failed heartbeat means a rebalance (or
    // a lost coordinator): stop starting messages, finish the running ones, give the partition back.
    // Progress is committed on the same beat, so a long batch does not hold finished work hostage.
    const beat = setInterval(() => {
      payload
        .heartbeat()
        .then(() => payload.commitOffsetsIfNecessary())
        .catch(() => stop());
    }, this.#deps.options.heartbeatIntervalMs);
    let lastCommitCheck = Date.now();
    const resolve = (offset: string): Promise<void> | undefined => {
      payload.resolveOffset(offset);
      if (this.#behind.size > 0) this.#handled(batch.partition, offset);
      // kafkajs commits once autoCommitInterval has passed; asking a few times a second is enough.
      // A failure means we lost the group generation: stop as on a failed heartbeat.
      const now = Date.now();
      if (now - lastCommitCheck < 100) return undefined;
      lastCommitCheck = now;
      return payload.commitOffsetsIfNecessary().catch(stop);
    };
    try {
      if (this.#deps.maxInFlight === 1) {
        // One at a time: no scheduler needed, and nothing runs past a message left for redelivery.
        for (const km of batch.messages) {
          if (control.stop || !this.#isActive()) break;
          if (!(await this.#deliver(batch, km, control.abort.signal))) break;
          const committing = resolve(km.offset);
          if (committing) await committing;
        }
        return;
      }
      const results = batch.messages.map((m) => this.#schedule(batch, m, control));
      let resolving = true;
      for (let i = 0; i < results.length; i++) {
        const done = await results[i];
        if (!resolving) continue;
        if (!done) {
          resolving = false; // later offsets wait for this one: they will be fetched again
          continue;
        }
        const committing = resolve(batch.messages[i]!.offset);
        if (committing) await committing;
      }
    } finally {
      clearInterval(beat);
      this.#batches.delete(control);
    }
  }

  /** Resolves true when the message is finished with (acked or dead-lettered), false when left for a redelivery. */
  #schedule(batch: Batch, km: KafkaMessage, control: BatchControl): Promise<boolean> {
    let done = false;
    return this.#scheduler
      .run(recordKey(km), async () => {
        if (control.stop || !this.#isActive()) return;
        done = await this.#deliver(batch, km, control.abort.signal);
      })
      .then(
        () => done,
        () => false,
      );
  }

  #isActive(): boolean {
    return this.#closing === undefined;
  }

  async #deliver(batch: Batch, km: KafkaMessage, signal: AbortSignal): Promise<boolean> {
    const { topic, partition } = batch;
    const headers = fromKafkaHeaders(km.headers);
    const raw = recordBytes(km);
    const key = recordKey(km);
    const source: DeadLetterSource = { topic, key, headers, raw };
    const codec = pickCodec(this.#deps.codec, headers, this.#deps.options.codec);
    const decoded = decodeMessage(codec, raw);
    if (!decoded.ok) return this.#deadLetter(source, decoded.error, 1, signal);
    const native: KafkaNativeMessage = { topic, partition, message: km };
    const message = buildMessage<T>({
      topic,
      key,
      headers,
      value: decoded.value,
      raw,
      timestamp: Number(km.timestamp),
      native,
    });
    const outcome = await retryLocally({
      handler: this.#deps.handler,
      message,
      policy: this.#deps.policy,
      signal,
    });
    if (outcome.type === 'acked') return true;
    if (outcome.type === 'aborted') {
      this.#deps.logger.debug(
        { topic, partition, offset: km.offset, attempts: outcome.attempts },
        'kafka: retry left for redelivery (closing or rebalancing)',
      );
      return false;
    }
    return this.#deadLetter(source, outcome.error, outcome.attempts, signal);
  }

  /** Dead-letters (retrying the publish with the policy's backoff); false when it gave up (closing). */
  async #deadLetter(
    source: DeadLetterSource,
    error: Error,
    attempts: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    const { policy, logger } = this.#deps;
    for (let n = 1; ; n++) {
      try {
        const out = await this.#deps.deadLetter(policy, source, error, attempts);
        logger.warn(
          { topic: source.topic, attempts, err: error, deadLetter: out },
          'kafka: message dead-lettered',
        );
        return true;
      } catch (publishError) {
        logger.error(
          { topic: source.topic, err: publishError },
          'kafka: dead-letter publish failed, retrying',
        );
        if (!(await sleep(backoffDelay(policy, n), signal))) return false;
      }
    }
  }
}

async function withTimeout<R>(work: Promise<R>, ms: number, what: string): Promise<R> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
