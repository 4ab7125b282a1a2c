/**
 * Redis backend (streams and pub/sub modes) vs raw ioredis doing the same work, in the same run,
 * on 127.0.0.1:6379. Work: N small JSON messages, at most WINDOW publishes awaiting Redis' reply at
 * once, consumed by one subscriber that parses each message (streams: one consumer group,
 * XREADGROUP, XACK after the handlers: the raw client acks each read batch with one XACK). Every
 * message carries a key, and the raw consumers read it (streams: also the entry id, a raw user's
 * dedup id), as a handler of ours gets them. Figures: throughput (first publish to last handler) and
 * p50/p99 publish-to-handler latency. Rounds alternate backend/raw, after
 * warm-up rounds of each; the best measured round of each is reported.
 */
import Redis from 'ioredis';
import { createRedisBroker } from '../src/transport/backends/redis/index.ts';
import { brokerRound, printComparison, Recorder, type Result, sample, timed } from './support/round-trip.ts';

const URL = 'redis://127.0.0.1:6379';
const N = Number(process.env.BENCH_N ?? 10_000);
const WINDOW = 256;
const ROUNDS = 4;
/**
 * Unmeasured rounds of each side first (BENCH_WARMUP, default 2): a round is ~70 ms, and without
 * them our side, whose own code is JIT-compiled only in its rounds, was still speeding up in its
 * fourth (80k -> 131k msg/s over four rounds, the raw client flat from its second).
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const PREFIX = `rtmbench:${process.pid}:`;

async function backend(mode: 'streams' | 'pubsub', round: number): Promise<Result> {
  const broker = createRedisBroker({ url: URL, mode, keyPrefix: PREFIX });
  return brokerRound(broker, `bench.${mode}.backend.${round}`, N, WINDOW, {
    maxInFlight: 64,
    ...(mode === 'streams' ? { group: 'bench' } : {}),
  });
}

async function rawStreams(round: number): Promise<Result> {
  const key = `${PREFIX}bench.streams.raw.${round}`;
  const commands = new Redis(URL, { enableAutoPipelining: true });
  const blocking = new Redis(URL);
  await commands.xgroup('CREATE', key, 'bench', '$', 'MKSTREAM');
  const rec = new Recorder(N);
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const reply = (await blocking.xreadgroup(
        'GROUP',
        'bench',
        'c1',
        'COUNT',
        256,
        'BLOCK',
        200,
        'STREAMS',
        key,
        '>',
      )) as [string, [string, string[]][]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      // What a consumer of our messages reads: payload (JSON-decoded), key and the entry id (a raw
      // user's stable id for deduplication). ioredis has made every field a string already.
      for (const [id, fields] of entries) rec.recordJson(fields[1]!, fields[3], id);
      // One XACK per read batch, after its handlers ran (as a competent user would batch it).
      if (entries.length > 0) void commands.xack(key, 'bench', ...entries.map(([id]) => id));
    }
  })();
  const r = await timed(rec, WINDOW, (i) =>
    commands.xadd(key, '*', 'payload', JSON.stringify(sample(i)), 'key', `v${i % 500}`),
  );
  stop = true;
  await loop;
  commands.disconnect();
  blocking.disconnect();
  return r;
}

async function rawPubsub(round: number): Promise<Result> {
  const channel = `${PREFIX}bench.pubsub.raw.${round}`;
  const commands = new Redis(URL, { enableAutoPipelining: true });
  const subscriber = new Redis(URL);
  const rec = new Recorder(N);
  // The key travels too (our messages carry one, and ordering by key needs it): `<key>\n<json>`.
  subscriber.on('message', (_c: string, message: string) => {
    const end = message.indexOf('\n');
    rec.recordJson(message.slice(end + 1), message.slice(0, end));
  });
  await subscriber.subscribe(channel);
  const r = await timed(rec, WINDOW, (i) =>
    commands.publish(channel, `v${i % 500}\n${JSON.stringify(sample(i))}`),
  );
  commands.disconnect();
  subscriber.disconnect();
  return r;
}

async function cleanup(): Promise<void> {
  const client = new Redis(URL);
  const keys = await client.keys(`${PREFIX}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
}

try {
  const modes = process.env.BENCH_MODE
    ? [process.env.BENCH_MODE as 'streams' | 'pubsub']
    : (['streams', 'pubsub'] as const);
  for (const mode of modes) {
    const ours: Result[] = [];
    const raw: Result[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const [o, r] = [await backend(mode, round), await (mode === 'streams' ? rawStreams : rawPubsub)(round)];
      if (round < WARMUP) continue;
      ours.push(o);
      raw.push(r);
    }
    printComparison(
      `redis ${mode}, ${N.toLocaleString('en')} messages, window ${WINDOW}, best of ${ROUNDS} after ${WARMUP} warm-up rounds each`,
      'raw ioredis',
      ours,
      raw,
    );
  }
} finally {
  await cleanup();
}
