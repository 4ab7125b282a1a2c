/** The Kafka backend's options: validated once (every problem reported together), defaulted, frozen. */
import { z } from 'zod';
import type { Codec, DeliveryPolicy, TransportLogger } from '../../internal.ts';
import { InvalidOptionError, silentLogger } from '../../internal.ts';

export interface KafkaSaslOptions {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

export interface KafkaBrokerOptions {
  /** Bootstrap servers, `host:port`. Default `127.0.0.1:9092`. */
  readonly brokers?: string | readonly string[];
  readonly clientId?: string;
  readonly ssl?: boolean;
  readonly sasl?: KafkaSaslOptions;
  readonly logger?: TransportLogger;
  /** Default codec for publish and subscribe (JSON when absent). */
  readonly codec?: Codec;
  /** Default delivery policy for subscriptions; a subscription's own policy overrides it per field. */
  readonly policy?: Partial<DeliveryPolicy>;
  /** Partitions of topics this backend creates (default 3). The key picks the partition. */
  readonly partitions?: number;
  /** Replicas of topics this backend creates; -1 (default) = the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Producer compression (default none). gzip is the one kafkajs ships without extra codecs. */
  readonly compression?: 'none' | 'gzip';
  /** How long publish() waits for more messages to share one produce request (default 2 ms). */
  readonly lingerMs?: number;
  /** Most messages in one produce request (default 1000). */
  readonly maxBatchMessages?: number;
  /** Payload bytes that close a produce request early (default 1 MiB). */
  readonly maxBatchBytes?: number;
  /**
   * `max.message.bytes` of topics this backend creates (default 8 MiB; Kafka's own default is 1 MiB,
   * which a 1 MiB payload plus its headers already exceeds).
   */
  readonly maxMessageBytes?: number;
  /** Idempotent producer: retries never duplicate or reorder within a partition (default true). */
  readonly idempotent?: boolean;
  /**
   * Total time a publish keeps being retried by the client (broker down, leader moving) before it
   * rejects (default 30 s): long enough to ride over a broker restart.
   */
  readonly publishRetryMs?: number;
  /** Consumer group session timeout (default 10 s; the broker's group.min.session.timeout.ms bounds it). */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** How long members get to rejoin during a rebalance (default 10 s). */
  readonly rebalanceTimeoutMs?: number;
  /** Longest a fetch waits on the broker for new data (default 500 ms; also paces heartbeats). */
  readonly maxWaitTimeMs?: number;
  /** Prepended to every consumer group id (default ''). */
  readonly groupPrefix?: string;
  /** connect() fails after this long without a broker (default 10 s). */
  readonly connectTimeoutMs?: number;
}

export interface ResolvedKafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sasl: KafkaSaslOptions | undefined;
  readonly logger: TransportLogger;
  readonly codec: Codec | undefined;
  readonly policy: Partial<DeliveryPolicy>;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly compression: 'none' | 'gzip';
  readonly lingerMs: number;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  readonly maxMessageBytes: number;
  readonly idempotent: boolean;
  readonly publishRetryMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxWaitTimeMs: number;
  readonly groupPrefix: string;
  readonly connectTimeoutMs: number;
}

const ms = z.number().int().nonnegative();
const positive = z.number().int().positive();

const schema = z
  .object({
    brokers: z
      .union([z.string(), z.array(z.string()).min(1)])
      .default('127.0.0.1:9092')
      .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'brokers are host:port'))),
    clientId: z.string().min(1).default('realtimemap'),
    ssl: z.boolean().default(false),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string(),
        password: z.string(),
      })
      .optional(),
    partitions: positive.default(3),
    replicationFactor: z
      .number()
      .int()
      .refine((n) => n === -1 || n > 0, 'replicationFactor is -1 or > 0')
      .default(-1),
    compression: z.enum(['none', 'gzip']).default('none'),
    lingerMs: ms.default(2),
    maxBatchMessages: positive.default(1000),
    maxBatchBytes: positive.default(1024 * 1024),
    maxMessageBytes: positive.default(8 * 1024 * 1024),
    idempotent: z.boolean().default(true),
    publishRetryMs: positive.default(30_000),
    sessionTimeoutMs: positive.default(10_000),
    heartbeatIntervalMs: positive.default(1_000),
    rebalanceTimeoutMs: positive.default(10_000),
    maxWaitTimeMs: positive.default(500),
    groupPrefix: z.string().default(''),
    connectTimeoutMs: positive.default(10_000),
  })
  .refine((o) => o.heartbeatIntervalMs < o.sessionTimeoutMs, {
    message: 'heartbeatIntervalMs must be below sessionTimeoutMs',
    path: ['heartbeatIntervalMs'],
  });

export function resolveKafkaOptions(options: KafkaBrokerOptions = {}): ResolvedKafkaOptions {
  const { logger, codec, policy, ...plain } = options;
  const parsed = schema.safeParse(plain);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
    throw new InvalidOptionError(`kafka broker options: ${problems.join('; ')}`);
  }
  return Object.freeze({
    ...parsed.data,
    brokers: Object.freeze([...parsed.data.brokers]),
    sasl: parsed.data.sasl,
    logger: logger ?? silentLogger,
    codec,
    policy: policy ?? {},
  });
}
