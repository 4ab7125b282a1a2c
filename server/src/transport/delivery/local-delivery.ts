import type { Broker, DeliveryPolicy } from '../broker.ts';
import type { Codec } from '../codec.ts';
import { DecodeError } from '../errors.ts';
import type { TransportLogger } from '../logger.ts';
import { type Handler, HEADER, type Message } from '../message.ts';
import type { DeadLetterSource } from './dead-letter.ts';
import { publishDeadLetter } from './dead-letter.ts';
import { pickCodec } from './decode-message.ts';
import { newMessageId } from './headers.ts';
import { continueLocally, type RetryOutcome } from './retry-locally.ts';
import { attemptHandler } from './run-handler.ts';

/** A received message as a backend without server-side redelivery holds it (memory, MQTT). */
export interface LocalIncoming extends DeadLetterSource {
  readonly timestamp: number;
}

export interface LocalDeliveryOptions<T> {
  readonly handler: Handler<T>;
  readonly policy: DeliveryPolicy;
  readonly codec: Codec<T> | undefined;
  readonly defaultCodec: Codec;
  /** Dead letters are published through this broker. */
  readonly broker: Pick<Broker, 'publish'>;
  readonly logger: TransportLogger;
  /** Aborted at a close deadline: retry waits end and the message is abandoned (logged). */
  readonly signal: AbortSignal;
  /** Put before log messages, e.g. 'mqtt: ' ('' for none). */
  readonly logPrefix: string;
}

/**
 * One subscription's in-process delivery: decode (dead letter at once when the codec fails), then
 * attemptHandler() and, unless that succeeded at once, continueLocally() with backoff, then a dead
 * letter. The message is built here rather than through decodeMessage/buildMessage/deliverLocally:
 * their result and option objects were allocations per message that a synchronous success never needs.
 */
export class LocalDelivery<T> {
  readonly #o: LocalDeliveryOptions<T>;
  readonly #abandoned: string;
  readonly #deadLettered: string;
  readonly #deadLetterFailed: string;

  constructor(options: LocalDeliveryOptions<T>) {
    this.#o = options;
    this.#abandoned = `${options.logPrefix}retry abandoned at close`;
    this.#deadLettered = `${options.logPrefix}message dead-lettered`;
    this.#deadLetterFailed = `${options.logPrefix}dead letter publish failed`;
  }

  /**
   * Synchronous when the handler is and succeeds (the caller's slot frees in the same turn); a
   * promise only for an asynchronous handler, a retry or a dead letter. Never rejects.
   */
  deliver(incoming: LocalIncoming, native: unknown): Promise<void> | undefined {
    const o = this.#o;
    const codec = pickCodec(o.codec, incoming.headers, o.defaultCodec);
    let value: T;
    try {
      value = codec.decode(incoming.raw);
    } catch (cause) {
      return this.#deadLetter(incoming, new DecodeError(codec.contentType, cause), 1);
    }
    const message: Message<T> = {
      id: incoming.headers[HEADER.messageId] ?? newMessageId(),
      topic: incoming.topic,
      key: incoming.key,
      headers: incoming.headers,
      value,
      raw: incoming.raw,
      timestamp: incoming.timestamp,
      attempt: 1,
      native,
    };
    const first = attemptHandler(o.handler, message, o.policy);
    if (!(first instanceof Promise) && first.ok) return undefined;
    const outcome = continueLocally(
      { handler: o.handler, message, policy: o.policy, signal: o.signal },
      first,
    );
    if (outcome instanceof Promise) return outcome.then((r) => this.#settle(incoming, message.id, r));
    return outcome.type === 'acked' ? undefined : this.#settle(incoming, message.id, outcome);
  }

  #settle(incoming: LocalIncoming, id: string, outcome: RetryOutcome): Promise<void> | undefined {
    if (outcome.type === 'exhausted') return this.#deadLetter(incoming, outcome.error, outcome.attempts);
    if (outcome.type === 'aborted') {
      this.#o.logger.warn({ topic: incoming.topic, id, attempts: outcome.attempts }, this.#abandoned);
    }
    return undefined;
  }

  async #deadLetter(incoming: LocalIncoming, error: Error, attempts: number): Promise<void> {
    try {
      const out = await publishDeadLetter(this.#o.broker, this.#o.policy, incoming, error, attempts);
      this.#o.logger.warn(
        { topic: incoming.topic, attempts, err: error, deadLetter: out },
        this.#deadLettered,
      );
    } catch (publishError) {
      this.#o.logger.error({ topic: incoming.topic, attempts, err: publishError }, this.#deadLetterFailed);
    }
  }
}
