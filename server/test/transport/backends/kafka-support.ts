/** Kafka test support: the local broker with short group timings, and cleanup of what tests create. */
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaBrokerOptions } from '../../../src/transport/backends/kafka/index.ts';

export const KAFKA_TEST_OPTIONS: KafkaBrokerOptions = Object.freeze({
  brokers: '127.0.0.1:9092',
  clientId: 'realtimemap-test',
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 6_000,
  maxWaitTimeMs: 100,
});

/**
 * Deletes the topics (and consumer groups) whose names start with `prefix`: every test topic is
 * random, so without this the broker's start-up (which loads every partition) slows down run by run.
 */
export async function deleteKafkaTestTopics(prefix: string): Promise<void> {
  const admin = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.slice(g.lastIndexOf(':') + 1).startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
