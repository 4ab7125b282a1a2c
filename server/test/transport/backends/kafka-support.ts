/** Options for Kafka tests: the local broker, and short group timings so joins and rebalances are quick. */
import type { KafkaBrokerOptions } from '../../../src/transport/backends/kafka/index.ts';

export const KAFKA_TEST_OPTIONS: KafkaBrokerOptions = Object.freeze({
  brokers: '127.0.0.1:9092',
  clientId: 'realtimemap-test',
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 6_000,
  maxWaitTimeMs: 100,
});
