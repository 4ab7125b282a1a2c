/**
 * RabbitMQ backend vs raw amqplib doing the same work, in the same run, on 127.0.0.1:5672.
 * Work: N small JSON messages through a topic exchange into one durable queue, persistent, with a
 * message id and a key header, at most WINDOW publishes awaiting their publisher confirm at once; one
 * consumer (prefetch 64) parses each message, reads its key and id, and acks it. Both sides ack the
 * same way: the deliveries handled in one turn with one `multiple: true` ack, as the backend does
 * (BENCH_RAW_ACK=each makes the raw consumer ack every message on its own, amqplib's plain idiom).
 *
 * Fairness on a busy 2-core machine (RabbitMQ itself competes for the CPU): one warm-up pair first
 * (JIT, connections, RabbitMQ's first queue), then ROUNDS pairs whose order alternates, each side on a
 * fresh durable queue deleted after its round (no state carried between rounds). Printed: the best
 * round of each side, and the median of the per-pair ratios (the steadier figure: a pair ran under
 * about the same load).
 */
import amqp from 'amqplib';
import { createRabbitmqBroker } from '../src/transport/backends/rabbitmq/index.ts';
import { brokerRound, printComparison, Recorder, type Result, sample, timed } from './support/round-trip.ts';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const N = Number(process.env.BENCH_N ?? 20_000);
const WINDOW = 256;
const PREFETCH = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const EXCHANGE = `rtmbench-${process.pid}`;
const RAW_ACK_EACH = process.env.BENCH_RAW_ACK === 'each';

async function deleteQueue(queue: string): Promise<void> {
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  await channel.deleteQueue(queue);
  await connection.close();
}

async function backend(round: number): Promise<Result> {
  const topic = `bench.backend.${round}`;
  const broker = createRabbitmqBroker({ url: URL, exchange: EXCHANGE });
  const r = await brokerRound(broker, topic, N, WINDOW, { group: 'bench', maxInFlight: PREFETCH });
  await deleteQueue(`${EXCHANGE}:${topic}:bench`);
  return r;
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
  await consumer.prefetch(PREFETCH);
  const rec = new Recorder(N);
  // Handled in order and synchronously: acking the turn's last delivery with `multiple` acks them all.
  let last: amqp.ConsumeMessage | undefined;
  const flush = () => {
    if (last) consumer.ack(last, true);
    last = undefined;
  };
  await consumer.consume(queue, (m) => {
    if (!m) return;
    const key = m.properties.headers?.['x-key'];
    rec.recordJson(
      m.content.toString('utf8'),
      typeof key === 'string' ? key : undefined,
      m.properties.messageId,
    );
    if (RAW_ACK_EACH) consumer.ack(m);
    else {
      if (last === undefined) queueMicrotask(flush);
      last = m;
    }
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
            messageId: `m${i}`,
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
  await channel.deleteExchange(EXCHANGE);
  await connection.close();
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

try {
  await backend(-1);
  await raw(-1);
  const ours: Result[] = [];
  const base: Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      ours.push(await backend(round));
      base.push(await raw(round));
    } else {
      base.push(await raw(round));
      ours.push(await backend(round));
    }
  }
  printComparison(
    `rabbitmq (durable queue, persistent, confirms, raw acks ${RAW_ACK_EACH ? 'each message' : 'per turn'}), ${N.toLocaleString('en')} messages, window ${WINDOW}, best of ${ROUNDS} alternating rounds after a warm-up`,
    'raw amqplib',
    ours,
    base,
  );
  const ratios = ours.map((o, i) => o.msgsPerSec / base[i]!.msgsPerSec);
  const cpu = ours.map((o, i) => o.cpuUs / base[i]!.cpuUs);
  console.log(
    `  per pair    ${ratios.map((r) => r.toFixed(2)).join(' ')}; median ${median(ratios).toFixed(2)}x, min ${Math.min(...ratios).toFixed(2)}x; median cpu ${median(cpu).toFixed(2)}x`,
  );
} finally {
  await cleanup();
}
