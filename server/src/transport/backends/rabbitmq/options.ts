/** Options of the RabbitMQ backend, validated once (every problem reported together) and frozen. */
import type { DeliveryPolicy } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { InvalidOptionError } from '../../errors.ts';
import { silentLogger, type TransportLogger } from '../../logger.ts';

export type RabbitmqQueueType = 'classic' | 'quorum';

export interface RabbitmqBrokerOptions {
  /** `amqp://user:pass@host:port/vhost?heartbeat=10`; default amqp://guest:guest@127.0.0.1:5672. */
  readonly url?: string;
  /** Passed to amqplib's connect (TLS options, ...). */
  readonly socketOptions?: Record<string, unknown>;
  /** The topic exchange every message goes through (durable; default `realtimemap`). */
  readonly exchange?: string;
  /** Prepended to every queue this backend declares (default: the exchange name plus `:`). */
  readonly queuePrefix?: string;
  /**
   * The type of a group's durable queues (and its dead-letter queue): `classic` (default) or
   * `quorum` (replicated Raft log; counts redeliveries, so a message requeued after a consumer crash
   * gets a higher attempt). Fan-out queues are exclusive, which quorum queues cannot be, so they stay
   * classic. An existing queue keeps its type: redeclaring it with another fails (see README).
   */
  readonly queueType?: RabbitmqQueueType;
  /** Messages survive a broker restart (delivery mode 2; default true). */
  readonly persistent?: boolean;
  readonly codec?: Codec;
  readonly logger?: TransportLogger;
  /** How long a publish waits for a connection (during a reconnect) plus its confirm (default 30 s). */
  readonly publishTimeoutMs?: number;
  /** Reconnect backoff: first delay and cap (defaults 100 ms and 5 s); it never gives up. */
  readonly reconnectInitialDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** Default delivery policy for subscriptions (each subscription may override fields). */
  readonly policy?: Partial<DeliveryPolicy>;
  /** close() deadline when the call gives none (default 30 s). */
  readonly closeDeadlineMs?: number;
}

export interface ResolvedRabbitmqOptions {
  readonly url: string;
  readonly socketOptions: Record<string, unknown>;
  readonly exchange: string;
  readonly queuePrefix: string;
  readonly queueType: RabbitmqQueueType;
  readonly persistent: boolean;
  readonly codec: Codec | undefined;
  readonly logger: TransportLogger;
  readonly publishTimeoutMs: number;
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
  readonly policy: Partial<DeliveryPolicy>;
  readonly closeDeadlineMs: number;
}

export function resolveRabbitmqOptions(options: RabbitmqBrokerOptions = {}): ResolvedRabbitmqOptions {
  const problems: string[] = [];
  const url = options.url ?? 'amqp://guest:guest@127.0.0.1:5672';
  if (!/^amqps?:\/\//.test(url)) problems.push(`url must start with amqp:// or amqps://, got ${url}`);
  const exchange = options.exchange ?? 'realtimemap';
  if (exchange.length === 0 || exchange.startsWith('amq.'))
    problems.push('exchange must be non-empty and not start with "amq."');
  const positive = (name: string, value: unknown) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
      problems.push(`${name} must be a positive integer, got ${String(value)}`);
    }
  };
  const queueType = options.queueType ?? 'classic';
  if (queueType !== 'classic' && queueType !== 'quorum')
    problems.push(`queueType must be "classic" or "quorum", got ${String(queueType)}`);
  positive('publishTimeoutMs', options.publishTimeoutMs);
  positive('reconnectInitialDelayMs', options.reconnectInitialDelayMs);
  positive('reconnectMaxDelayMs', options.reconnectMaxDelayMs);
  positive('closeDeadlineMs', options.closeDeadlineMs);
  if (problems.length > 0) throw new InvalidOptionError(`rabbitmq broker options: ${problems.join('; ')}`);
  return Object.freeze({
    url,
    socketOptions: options.socketOptions ?? {},
    exchange,
    queuePrefix: options.queuePrefix ?? `${exchange}:`,
    queueType,
    persistent: options.persistent ?? true,
    codec: options.codec,
    logger: options.logger ?? silentLogger,
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
    reconnectInitialDelayMs: options.reconnectInitialDelayMs ?? 100,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 5_000,
    policy: options.policy ?? {},
    closeDeadlineMs: options.closeDeadlineMs ?? 30_000,
  });
}
