/**
 * NATS backend vs the raw @nats-io v3 client doing the same work, in the same run, on 127.0.0.1:4222
 * (bench/support/throughput.ts: N messages, a bounded window of publishes awaiting confirmation,
 * one handler; messages/s and p50/p99 publish-to-handler latency; best of alternating rounds).
 * - jetstream: js.publish (PubAck) -> pull consumer -> handler -> ack. Two baselines: the bare raw
 *   client (payload only) and the raw client sending what the backend sends (message-id as
 *   Nats-Msg-Id for de-duplication, content-type, key header) and reading on receipt what the
 *   backend reads (those headers and the delivery count).
 * - core: publish confirmed by a flush round trip -> subscription -> handler; the same two baselines.
 * Both raw clients connect with `noAsyncTraces: true`, as the backend does (no Error object with a
 * stack trace built per request): the baselines keep every client-side saving the backend uses.
 */
import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { createNatsBroker, type NatsBrokerOptions } from '../src/transport/backends/nats/index.ts';
import { canConnect } from '../test/support/service.ts';
import { compare, type PipeFactory } from './support/throughput.ts';

type Payload = { seq: number; sentAt: number };
const URL = '127.0.0.1:4222';
const PREFIX = `rtmbench_${process.pid}`;
/** `BENCH_ONLY=jetstream|core` runs one half. */
const ONLY = process.env.BENCH_ONLY;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function brokerPipe(options: NatsBrokerOptions): PipeFactory {
  return async (deliver) => {
    const broker = createNatsBroker({ servers: URL, streamPrefix: PREFIX, ...options });
    const topic = `rtm.bench.${randomUUID().slice(0, 8)}`;
    await broker.subscribe<Payload>(topic, (m) => deliver(m.value.seq, m.value.sentAt), { maxInFlight: 64 });
    return {
      send: (seq, sentAt) => broker.publish(topic, { seq, sentAt }, { key: `v${seq % 500}` }),
      close: async () => {
        const nc = broker.native();
        await broker.close();
        if (nc) await deleteStreams();
      },
    };
  };
}

function rawJetStream(sameHeaders: boolean): PipeFactory {
  return async (deliver) => {
    const nc = await connect({ servers: URL, noAsyncTraces: true });
    const id = randomUUID().slice(0, 8);
    const topic = `rtm.bench.raw.${id}`;
    const stream = `${PREFIX}_raw_${id}`;
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [topic] });
    await jsm.consumers.add(stream, {
      name: 'bench',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
    });
    const js = jetstream(nc);
    const messages = await (await js.consumers.get(stream, 'bench')).consume({ max_messages: 512 });
    void (async () => {
      for await (const m of messages) {
        const v = JSON.parse(decoder.decode(m.data)) as Payload;
        // With the headers sent, read them too (as any consumer of them would): id, key, attempt.
        if (sameHeaders) void [m.headers?.get('message-id'), m.headers?.get('x-key'), m.info.deliveryCount];
        deliver(v.seq, v.sentAt);
        m.ack();
      }
    })();
    return {
      send: async (seq, sentAt) => {
        const data = encoder.encode(JSON.stringify({ seq, sentAt }));
        if (!sameHeaders) {
          await js.publish(topic, data);
          return;
        }
        const msgID = randomUUID();
        const h = natsHeaders();
        h.set('message-id', msgID);
        h.set('content-type', 'application/json');
        h.set('x-key', `v${seq % 500}`);
        await js.publish(topic, data, { headers: h, msgID });
      },
      close: async () => {
        messages.stop();
        await jsm.streams.delete(stream);
        await nc.drain();
      },
    };
  };
}

/**
 * Same confirmation as the backend's core mode: a publish counts once a flush after it returned, and
 * the publishes of one turn share one flush (a PING/PONG each would be a baseline nobody would write).
 */
function rawCore(sameHeaders: boolean): PipeFactory {
  return async (deliver) => {
    const nc = await connect({ servers: URL, noAsyncTraces: true });
    let pending: Promise<void> | undefined;
    const flush = (): Promise<void> =>
      (pending ??= new Promise<void>((resolve, reject) => {
        queueMicrotask(() => {
          pending = undefined;
          nc.flush().then(resolve, reject);
        });
      }));
    const topic = `rtm.bench.core.${randomUUID().slice(0, 8)}`;
    nc.subscribe(topic, {
      callback: (_err, m) => {
        const v = JSON.parse(decoder.decode(m.data)) as Payload;
        deliver(v.seq, v.sentAt);
      },
    });
    await nc.flush();
    return {
      send: async (seq, sentAt) => {
        const data = encoder.encode(JSON.stringify({ seq, sentAt }));
        if (sameHeaders) {
          const h = natsHeaders();
          h.set('message-id', randomUUID());
          h.set('content-type', 'application/json');
          h.set('x-key', `v${seq % 500}`);
          h.set('x-published-at', String(Date.now()));
          nc.publish(topic, data, { headers: h });
        } else {
          nc.publish(topic, data);
        }
        await flush();
      },
      close: () => nc.drain(),
    };
  };
}

async function deleteStreams(): Promise<void> {
  const nc = await connect({ servers: URL });
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) if (name.startsWith(PREFIX)) await jsm.streams.delete(name);
  await nc.close();
}

if (!(await canConnect(4222))) {
  console.log(`skip: nats-server not reachable on ${URL}`);
} else {
  const js = { messages: 3_000, warmup: 500, window: 256, rounds: 3, timeoutMs: 60_000 };
  const ours = { name: 'nats broker (jetstream)', factory: brokerPipe({}) };
  if (ONLY !== 'core') {
    await compare(
      'nats jetstream: publish -> handler (vs bare raw)',
      ours,
      {
        name: 'raw js.publish + consume',
        factory: rawJetStream(false),
      },
      js,
    );
    await compare(
      'nats jetstream: publish -> handler (vs raw sending the same headers)',
      ours,
      {
        name: 'raw js.publish + consume, same headers',
        factory: rawJetStream(true),
      },
      js,
    );
  }
  const core = { messages: 50_000, warmup: 5_000, window: 256, rounds: 5, timeoutMs: 60_000 };
  const oursCore = { name: 'nats broker (core)', factory: brokerPipe({ mode: 'core' }) };
  if (ONLY !== 'jetstream') {
    await compare(
      'nats core: publish -> handler (vs bare raw)',
      oursCore,
      {
        name: 'raw nc.publish + flush, subscribe',
        factory: rawCore(false),
      },
      core,
    );
    await compare(
      'nats core: publish -> handler (vs raw sending the same headers)',
      oursCore,
      {
        name: 'raw core, same headers',
        factory: rawCore(true),
      },
      core,
    );
  }
  await deleteStreams();
}
