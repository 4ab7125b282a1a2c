/**
 * The broker contract: one small interface over every message system (memory, MQTT, Kafka, NATS,
 * Redis, RabbitMQ). This file is shared by every backend; members are only ever added, never changed.
 */
import type { Codec } from './codec.ts';
import type { Handler, Headers } from './message.ts';

/** What a backend can do. The conformance suite reads these to decide which cases apply. */
export interface Capabilities {
  /** Messages survive the subscriber being away (and, where the server persists, a server restart). */
  readonly persistent: boolean;
  /** Messages with the same key are delivered in publish order. */
  readonly orderedByKey: boolean;
  /** A nacked message can be delivered again (so retry/dead-letter policy applies). */
  readonly redelivery: boolean;
  /** Competing consumers: a named group gets each message once. */
  readonly groups: boolean;
  readonly requestReply: boolean;
  /** Headers travel with the payload. */
  readonly headers: boolean;
  /** Portable topic wildcards (`*` one segment, `>` the rest) are mapped to the backend's syntax. */
  readonly wildcards: boolean;
  /**
   * A subscription can start at a time in the past (`SubscribeOptions.from`) and tells when it has
   * caught up (`Subscription.caughtUp`). Absent = no. Backends without it ignore `from`.
   */
  readonly replay?: boolean;
}

export interface PublishOptions {
  /** Partition / ordering key. */
  readonly key?: string;
  readonly headers?: Headers;
  /** Overrides the broker's default codec for this message. */
  readonly codec?: Codec;
}

/** What happens when a handler throws (or times out). Identical on every backend that can redeliver. */
export interface DeliveryPolicy {
  /** Total attempts including the first. 1 = no retry. */
  readonly maxAttempts: number;
  /** Delay before attempt n+1 = min(maxDelayMs, initialDelayMs * multiplier^(n-1)), then jittered. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** 0..1: the fraction of the delay that is randomized. */
  readonly jitter: number;
  /** Where exhausted or undecodable messages go; default `<topic>.dlq`. false drops them (counted). */
  readonly deadLetterTopic: string | false | undefined;
  /** A handler running longer than this counts as failed. 0 = no limit. */
  readonly handlerTimeoutMs: number;
}

export interface SubscribeOptions<T = unknown> {
  /** Competing consumers: each message goes to one member of the group. Absent = fan-out. */
  readonly group?: string;
  /** Handlers running at once for this subscription (default 1). */
  readonly maxInFlight?: number;
  /** Keep publish order per key even with maxInFlight > 1 (default true where the backend can). */
  readonly orderedByKey?: boolean;
  readonly policy?: Partial<DeliveryPolicy>;
  readonly codec?: Codec<T>;
  /**
   * Where a new subscription starts (backends with `capabilities.replay` only): at the first message
   * stored at or after `time` (epoch ms) instead of at the end. A group that already has a position
   * keeps it. Used to rebuild state from the broker's history.
   */
  readonly from?: { readonly time: number };
}

export interface Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  /** Stops delivery, waits for running handlers, acks what they finished, then resolves. */
  close(): Promise<void>;
  /** Resolves when the subscription ends: undefined after close(), or the error that ended it. */
  readonly closed: Promise<Error | undefined>;
  /**
   * With `from` on a backend with `replay`: resolves once every message stored before subscribe()
   * was called has been handled (or the subscription ended). Absent otherwise.
   */
  readonly caughtUp?: Promise<void>;
}

/** Connection status, streamed as events. */
export type BrokerStatus =
  | { readonly type: 'idle' }
  | { readonly type: 'connecting' }
  | { readonly type: 'connected' }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly error?: Error }
  | { readonly type: 'closed'; readonly error?: Error };

export interface Broker {
  /** Backend name: `memory`, `mqtt`, `kafka`, `nats`, `redis`, `rabbitmq`. */
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly status: BrokerStatus;
  /** Subscribes to status changes; returns the unsubscribe function. */
  onStatus(listener: (status: BrokerStatus) => void): () => void;
  connect(): Promise<void>;
  /**
   * Resolves only once the backend has taken the message (broker ack / confirm where it has one);
   * rejects with a TransportError otherwise. Never fire-and-forget.
   */
  publish<T>(topic: string, value: T, options?: PublishOptions): Promise<void>;
  subscribe<T>(topic: string, handler: Handler<T>, options?: SubscribeOptions<T>): Promise<Subscription>;
  /** Drains: stops consuming, lets running handlers finish, flushes acks/offsets, then disconnects. */
  close(options?: { readonly deadlineMs?: number }): Promise<void>;
  /** The native client (mqtt.js client, kafkajs Kafka, NatsConnection, ioredis, amqplib connection). */
  native(): unknown;
}
