/**
 * The sensor example (examples/sensor/main.ts) run as its command against every backend whose server
 * is reachable: every reading is consumed once by the group, each bad one is reported as a dead letter.
 */
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as connectNats } from '@nats-io/transport-node';
import amqp from 'amqplib';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/transport/index.ts';
import { service } from '../support/service.ts';
import { deleteKafkaTestTopics } from '../transport/backends/kafka-support.ts';
import { runToEnd } from './support.ts';

const PORTS: Record<Exclude<BackendName, 'memory'>, number> = {
  mqtt: 1883,
  kafka: 9092,
  nats: 4222,
  redis: 6379,
  rabbitmq: 5672,
};

const up: Record<string, { up: boolean; reason: string }> = { memory: { up: true, reason: '' } };
for (const [name, port] of Object.entries(PORTS)) up[name] = await service(name, port);

/** What each backend leaves behind, removed after the run (topics are random, so nothing else is touched). */
const used: { backend: string; topic: string; group: string }[] = [];

afterAll(async () => {
  for (const { backend, topic, group } of used) {
    if (backend === 'redis') {
      const client = new Redis('redis://127.0.0.1:6379');
      await client.del(topic, `${topic}.dlq`);
      client.disconnect();
    } else if (backend === 'nats') {
      const nc = await connectNats({ servers: '127.0.0.1:4222' });
      const jsm = await jetstreamManager(nc);
      for (const subject of [topic, `${topic}.dlq`]) {
        const stream = await jsm.streams.find(subject).catch(() => undefined);
        if (stream) await jsm.streams.delete(stream);
      }
      await nc.close();
    } else if (backend === 'rabbitmq') {
      const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
      for (const queue of [`realtimemap:${topic}:${group}`, `realtimemap:${topic}.dlq:dead-letters`]) {
        const channel = await connection.createChannel();
        await channel.deleteQueue(queue).catch(() => {});
        await channel.close().catch(() => {});
      }
      await connection.close();
    }
  }
  if (used.some((u) => u.backend === 'kafka')) await deleteKafkaTestTopics('rtm.examples.');
});

describe('examples: sensor subscriber', () => {
  for (const backend of ['memory', ...Object.keys(PORTS)] as BackendName[]) {
    const check = up[backend] ?? { up: false, reason: '' };
    it.skipIf(!check.up)(
      `examples: sensor readings go through a group and bad ones to dead letter on ${backend}${check.reason}`,
      async () => {
        const id = randomUUID().slice(0, 8);
        const topic = `rtm.examples.sensor.${id}`;
        const group = `sensors-${id}`;
        used.push({ backend, topic, group });
        // Two group members where joining is cheap; one where a join means a rebalance (kafka).
        const consumers = backend === 'memory' || backend === 'mqtt' ? 2 : 1;
        const run = await runToEnd('sensor/main.ts', [
          ...['--backend', backend, '--topic', topic, '--group', group],
          ...['--consumers', String(consumers), '--count', '6', '--bad', '2', '--interval', '0'],
          ...['--timeout', '45000'],
        ]);
        expect(run.code, run.stderr).toBe(0);
        const got = [...run.stdout.matchAll(/^consumer (\d) got sensor-\d: humidity [\d.]+ %.*\[(.+)\]$/gm)];
        // Each reading once across the group (distinct message ids), none twice.
        expect(got).toHaveLength(6);
        expect(new Set(got.map((m) => m[2])).size).toBe(6);
        const dead = run.stdout.match(
          /^dead letter from sensor-\d: TRANSPORT_DECODE_FAILED after 1 attempt/gm,
        );
        expect(dead).toHaveLength(2);
        expect(run.stdout).toMatch(/humidity: Expected number, received string/);
        expect(run.stdout).toContain('done: 6 readings received, 2 sent to dead letter');
      },
      120_000,
    );
  }

  it('examples: the sensor program rejects bad options with exit code 2 and says why', async () => {
    const run = await runToEnd('sensor/main.ts', ['--backend', 'carrier-pigeon', '--count', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--backend: Invalid enum value/);
    expect(run.stderr).toMatch(/--count: Expected number/);
    expect(run.stderr).toContain('usage: sensor/main.ts');
  });
});
