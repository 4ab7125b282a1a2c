/**
 * Sensor subscriber: publishes hygrothermograph readings and consumes them through the broker
 * interface with the JSON codec and a consumer group, on whichever backend `--backend` names. Bad
 * readings (not JSON, or the wrong shape) are published too: they go to `<topic>.dlq`, and a second
 * subscription on that topic reports each one. Exits 0 once every reading and dead letter was seen.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/sensor/main.ts --backend mqtt
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createBroker, HEADER, rawCodec } from '../../src/transport/index.ts';
import { brokerOptionSchema, brokerOptionSpec, brokerUsage, intOption } from '../support/broker-options.ts';
import { parseOptions, runMain } from '../support/cli.ts';
import { createLogger } from '../support/logger.ts';
import { type Reading, readingCodec, sampleReading } from './reading.ts';
import { readingHandler } from './reading-handler.ts';

const usage = `usage: sensor/main.ts [options]
${brokerUsage}
  --topic <topic>    readings topic (default sensors.hygrothermograph)
  --group <name>     consumer group (default sensor-subscribers)
  --consumers <n>    members of the group in this process (default 2)
  --count <n>        readings to publish (default 10)
  --bad <n>          undecodable readings to publish (default 1)
  --interval <ms>    pause between publishes (default 200)
  --timeout <ms>     give up waiting after this long (default 30000)`;

const options = {
  spec: {
    ...brokerOptionSpec,
    topic: { type: 'string', default: 'sensors.hygrothermograph' },
    group: { type: 'string', default: 'sensor-subscribers' },
    consumers: { type: 'string', default: '2' },
    count: { type: 'string', default: '10' },
    bad: { type: 'string', default: '1' },
    interval: { type: 'string', default: '200' },
    timeout: { type: 'string', default: '30000' },
  },
  schema: z.object({
    ...brokerOptionSchema,
    topic: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated words, no wildcards'),
    group: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
    consumers: intOption(1).max(16),
    count: intOption(0),
    bad: intOption(0),
    interval: intOption(0),
    timeout: intOption(1),
  }),
} as const;

/** Bad payloads, in turn: bytes that are not JSON, then JSON of the wrong shape. */
const BAD_PAYLOADS = ['{"humidity": 41.5, "temperature":', '{"humidity":"damp","temperature":20}'];

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), options.spec, options.schema);
  const logger = createLogger(o['log-level'], 'sensor');
  const broker = await createBroker({
    backend: o.backend,
    ...(o.url ? { url: o.url } : {}),
    logger,
  });
  await broker.connect();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let received = 0;
  let deadLetters = 0;
  try {
    for (let member = 1; member <= o.consumers; member++) {
      const onHandled = () => {
        received++;
      };
      await broker.subscribe<Reading>(
        o.topic,
        readingHandler({ label: `consumer ${member}`, print, onHandled }),
        {
          group: o.group,
          codec: readingCodec,
        },
      );
    }
    // rawCodec: a dead letter keeps its original (undecodable) bytes and content type.
    await broker.subscribe<Uint8Array>(
      `${o.topic}.dlq`,
      (m) => {
        deadLetters++;
        const h = m.headers;
        print(
          `dead letter from ${m.key ?? '?'}: ${h[HEADER.errorCode] ?? 'unknown'} after ${h[HEADER.attempts]} attempt(s): ${h[HEADER.error]}`,
        );
      },
      { codec: rawCodec },
    );
    print(`publishing ${o.count} readings and ${o.bad} bad ones to ${o.topic} on ${broker.name}`);
    for (let i = 0; i < o.count + o.bad; i++) {
      const sensor = `sensor-${(i % 3) + 1}`;
      if (i < o.count) {
        await broker.publish(o.topic, sampleReading(), { key: sensor, codec: readingCodec });
      } else {
        const bad = BAD_PAYLOADS[(i - o.count) % BAD_PAYLOADS.length] ?? '';
        await broker.publish(o.topic, new TextEncoder().encode(bad), {
          key: sensor,
          codec: rawCodec,
          headers: { [HEADER.contentType]: 'application/json' },
        });
      }
      if (o.interval > 0) await sleep(o.interval);
    }
    const deadline = Date.now() + o.timeout;
    while (received < o.count || deadLetters < o.bad) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out: ${received}/${o.count} readings and ${deadLetters}/${o.bad} dead letters after ${o.timeout} ms`,
        );
      }
      await sleep(20);
    }
    print(`done: ${received} readings received, ${deadLetters} sent to dead letter`);
  } finally {
    await broker.close({ deadlineMs: 10_000 });
  }
}

runMain(usage, main);
