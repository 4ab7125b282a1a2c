/**
 * A subscription on core NATS: a plain subject subscription, or a queue subscription for a group.
 * Nothing is stored by the server, so a nack is retried in-process (backoff, attempt count, then
 * dead letter) while the message holds its key's place; a crash loses it.
 */
import { setMaxListeners } from 'node:events';
import type { Msg, NatsConnection, Subscription as NatsSubscription } from '@nats-io/transport-node';
import {
  attemptHandler,
  type Codec,
  continueLocally,
  type DeadLetterSource,
  DecodeError,
  HEADER,
  type Headers,
  isPattern,
  KeyedScheduler,
  type Message,
  newMessageId,
  pickCodec,
  type RetryOutcome,
  type Subscription,
} from '../../internal.ts';
import { type ReadHeaders, readNatsHeaders } from './nats-headers.ts';
import { deadLetter, type SubscriptionContext } from './subscription-context.ts';

export class CoreSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly #ctx: SubscriptionContext<T>;
  readonly #nc: NatsConnection;
  readonly #scheduler: KeyedScheduler;
  /** Aborted on close: pending retry waits end (the message is dropped and logged). */
  readonly #abort = new AbortController();
  /** Read once: AbortController's `signal` getter showed in the per-message profile. */
  readonly #signal = this.#abort.signal;
  /**
   * A literal topic is every delivered message's subject: used as is, so nats.js does not decode
   * the subject's bytes per message (its `subject` getter, a TextDecoder call each).
   */
  readonly #literalTopic: string | undefined;
  #sub: NatsSubscription | undefined;
  #lastType: string | undefined;
  #lastCodec: Codec<T> | undefined;
  #closing = false;
  #closeDone: Promise<void> | undefined;
  #resolveClosed!: (error: Error | undefined) => void;

  constructor(ctx: SubscriptionContext<T>, nc: NatsConnection) {
    this.#ctx = ctx;
    this.#nc = nc;
    this.topic = ctx.topic;
    this.group = ctx.group;
    this.#literalTopic = isPattern(ctx.topic) ? undefined : ctx.topic;
    this.#scheduler = new KeyedScheduler({ maxInFlight: ctx.maxInFlight, orderedByKey: ctx.orderedByKey });
    // One listener per message waiting to retry.
    setMaxListeners(0, this.#signal);
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /** Resolves once the server has registered the subscription (so a publish right after reaches it). */
  async start(): Promise<void> {
    // A callback, not the async iterator: each message goes straight to the scheduler (core NATS
    // has no flow control either way; what waits, waits in the scheduler's queue).
    const sub = this.#nc.subscribe(this.topic, {
      ...(this.group === undefined ? {} : { queue: this.group }),
      callback: (error, m) => {
        if (error) {
          this.#ctx.logger?.error({ err: error, topic: this.topic }, 'nats: subscription error');
          return;
        }
        const read = readNatsHeaders(m);
        this.#scheduler.post(read.key, this.#task, { m, read });
      },
    });
    this.#sub = sub;
    void sub.closed.then(async (ended) => {
      // Ended without close(): the connection closed for good, or the server refused the subject.
      if (!this.#closing) {
        this.#closing = true;
        this.#abort.abort();
        await this.#scheduler.onIdle();
        this.#resolveClosed(ended instanceof Error ? ended : undefined);
      }
    });
    await this.#nc.flush();
  }

  close(): Promise<void> {
    this.#closeDone ??= this.#close();
    return this.#closeDone;
  }

  async #close(): Promise<void> {
    const wasClosing = this.#closing;
    this.#closing = true;
    this.#abort.abort();
    // drain: the server stops sending, and what already arrived is still handled (nothing else has it).
    await this.#sub?.drain().catch(() => this.#sub?.unsubscribe());
    await this.#scheduler.onIdle();
    if (!wasClosing) this.#resolveClosed(undefined);
  }

  /**
   * pickCodec() remembered for the last content type: a subscription's messages nearly always carry
   * the same one (the same string: the header reader reuses the last one it read), so no Map lookup each.
   */
  #codecFor(headers: Headers): Codec<T> {
    const contentType = headers[HEADER.contentType];
    if (contentType !== this.#lastType || this.#lastCodec === undefined) {
      this.#lastCodec = pickCodec(this.#ctx.codec, headers, this.#ctx.fallbackCodec);
      this.#lastType = contentType;
    }
    return this.#lastCodec;
  }

  /** The scheduled task: never throws (a failure is logged; core NATS cannot redeliver). */
  readonly #task = (job: { m: Msg; read: ReadHeaders }): Promise<void> | undefined => {
    try {
      return this.#process(job.m, job.read)?.catch((error: unknown) => this.#failed(job.m, error));
    } catch (error) {
      this.#failed(job.m, error);
      return undefined;
    }
  };

  #failed(m: Msg, error: unknown): void {
    this.#ctx.logger?.error({ err: error, topic: m.subject }, 'nats: delivery failed; message dropped');
  }

  /**
   * Synchronous when the handler is and succeeds (no promise on that path). The Message is built
   * here, in buildMessage's shape, and the first attempt run directly: the general pieces
   * (readInbound, decodeMessage, deliverLocally) cost an object each per message, and the
   * dead-letter source is only needed when something failed.
   */
  #process(m: Msg, read: ReadHeaders): Promise<void> | undefined {
    const ctx = this.#ctx;
    const { headers, key } = read;
    const topic = this.#literalTopic ?? m.subject;
    const raw = m.data;
    const codec = this.#codecFor(headers);
    let value: T;
    try {
      value = codec.decode(raw);
    } catch (cause) {
      const source: DeadLetterSource = { topic, key, headers, raw };
      return this.#deadLetter(source, new DecodeError(codec.contentType, cause), 1);
    }
    const message: Message<T> = {
      id: headers[HEADER.messageId] ?? newMessageId(),
      topic,
      key,
      headers,
      value,
      raw,
      timestamp: read.timestamp ?? Date.now(),
      attempt: 1,
      native: m,
    };
    const first = attemptHandler(ctx.handler, message, ctx.policy);
    if (!(first instanceof Promise) && first.ok) return undefined;
    const outcome = continueLocally(
      { handler: ctx.handler, message, policy: ctx.policy, signal: this.#signal },
      first,
    );
    const source: DeadLetterSource = { topic, key, headers, raw };
    if (!(outcome instanceof Promise)) return this.#settle(m, source, outcome);
    return outcome.then((o) => this.#settle(m, source, o));
  }

  #settle(m: Msg, source: DeadLetterSource, outcome: RetryOutcome): Promise<void> | undefined {
    if (outcome.type === 'exhausted') return this.#deadLetter(source, outcome.error, outcome.attempts);
    if (outcome.type === 'aborted') {
      this.#ctx.logger?.warn(
        { topic: m.subject, attempts: outcome.attempts },
        'nats: closed during retry; message dropped',
      );
    }
    return undefined;
  }

  async #deadLetter(source: DeadLetterSource, error: Error, attempts: number): Promise<void> {
    await deadLetter(this.#ctx as SubscriptionContext<unknown>, source, error, attempts);
  }
}
