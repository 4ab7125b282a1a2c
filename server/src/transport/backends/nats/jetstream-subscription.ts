/**
 * A subscription backed by a JetStream pull consumer. Resolve = ack; throw = nak with the policy's
 * backoff delay, so the server redelivers (to any group member) with the delivery count as attempt;
 * exhausted or undecodable messages are dead-lettered and then terminated.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import {
  attemptHandler,
  backoffDelay,
  type DeadLetterSource,
  type HandlerResult,
  KeyedScheduler,
  type Subscription,
  sleep,
  toError,
} from '../../internal.ts';
import { type ConsumerSpec, consumerConfig, durableName, ensureConsumer } from './consumer-config.ts';
import { MaxDeliveriesError } from './errors.ts';
import { readInbound } from './inbound.ts';
import { type ReadHeaders, readNatsHeaders } from './nats-headers.ts';
import type { ResolvedNatsOptions } from './options.ts';
import type { StreamRegistry } from './stream-registry.ts';
import { deadLetter, type SubscriptionContext } from './subscription-context.ts';

const RETRY_MS = 500;

export interface JetStreamDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly streams: StreamRegistry;
  readonly options: ResolvedNatsOptions;
}

export class JetStreamSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly caughtUp: Promise<void> | undefined;
  readonly #ctx: SubscriptionContext<T>;
  readonly #deps: JetStreamDeps;
  readonly #scheduler: KeyedScheduler;
  #spec: ConsumerSpec | undefined;
  #messages: ConsumerMessages | undefined;
  #closing = false;
  #closeDone: Promise<void> | undefined;
  #loopDone: Promise<Error | undefined> = Promise.resolve(undefined);
  #resolveClosed!: (error: Error | undefined) => void;
  /** Stream sequences handed to us and not yet acked or terminated: where a lost consumer restarts. */
  readonly #unsettled = new Set<number>();
  #lastSeq = 0;
  /** Set while the consumer is being recreated; cleared once the new one is being read. */
  #lost = false;
  readonly #abort = new AbortController();
  /** With `from`: messages stored before subscribe() not yet settled (stream order: the first ones). */
  #backlog = 0;
  #resolveCaughtUp: (() => void) | undefined;

  constructor(ctx: SubscriptionContext<T>, deps: JetStreamDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.topic = ctx.topic;
    this.group = ctx.group;
    this.#scheduler = new KeyedScheduler({ maxInFlight: ctx.maxInFlight, orderedByKey: ctx.orderedByKey });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.caughtUp = ctx.from
      ? new Promise<void>((resolve) => {
          this.#resolveCaughtUp = resolve;
        })
      : undefined;
    void this.closed.then(() => this.#caughtUp());
  }

  #caughtUp(): void {
    this.#backlog = 0;
    this.#resolveCaughtUp?.();
    this.#resolveCaughtUp = undefined;
  }

  async start(): Promise<void> {
    const { streams, options } = this.#deps;
    const stream = await streams.streamFor(this.topic);
    const own = streams.isOwnStream(this.topic, stream);
    this.#spec = {
      stream,
      subject: this.topic,
      durable: this.group !== undefined,
      name: this.group !== undefined ? durableName(this.group, this.topic, own) : `fanout_${randomUUID()}`,
    };
    const config = consumerConfig(this.#spec, options, this.#ctx.policy, undefined, this.#ctx.from?.time);
    await ensureConsumer(this.#deps.jsm, this.#spec, config);
    if (this.#resolveCaughtUp) {
      // Nothing read yet: what the new consumer has pending is the history to replay.
      const info = await this.#deps.jsm.consumers.info(this.#spec.stream, this.#spec.name);
      this.#backlog = info.num_pending;
      if (this.#backlog === 0) this.#caughtUp();
    }
    const first = await this.#consume();
    this.#loopDone = this.#run(first);
    void this.#loopDone.then(async (error) => {
      // The iterator ended on its own (connection closed for good): the subscription is over.
      if (!this.#closing) {
        this.#closing = true;
        await this.#scheduler.onIdle();
        this.#resolveClosed(error);
      }
    });
  }

  async #consume(): Promise<ConsumerMessages> {
    const spec = this.#spec!;
    const consumer = await this.#deps.js.consumers.get(spec.stream, spec.name);
    // The pull batch bounds what sits in the client unprocessed; naked back on close.
    const batch = Math.min(1_000, Math.max(64, this.#ctx.maxInFlight * 8));
    const messages = await consumer.consume({ max_messages: batch });
    this.#messages = messages;
    void this.#watch(messages);
    return messages;
  }

  /** Reads messages until closed; when the consumer was lost and recreated, reads the new one. */
  async #run(first: ConsumerMessages): Promise<Error | undefined> {
    let messages = first;
    for (;;) {
      const error = await this.#loop(messages);
      if (this.#closing || !this.#lost) return error;
      for (;;) {
        try {
          messages = await this.#consume();
          this.#lost = false;
          break;
        } catch (consumeError) {
          if (this.#closing) return undefined;
          this.#ctx.logger?.warn(
            { err: consumeError },
            'nats: re-reading a recreated consumer failed; retrying',
          );
          await sleep(RETRY_MS, this.#abort.signal);
        }
      }
    }
  }

  close(): Promise<void> {
    this.#closeDone ??= this.#close();
    return this.#closeDone;
  }

  async #close(): Promise<void> {
    const wasClosing = this.#closing;
    this.#closing = true;
    this.#abort.abort();
    this.#messages?.stop();
    const error = await this.#loopDone;
    await this.#scheduler.onIdle();
    // Nothing else will read a fan-out consumer: remove it now rather than after the inactivity timeout.
    if (this.#spec && !this.#spec.durable) await this.#deleteConsumer(this.#spec);
    if (!wasClosing) this.#resolveClosed(error);
  }

  /**
   * nats-server can refuse a delete while the consumer is still writing its state ("unlinkat ...:
   * directory not empty", seen under load): a few more tries. If it still fails, the inactivity
   * threshold removes the consumer later.
   */
  async #deleteConsumer(spec: ConsumerSpec): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#deps.jsm.consumers.delete(spec.stream, spec.name);
        return;
      } catch (e) {
        const text = String(e);
        if (attempt > 1 && /not found/i.test(text)) return;
        if (attempt < 4 && /directory not empty/i.test(text)) {
          await delay(100);
          continue;
        }
        this.#ctx.logger?.debug({ err: e, consumer: spec.name }, 'nats: fan-out consumer delete failed');
        return;
      }
    }
  }

  /** Ends when `messages` stops: close(), a lost consumer, or the connection closing for good. */
  async #loop(messages: ConsumerMessages): Promise<Error | undefined> {
    const limit = this.#ctx.maxInFlight * 2;
    try {
      for await (const m of messages) {
        if (this.#closing) {
          // Pulled but not started: hand it back at once instead of waiting out the ack wait.
          m.nak();
          continue;
        }
        // From a consumer the server lost: the recreated one delivers it again.
        if (this.#lost) continue;
        this.#unsettled.add(m.seq);
        if (m.seq > this.#lastSeq) this.#lastSeq = m.seq;
        const read = readNatsHeaders(m);
        this.#scheduler.post(read.key, this.#task, { m, read });
        // Only wait when full: an await per message would cost a promise turn each.
        if (this.#scheduler.size >= limit) await this.#scheduler.whenBelow(limit);
      }
      return undefined;
    } catch (error) {
      this.#ctx.logger?.error({ err: error, topic: this.topic }, 'nats: consumer iterator failed');
      return toError(error);
    }
  }

  /** The scheduled task. Never throws: every path ends in ack, nak or term. */
  readonly #task = (job: { m: JsMsg; read: ReadHeaders }): Promise<void> | undefined => {
    try {
      return this.#process(job.m, job.read)?.catch((error: unknown) => this.#failed(job.m, error));
    } catch (error) {
      this.#failed(job.m, error);
      return undefined;
    }
  };

  #failed(m: JsMsg, error: unknown): void {
    this.#ctx.logger?.error({ err: error, topic: m.subject }, 'nats: delivery failed; message naked');
    m.nak(backoffDelay(this.#ctx.policy, m.info.deliveryCount));
  }

  /** Synchronous when the handler is (no promise, no keep-alive timer on that path). */
  #process(m: JsMsg, read: ReadHeaders): Promise<void> | undefined {
    const { policy } = this.#ctx;
    const info = m.info;
    const attempt = info.deliveryCount;
    const inbound = readInbound<T>(
      {
        subject: m.subject,
        data: m.data,
        read,
        attempt,
        timestamp: Math.floor(info.timestampNanos / 1e6),
        native: m,
      },
      this.#ctx.codec,
      this.#ctx.fallbackCodec,
    );
    if (!inbound.ok) return this.#deadLetter(m, inbound.source, inbound.error, attempt);
    if (attempt > policy.maxAttempts) {
      return this.#deadLetter(
        m,
        inbound.source,
        new MaxDeliveriesError(attempt, policy.maxAttempts),
        attempt,
      );
    }
    const result = attemptHandler(this.#ctx.handler, inbound.message, policy);
    if (!(result instanceof Promise)) return this.#finish(m, inbound.source, attempt, result);
    // Still running: tell the server it is being worked on until it settles.
    const stop = this.#keepAlive(m);
    return result.then((r) => {
      stop();
      return this.#finish(m, inbound.source, attempt, r);
    });
  }

  #finish(
    m: JsMsg,
    source: DeadLetterSource,
    attempt: number,
    result: HandlerResult,
  ): Promise<void> | undefined {
    const { policy } = this.#ctx;
    if (result.ok) this.#settle(m, 'ack');
    else if (attempt >= policy.maxAttempts) return this.#deadLetter(m, source, result.error, attempt);
    else m.nak(backoffDelay(policy, attempt));
    return undefined;
  }

  /** Acked or terminated: done for good. A naked message stays unsettled until it comes back. */
  #settle(m: JsMsg, how: 'ack' | 'term'): void {
    if (how === 'ack') m.ack();
    else m.term();
    this.#unsettled.delete(m.seq);
    if (this.#backlog > 0 && --this.#backlog === 0) this.#caughtUp();
  }

  async #deadLetter(m: JsMsg, source: DeadLetterSource, error: Error, attempts: number): Promise<void> {
    if (await deadLetter(this.#ctx as SubscriptionContext<unknown>, source, error, attempts))
      this.#settle(m, 'term');
    else m.nak(backoffDelay(this.#ctx.policy, attempts));
  }

  /** A handler may outlive the ack wait; tell the server it is still being worked on. */
  #keepAlive(m: JsMsg): () => void {
    const timer = setInterval(() => m.working(), Math.max(500, this.#deps.options.ackWaitMs / 2));
    return () => clearInterval(timer);
  }

  /**
   * A consumer the server no longer knows (a restart lost it, or it was deleted) is recreated from the
   * first unsettled sequence, then `messages` is stopped so #run reads the new one: a pull iterator
   * whose consumer was deleted stops asking for messages.
   */
  async #watch(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      if (this.#closing) return;
      if (s.type !== 'consumer_not_found' && s.type !== 'consumer_deleted') continue;
      this.#lost = true;
      const spec = this.#spec!;
      const start = this.#restartSeq();
      while (!this.#closing) {
        try {
          const config = consumerConfig(spec, this.#deps.options, this.#ctx.policy, start);
          await ensureConsumer(this.#deps.jsm, spec, config);
          this.#ctx.logger?.warn({ consumer: spec.name, start }, 'nats: lost consumer recreated');
          break;
        } catch (error) {
          this.#ctx.logger?.debug({ err: error }, 'nats: consumer recreate failed; retrying');
          await sleep(RETRY_MS, this.#abort.signal);
        }
      }
      messages.stop();
      return;
    }
  }

  #restartSeq(): number {
    let min = this.#lastSeq + 1;
    for (const seq of this.#unsettled) if (seq < min) min = seq;
    return min;
  }
}
