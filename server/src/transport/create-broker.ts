import type { Broker } from './broker.ts';
import type { Codec } from './codec.ts';
import { InvalidOptionError, UnsupportedError } from './errors.ts';
import type { TransportLogger } from './logger.ts';

export const BACKENDS = ['memory', 'mqtt', 'kafka', 'nats', 'redis', 'rabbitmq'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BrokerConfig {
  readonly backend: BackendName;
  /**
   * Where the server is: `mqtt://host:1883`, `redis://host:6379`, `amqp://user:pass@host:5672`,
   * `nats://host:4222` (comma-separated for several), `host:9092` for Kafka (comma-separated).
   */
  readonly url?: string;
  readonly codec?: Codec;
  readonly logger?: TransportLogger;
  /** Backend-specific options, passed through to `create<Name>Broker` (they win over url/codec/logger). */
  readonly options?: Readonly<Record<string, unknown>>;
}

type Factory = (options: Record<string, unknown>) => Broker;

/**
 * Creates the configured backend. Each backend module is imported only when chosen, so its client
 * library (kafkajs, ioredis, ...) is loaded only by the processes that use it.
 */
export async function createBroker(config: BrokerConfig): Promise<Broker> {
  if (!BACKENDS.includes(config.backend)) {
    throw new InvalidOptionError(
      `unknown broker backend "${config.backend}" (one of ${BACKENDS.join(', ')})`,
    );
  }
  const common: Record<string, unknown> = {};
  if (config.codec) common.codec = config.codec;
  if (config.logger) common.logger = config.logger;
  const url = config.url;
  const list = url
    ? url
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  let factory: Factory;
  let location: Record<string, unknown> = {};
  switch (config.backend) {
    case 'memory':
      factory = (await import('./backends/memory/index.ts')).createMemoryBroker as Factory;
      break;
    case 'mqtt':
      factory = (await import('./backends/mqtt/index.ts')).createMqttBroker as Factory;
      if (url) location = { url };
      break;
    case 'kafka':
      factory = (await import('./backends/kafka/index.ts')).createKafkaBroker as unknown as Factory;
      if (list) location = { brokers: list.map((s) => s.replace(/^kafka:\/\//, '')) };
      break;
    case 'nats':
      factory = (await import('./backends/nats/index.ts')).createNatsBroker as unknown as Factory;
      if (list) location = { servers: list };
      break;
    case 'redis':
      factory = (await import('./backends/redis/index.ts')).createRedisBroker as unknown as Factory;
      if (url) location = { url };
      break;
    case 'rabbitmq':
      factory = (await import('./backends/rabbitmq/index.ts')).createRabbitmqBroker as unknown as Factory;
      if (url) location = { url };
      break;
    default:
      throw new UnsupportedError('createBroker', `backend "${String(config.backend)}"`);
  }
  return factory({ ...common, ...location, ...config.options });
}
