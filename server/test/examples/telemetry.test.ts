/**
 * The telemetry example (examples/telemetry/): readings through the broker end up as rows in
 * PostgreSQL, written in batches, one per message id (a redelivery or a duplicate adds nothing), and
 * the HTTP route serves per-bucket averages. Each test uses its own schema and drops it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../examples/telemetry/batch-writer.ts';
import { ReadingsTable } from '../../examples/telemetry/readings-table.ts';
import { telemetryHandler } from '../../examples/telemetry/telemetry-handler.ts';
import { type TelemetryReading, telemetryCodec } from '../../examples/telemetry/telemetry-reading.ts';
import { createBroker, HEADER, silentLogger } from '../../src/transport/index.ts';
import { service } from '../support/service.ts';
import { runExample, runToEnd, stop } from './support.ts';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const postgres = await service('postgres', 5432);
const mqtt = await service('mqtt', 1883);
const schemas: string[] = [];
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });

const newSchema = () => {
  const name = `examples_telemetry_${randomUUID().slice(0, 8)}`;
  schemas.push(name);
  return name;
};

afterAll(async () => {
  if (postgres.up) for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await pool.end();
});

async function rowCount(schema: string): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".readings`);
  return Number(r.rows[0]?.n);
}

async function waitForRows(schema: string, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const have = await rowCount(schema).catch(() => -1);
    if (have >= n) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} rows (have ${have})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!postgres.up)(`examples: telemetry to a database${postgres.reason}`, () => {
  it('examples: a redelivered message writes no second row (idempotent insert by message id)', async () => {
    const table = new ReadingsTable(pool, newSchema());
    await table.ensure();
    const writer = new BatchWriter({
      insert: (rows) => table.insert(rows),
      maxRows: 10,
      maxDelayMs: 20,
      logger: silentLogger,
    });
    const broker = await createBroker({ backend: 'memory' });
    await broker.connect();
    const handle = telemetryHandler(writer);
    const attempts: number[] = [];
    await broker.subscribe<TelemetryReading>(
      'telemetry.readings',
      async (m) => {
        await handle(m);
        if (m.key !== 'flaky') return;
        attempts.push(m.attempt);
        // The row is committed, but the ack is "lost": the broker delivers the message again.
        if (m.attempt === 1) throw new Error('crashed after the commit, before the ack');
      },
      {
        group: 'writer',
        codec: telemetryCodec,
        maxInFlight: 10,
        orderedByKey: false,
        policy: { initialDelayMs: 10 },
      },
    );
    const at = Date.now();
    for (let i = 0; i < 4; i++) {
      await broker.publish(
        'telemetry.readings',
        { sensorId: 's', at: at + i, humidity: 40, temperature: 20 },
        { key: 's', codec: telemetryCodec },
      );
    }
    await broker.publish(
      'telemetry.readings',
      { sensorId: 'f', at, humidity: 50, temperature: 25 },
      { key: 'flaky', codec: telemetryCodec },
    );
    const deadline = Date.now() + 20_000;
    while (attempts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await broker.close();
    expect(attempts).toEqual([1, 2]);
    expect(await rowCount(table.schema)).toBe(5);
    expect(writer.stats.duplicates).toBe(1);
  });

  it.skipIf(!mqtt.up)(
    `examples: readings through mqtt become rows in batches; the route serves bucket averages${mqtt.reason}`,
    async () => {
      const schema = newSchema();
      const topic = `rtm.examples.telemetry.${randomUUID().slice(0, 8)}`;
      const program = runExample('telemetry/main.ts', [
        ...['--backend', 'mqtt', '--topic', topic, '--schema', schema, '--database-url', DATABASE_URL],
        ...['--port', '0', '--batch-ms', '50'],
      ]);
      try {
        const [, url] = await program.waitFor(/averages at (http:\/\/[\d.:]+)/, 'the program to start');
        const broker = await createBroker({ backend: 'mqtt', url: 'mqtt://127.0.0.1:1883' });
        await broker.connect();
        // Two one-minute buckets for sensor-a, aligned so the averages are known exactly.
        const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
        const readings: TelemetryReading[] = [
          { sensorId: 'sensor-a', at: t0 + 1_000, humidity: 40, temperature: 20 },
          { sensorId: 'sensor-a', at: t0 + 30_000, humidity: 50, temperature: 22 },
          { sensorId: 'sensor-a', at: t0 + 61_000, humidity: 60, temperature: 30 },
          { sensorId: 'sensor-b', at: t0 + 2_000, humidity: 99, temperature: -5 },
        ];
        const duplicateId = randomUUID();
        try {
          for (const [i, r] of readings.entries()) {
            const headers: Record<string, string> = i === 0 ? { [HEADER.messageId]: duplicateId } : {};
            await broker.publish(topic, r, { key: r.sensorId, codec: telemetryCodec, headers });
          }
          // A producer retry: the first reading again, with its message id.
          await broker.publish(topic, readings[0], {
            key: 'sensor-a',
            codec: telemetryCodec,
            headers: { [HEADER.messageId]: duplicateId },
          });
        } finally {
          await broker.close();
        }
        await waitForRows(schema, 4);
        const response = await fetch(
          `${url}/sensors/sensor-a/averages?bucket=60&from=${t0}&to=${t0 + 120_000}`,
        );
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          buckets: { start: string; count: number; humidity: number; temperature: number }[];
        };
        expect(body.buckets).toEqual([
          { start: new Date(t0).toISOString(), count: 2, humidity: 45, temperature: 21 },
          { start: new Date(t0 + 60_000).toISOString(), count: 1, humidity: 60, temperature: 30 },
        ]);
        const bad = await fetch(`${url}/sensors/sensor-a/averages?bucket=0`);
        expect(bad.status).toBe(400);
        program.child.kill('SIGINT');
        expect(await program.exited, program.stderr()).toBe(0);
        // The duplicate was consumed (5 messages) but skipped by the insert: 4 rows.
        expect(program.stdout()).toMatch(/stopped: 4 rows in \d+ batches, 1 duplicates skipped/);
        expect(await rowCount(schema)).toBe(4);
      } finally {
        stop(program);
      }
    },
    120_000,
  );

  it('examples: the telemetry program rejects bad options with exit code 2', async () => {
    const run = await runToEnd('telemetry/main.ts', ['--schema', 'Robert"); DROP TABLE', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--schema: a lower-case SQL identifier/);
    expect(run.stderr).toMatch(/--port: Number must be less than or equal to 65535/);
  });
});
