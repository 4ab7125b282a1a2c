/**
 * Publish-to-handler throughput and latency: memory and mqtt brokers beside a baseline doing the same
 * work in the same run (memory: an EventEmitter with JSON encode/decode; mqtt: the raw mqtt.js client
 * at QoS 1, one publisher and one subscriber connection). Needs Mosquitto on 127.0.0.1:1883 for mqtt.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import mqtt from 'mqtt';
import { createMemoryBroker } from '../src/transport/backends/memory/index.ts';
import { createMqttBroker } from '../src/transport/backends/mqtt/index.ts';
import type { Broker } from '../src/transport/broker.ts';
import { newMessageId } from '../src/transport/delivery/headers.ts';
import { canConnect } from '../test/support/service.ts';
import { compare, type PipeFactory } from './support/throughput.ts';

type Payload = { seq: number; sentAt: number };

function brokerPipe(make: () => Promise<Broker>): PipeFactory {
  return async (deliver) => {
    const broker = await make();
    const topic = `bench.tp.${randomUUID().slice(0, 8)}`;
    await broker.subscribe<Payload>(topic, (m) => deliver(m.value.seq, m.value.sentAt), { maxInFlight: 64 });
    return {
      send: (seq, sentAt) => broker.publish(topic, { seq, sentAt }),
      close: () => broker.close(),
    };
  };
}

const rawEmitter: PipeFactory = async (deliver) => {
  const bus = new EventEmitter();
  bus.on('m', (bytes: Uint8Array) => {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as Payload;
    deliver(v.seq, v.sentAt);
  });
  return {
    send: async (seq, sentAt) => {
      bus.emit('m', Buffer.from(JSON.stringify({ seq, sentAt })));
    },
    close: async () => {},
  };
};

/**
 * The raw client (baseline), or with `properties` the raw client also carrying what our wire contract
 * adds to every message (a message-id user property made by our id generator, the Content Type
 * property, a subscription identifier): a reference that shows how much of the gap is mqtt.js
 * encoding and parsing MQTT 5 properties rather than our code. It never enters the ratio.
 */
const rawMqtt =
  (properties: boolean): PipeFactory =>
  async (deliver) => {
    const id = randomUUID().slice(0, 8);
    const topic = `bench/raw/${id}`;
    const sub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
      protocolVersion: 5,
      clientId: `bench-${id}-s`,
      // Same as the backend's subscriber connection: without it Mosquitto drops overflow.
      properties: { receiveMaximum: 65_535 },
    });
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
      protocolVersion: 5,
      clientId: `bench-${id}-p`,
    });
    sub.on('message', (_t, payload) => {
      const v = JSON.parse(payload.toString('utf8')) as Payload;
      deliver(v.seq, v.sentAt);
    });
    await sub.subscribeAsync(
      topic,
      properties ? { qos: 1, properties: { subscriptionIdentifier: 1 } } : { qos: 1 },
    );
    return {
      send: properties
        ? async (seq, sentAt) => {
            await pub.publishAsync(topic, JSON.stringify({ seq, sentAt }), {
              qos: 1,
              properties: {
                userProperties: { 'message-id': newMessageId() },
                contentType: 'application/json',
              },
            });
          }
        : async (seq, sentAt) => {
            await pub.publishAsync(topic, JSON.stringify({ seq, sentAt }), { qos: 1 });
          },
      close: async () => {
        await Promise.all([pub.endAsync(), sub.endAsync()]);
      },
    };
  };

const ratios: number[] = [];
ratios.push(
  await compare(
    'memory: publish -> handler',
    { name: 'memory broker', factory: brokerPipe(async () => createMemoryBroker()) },
    { name: 'raw EventEmitter + JSON', factory: rawEmitter },
    // Runs of well under a second are mostly JIT warm-up and GC timing: 200k messages, best of 3.
    { messages: 200_000, warmup: 20_000, window: 100, rounds: 3 },
  ),
);

if (await canConnect(1883)) {
  ratios.push(
    await compare(
      'mqtt (QoS 1, Mosquitto 127.0.0.1:1883): publish -> handler',
      {
        name: 'mqtt broker',
        factory: brokerPipe(async () => {
          const b = createMqttBroker();
          await b.connect();
          return b;
        }),
      },
      { name: 'raw mqtt.js', factory: rawMqtt(false) },
      {
        // 10k messages best of 2 swung 0.5x-0.96x between back-to-back runs on a quiet machine.
        messages: 30_000,
        warmup: 3_000,
        window: 100,
        rounds: 3,
        references: [{ name: 'raw mqtt.js + our MQTT 5 properties', factory: rawMqtt(true) }],
      },
    ),
  );
} else {
  console.log('\nmqtt: skipped (Mosquitto not reachable on 127.0.0.1:1883)');
}
console.log(`\nratios: ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
