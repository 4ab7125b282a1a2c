/**
 * Telemetry to a database (a small CQRS): readings arrive through the broker; a consumer group
 * writes them in batches to PostgreSQL, one row per message id (a redelivered message adds nothing);
 * an HTTP route serves per-sensor averages over time buckets.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/telemetry/main.ts --backend mqtt --simulate-every 100
 *   curl 'http://127.0.0.1:8081/sensors/sensor-1/averages?bucket=10'
 */
import { setInterval } from 'node:timers';
import pg from 'pg';
import { z } from 'zod';
import { App, createBroker, type Server, SubscriberServer } from '../../src/transport/index.ts';
import { sampleReading } from '../sensor/reading.ts';
import { brokerOptionSchema, brokerOptionSpec, brokerUsage, intOption } from '../support/broker-options.ts';
import { parseOptions, runMain } from '../support/cli.ts';
import { createLogger } from '../support/logger.ts';
import { AveragesServer, buildAveragesApi } from './averages-api.ts';
import { BatchWriter } from './batch-writer.ts';
import { DatabaseServer } from './database-server.ts';
import { ReadingsTable } from './readings-table.ts';
import { telemetryHandler } from './telemetry-handler.ts';
import { type TelemetryReading, telemetryCodec } from './telemetry-reading.ts';

const usage = `usage: telemetry/main.ts [options]
${brokerUsage}
  --topic <topic>          readings topic (default telemetry.readings)
  --group <name>           consumer group (default telemetry-writer)
  --database-url <url>     PostgreSQL (default postgres://postgres@127.0.0.1:5432/test)
  --schema <name>          schema of the readings table (default telemetry_example)
  --host <host>            HTTP listen address (default 127.0.0.1)
  --port <port>            HTTP port; 0 = a free one (default 8081)
  --batch-size <n>         rows per insert at most (default 100)
  --batch-ms <ms>          longest a row waits for its batch (default 200)
  --simulate-every <ms>    also publish a reading per sensor this often; 0 = off (default 0)
  --sensors <n>            simulated sensors (default 3)`;

const spec = {
  ...brokerOptionSpec,
  topic: { type: 'string', default: 'telemetry.readings' },
  group: { type: 'string', default: 'telemetry-writer' },
  'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  schema: { type: 'string', default: 'telemetry_example' },
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8081' },
  'batch-size': { type: 'string', default: '100' },
  'batch-ms': { type: 'string', default: '200' },
  'simulate-every': { type: 'string', default: '0' },
  sensors: { type: 'string', default: '3' },
} as const;

const schema = z.object({
  ...brokerOptionSchema,
  topic: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated words, no wildcards'),
  group: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  'database-url': z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://'),
  schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier'),
  host: z.string().min(1),
  port: intOption(0).max(65_535),
  'batch-size': intOption(1).max(10_000),
  'batch-ms': intOption(1),
  'simulate-every': intOption(0),
  sensors: intOption(1).max(1_000),
});

/** Publishes one reading per simulated sensor every `everyMs`; stops first. */
function simulator(
  publish: (r: TelemetryReading) => Promise<void>,
  sensors: number,
  everyMs: number,
): Server {
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  return {
    name: 'simulator',
    start: async () => {
      timer = setInterval(() => {
        const at = Date.now();
        inFlight = Promise.allSettled(
          Array.from({ length: sensors }, (_, i) =>
            publish({ sensorId: `sensor-${i + 1}`, at, ...sampleReading() }),
          ),
        );
      }, everyMs);
    },
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), spec, schema);
  const logger = createLogger(o['log-level'], 'telemetry');
  const pool = new pg.Pool({ connectionString: o['database-url'], max: 4 });
  const table = new ReadingsTable(pool, o.schema);
  const writer = new BatchWriter({
    insert: (rows) => table.insert(rows),
    maxRows: o['batch-size'],
    maxDelayMs: o['batch-ms'],
    logger,
  });
  const broker = await createBroker({ backend: o.backend, ...(o.url ? { url: o.url } : {}), logger });
  const subscriber = new SubscriberServer({ broker, logger, closeDeadlineMs: 10_000 });
  await subscriber.register<TelemetryReading>(o.topic, telemetryHandler(writer), {
    group: o.group,
    codec: telemetryCodec,
    // Enough handlers waiting on one batch to fill it; rows carry their own time, so order is moot.
    maxInFlight: o['batch-size'],
    orderedByKey: false,
  });
  const http = new AveragesServer(buildAveragesApi(table), o.host, o.port);
  const servers: Server[] = [new DatabaseServer(pool, table, writer), subscriber, http];
  if (o['simulate-every'] > 0) {
    const publish = (r: TelemetryReading) =>
      broker.publish(o.topic, r, { key: r.sensorId, codec: telemetryCodec });
    servers.push(simulator(publish, o.sensors, o['simulate-every']));
  }
  const app = new App({ servers, logger, stopDeadlineMs: 15_000 });
  await app.start();
  process.stdout.write(
    `ready: ${o.topic} on ${broker.name} -> ${table.qualifiedName}; averages at ${http.url}/sensors/<id>/averages?bucket=60\n`,
  );
  await app.stopped;
  await app.stop();
  const s = writer.stats;
  process.stdout.write(
    `stopped: ${s.inserted} rows in ${s.batches} batches, ${s.duplicates} duplicates skipped\n`,
  );
}

runMain(usage, main);
