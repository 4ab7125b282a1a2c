/**
 * RabbitMQ backend vs raw amqplib doing the same work, in the same run, on 127.0.0.1:5672.
 * Work: N small JSON messages through a topic exchange into one durable queue, persistent, at most
 * WINDOW publishes awaiting their publisher confirm at once; one consumer (prefetch 64) parses each
 * message and acks it. Figures: throughput (first publish to last handler) and p50/p99
 * publish-to-handler latency. Rounds alternate backend/raw; the best round of each is reported.
 */
import amqp from 'amqplib';
import { createRabbitmqBroker } from '../src/transport/backends/rabbitmq/index.ts';
import { brokerRound, printComparison, Recorder, type Result, sample, timed } from './support/round-trip.ts';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const N = Number(process.env.BENCH_N ?? 5_000);
const WINDOW = 256;
const ROUNDS = 3;
const EXCHANGE = `rtmbench-${process.pid}`;

async function backend(round: number): Promise<Result> {
  const broker = createRabbitmqBroker({ url: URL, exchange: EXCHANGE });
  return brokerRound(broker, `bench.backend.${round}`, N, WINDOW, { group: 'bench', maxInFlight: 64 });
}

async function raw(round: number): Promise<Result> {
  const topic = `bench.raw.${round}`;
  const queue = `${EXCHANGE}:${topic}:raw`;
  const connection = await amqp.connect(URL);
  const publisher = await connection.createConfirmChannel();
  const consumer = await connection.createChannel();
  await publisher.assertExchange(EXCHANGE, 'topic', { durable: true });
  await consumer.assertQueue(queue, { durable: true });
  await consumer.bindQueue(queue, EXCHANGE, topic);
  await consumer.prefetch(64);
  const rec = new Recorder(N);
  await consumer.consume(queue, (m) => {
    if (!m) return;
    rec.recordJson(m.content.toString('utf8'));
    consumer.ack(m);
  });
  const r = await timed(
    rec,
    WINDOW,
    (i) =>
      new Promise<void>((resolve, reject) => {
        publisher.publish(
          EXCHANGE,
          topic,
          Buffer.from(JSON.stringify(sample(i))),
          {
            persistent: true,
            contentType: 'application/json',
            headers: { 'x-key': `v${i % 500}` },
          },
          (err: unknown) => (err ? reject(err) : resolve()),
        );
      }),
  );
  await consumer.deleteQueue(queue);
  await connection.close();
  return r;
}

async function cleanup(): Promise<void> {
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  for (let round = 0; round < ROUNDS; round++)
    await channel.deleteQueue(`${EXCHANGE}:bench.backend.${round}:bench`);
  await channel.deleteExchange(EXCHANGE);
  await connection.close();
}

try {
  const ours: Result[] = [];
  const base: Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(await backend(round));
    base.push(await raw(round));
  }
  printComparison(
    `rabbitmq (durable queue, persistent, confirms), ${N.toLocaleString('en')} messages, window ${WINDOW}, best of ${ROUNDS}`,
    'raw amqplib',
    ours,
    base,
  );
} finally {
  await cleanup();
}
