/**
 * The Kafka backend against the real broker on 127.0.0.1:9092 (scripts/kafka.sh start): the shared
 * conformance suite, including a real broker restart (scripts/kafka.sh restart). Kafka-specific cases
 * live in kafka-specific.test.ts.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { createKafkaBroker } from '../../../src/transport/backends/kafka/index.ts';
import { service } from '../../support/service.ts';
import { describeConformance } from '../conformance/suite.ts';
import { deleteKafkaTestTopics, KAFKA_TEST_OPTIONS } from './kafka-support.ts';

const kafka = await service('kafka', 9092);
const script = fileURLToPath(new URL('../../../../scripts/kafka.sh', import.meta.url));

describeConformance('kafka', {
  ...(kafka.up ? {} : { skip: kafka.reason.trim().replace(/^\(skipped: |\)$/g, '') }),
  makeBroker: async () => {
    const broker = createKafkaBroker(KAFKA_TEST_OPTIONS);
    await broker.connect();
    return broker;
  },
  restartServer: async () => {
    await promisify(execFile)(script, ['restart'], { timeout: 120_000 });
  },
});

afterAll(async () => {
  if (kafka.up) await deleteKafkaTestTopics('rtm.conf.');
});
