/**
 * Subscriber server in an App: the sensor example's handler registered on a SubscriberServer, which
 * an App starts and stops with its lifecycle. Ctrl-C (SIGINT) or SIGTERM stops the servers in reverse
 * order; the subscriber server lets running handlers finish before the broker closes; exit code 0.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/app/main.ts --backend mqtt --work-ms 2000
 */
import { z } from 'zod';
import { App, createBroker, type Server, SubscriberServer } from '../../src/transport/index.ts';
import { type Reading, readingCodec } from '../sensor/reading.ts';
import { readingHandler } from '../sensor/reading-handler.ts';
import { brokerOptionSchema, brokerOptionSpec, brokerUsage, intOption } from '../support/broker-options.ts';
import { parseOptions, runMain } from '../support/cli.ts';
import { createLogger } from '../support/logger.ts';
import { ReadingTicker } from './reading-ticker.ts';

const usage = `usage: app/main.ts [options]
${brokerUsage}
  --topic <topic>        readings topic (default sensors.hygrothermograph)
  --group <name>         consumer group (default sensor-app)
  --work-ms <ms>         pretend work per reading (default 1000)
  --publish-every <ms>   also publish a sample reading this often; 0 = off (default 1000)
  --stop-deadline <ms>   how long stopping may take (default 10000)`;

const spec = {
  ...brokerOptionSpec,
  topic: { type: 'string', default: 'sensors.hygrothermograph' },
  group: { type: 'string', default: 'sensor-app' },
  'work-ms': { type: 'string', default: '1000' },
  'publish-every': { type: 'string', default: '1000' },
  'stop-deadline': { type: 'string', default: '10000' },
} as const;

const schema = z.object({
  ...brokerOptionSchema,
  topic: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated words, no wildcards'),
  group: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  'work-ms': intOption(0),
  'publish-every': intOption(0),
  'stop-deadline': intOption(1),
});

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), spec, schema);
  const logger = createLogger(o['log-level'], 'sensor-app');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const broker = await createBroker({ backend: o.backend, ...(o.url ? { url: o.url } : {}), logger });
  const subscriber = new SubscriberServer({ broker, logger, closeDeadlineMs: o['stop-deadline'] });
  await subscriber.register<Reading>(o.topic, readingHandler({ label: 'app', print, workMs: o['work-ms'] }), {
    group: o.group,
    codec: readingCodec,
    maxInFlight: 4,
    policy: { handlerTimeoutMs: 0 },
  });
  const servers: Server[] = [subscriber];
  if (o['publish-every'] > 0) servers.push(new ReadingTicker(broker, o.topic, o['publish-every'], logger));
  const app = new App({ servers, logger, stopDeadlineMs: o['stop-deadline'] });
  await app.start();
  print(`ready: ${o.topic} on ${broker.name}, group ${o.group}; Ctrl-C drains and exits`);
  await app.stopped;
  await app.stop(); // the same stop: rejects if a server failed to stop in time
  print('stopped cleanly');
}

runMain(usage, main);
