/** The NATS backend's options: validated once (every problem reported together), defaulted, frozen. */
import { z } from 'zod';
import { type Codec, type DeliveryPolicy, InvalidOptionError, type TransportLogger } from '../../internal.ts';

/** A stream that captures a set of subjects (topics, wildcards allowed), declared up front. */
export interface NatsStreamOptions {
  readonly name: string;
  readonly subjects: readonly string[];
}

export interface NatsBrokerOptions {
  /** `host:port` or `nats://host:port`, one or several. Default `127.0.0.1:4222`. */
  readonly servers?: string | readonly string[];
  /**
   * `jetstream` (default): persistent streams, durable consumers, ack/nak with delay, dead letter.
   * `core`: plain NATS subjects and queue groups; nothing survives a subscriber being away.
   */
  readonly mode?: 'jetstream' | 'core';
  /** Connection name shown by the server's monitoring. */
  readonly name?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  readonly logger?: TransportLogger;
  /** Default codec for publish and subscribe (JSON when absent). */
  readonly codec?: Codec;
  /** Default delivery policy for subscriptions; a subscription's own policy overrides it per field. */
  readonly policy?: Partial<DeliveryPolicy>;
  /** Reconnect attempts before giving up; -1 (default) = forever. */
  readonly maxReconnectAttempts?: number;
  readonly reconnectTimeWaitMs?: number;
  /** How long publish() keeps retrying a JetStream publish (same message id, so deduplicated). */
  readonly publishTimeoutMs?: number;
  /** Timeout of one JetStream API call or PubAck wait. */
  readonly requestTimeoutMs?: number;
  /** JetStream: unacked messages are redelivered after this; running handlers extend it. */
  readonly ackWaitMs?: number;
  /** JetStream: upper bound on unacked messages per consumer (all group members together). */
  readonly maxAckPending?: number;
  /** JetStream: where a newly created consumer starts: only new messages (default) or all stored. */
  readonly deliverPolicy?: 'new' | 'all';
  /** JetStream: a fan-out subscription's consumer is removed by the server after this much inactivity. */
  readonly fanoutInactiveMs?: number;
  /** JetStream: auto-created per-topic streams are named `<prefix>_<topic>`. */
  readonly streamPrefix?: string;
  readonly storage?: 'file' | 'memory';
  /** JetStream stream limits for auto-created streams (0 = unlimited). */
  readonly maxAgeMs?: number;
  readonly maxBytes?: number;
  readonly maxMsgs?: number;
  /** Window in which a repeated message id is dropped as a duplicate. */
  readonly duplicateWindowMs?: number;
  /** Streams declared up front (created or updated idempotently on connect). */
  readonly streams?: readonly NatsStreamOptions[];
}

export type ResolvedNatsOptions = Readonly<
  Required<Omit<NatsBrokerOptions, 'user' | 'pass' | 'token' | 'logger' | 'codec' | 'servers'>> & {
    readonly servers: readonly string[];
    readonly user: string | undefined;
    readonly pass: string | undefined;
    readonly token: string | undefined;
    readonly logger: TransportLogger | undefined;
    readonly codec: Codec | undefined;
  }
>;

const ms = z.number().int().nonnegative();
const positive = z.number().int().positive();
const streamName = z.string().regex(/^[A-Za-z0-9_-]+$/, 'stream names use letters, digits, _ and -');

const schema = z
  .object({
    servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('127.0.0.1:4222'),
    mode: z.enum(['jetstream', 'core']).default('jetstream'),
    name: z.string().min(1).default('realtimemap'),
    user: z.string().optional(),
    pass: z.string().optional(),
    token: z.string().optional(),
    logger: z
      .custom<TransportLogger>((v) => v === undefined || (typeof v === 'object' && v !== null))
      .optional(),
    codec: z
      .custom<Codec>(
        (v) =>
          v === undefined ||
          (typeof v === 'object' && v !== null && 'encode' in v && 'decode' in v && 'contentType' in v),
        'a codec has contentType, encode and decode',
      )
      .optional(),
    policy: z.custom<Partial<DeliveryPolicy>>((v) => v === undefined || typeof v === 'object').default({}),
    maxReconnectAttempts: z.number().int().min(-1).default(-1),
    reconnectTimeWaitMs: ms.default(500),
    publishTimeoutMs: positive.default(30_000),
    requestTimeoutMs: positive.default(5_000),
    ackWaitMs: z.number().int().min(1_000).default(30_000),
    maxAckPending: positive.default(1_000),
    deliverPolicy: z.enum(['new', 'all']).default('new'),
    fanoutInactiveMs: z.number().int().min(1_000).default(60_000),
    streamPrefix: streamName.default('rtm'),
    storage: z.enum(['file', 'memory']).default('file'),
    maxAgeMs: ms.default(0),
    maxBytes: ms.default(0),
    maxMsgs: ms.default(0),
    duplicateWindowMs: positive.default(120_000),
    streams: z.array(z.object({ name: streamName, subjects: z.array(z.string().min(1)).min(1) })).default([]),
  })
  .strict();

/** Validates all options at once; throws one InvalidOptionError listing every problem. */
export function resolveNatsOptions(options: NatsBrokerOptions = {}): ResolvedNatsOptions {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidOptionError(`nats: invalid options: ${problems.join('; ')}`);
  }
  const o = parsed.data;
  return Object.freeze({
    ...o,
    servers: Object.freeze(typeof o.servers === 'string' ? [o.servers] : [...o.servers]),
    user: o.user,
    pass: o.pass,
    token: o.token,
    logger: o.logger,
    codec: o.codec,
    streams: Object.freeze(o.streams.map((s) => Object.freeze({ name: s.name, subjects: [...s.subjects] }))),
  });
}
