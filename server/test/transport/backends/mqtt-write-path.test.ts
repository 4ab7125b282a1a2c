import { afterEach, describe, expect, it } from 'vitest';
import { createMqttBroker } from '../../../src/transport/backends/mqtt/index.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { PublishError } from '../../../src/transport/errors.ts';
import { service } from '../../support/service.ts';
import { Collector, randomTopic, waitFor } from '../conformance/support.ts';

const mosquitto = await service('mosquitto', 1883);

type Native = { publisher: { stream: { cork?: unknown; destroy(): void } } | undefined; subscriber: unknown };

/** coalesceWrites leaves no cork() on a stream (mqtt-packet then skips its cork/uncork per packet). */
const coalesced = (client: unknown) =>
  (client as { stream: { cork?: unknown } } | undefined)?.stream.cork === undefined;

const brokers: Broker[] = [];
afterEach(async () => {
  await Promise.allSettled(brokers.splice(0).map((b) => b.close({ deadlineMs: 2_000 })));
});

async function open(): Promise<Broker> {
  const b = createMqttBroker({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 } });
  brokers.push(b);
  await b.connect();
  return b;
}

describe.skipIf(!mosquitto.up)('mqtt write path', () => {
  it('mqtt: both connections write coalesced, and so does the stream of every reconnect', async () => {
    const b = await open();
    const native = (b as unknown as { native(): Native }).native();
    expect(coalesced(native.publisher)).toBe(true);
    expect(coalesced(native.subscriber)).toBe(true);
    // PUBLISH/PUBACK written as one buffer each, incoming PUBLISHes parsed directly (packet-*.ts).
    for (const c of [native.publisher, native.subscriber] as unknown as Record<string, { name: string }>[]) {
      expect(c._writePacket!.name).toBe('directWritePacket');
      expect(c.connect!.name).toBe('directConnect');
    }
    const topic = randomTopic('wp');
    const got = new Collector<{ n: number }>();
    await b.subscribe(topic, got.handler);
    const first = native.publisher!.stream;
    first.destroy();
    await waitFor(() => b.status.type === 'reconnecting', 'reconnecting');
    await waitFor(() => b.status.type === 'connected', 'connected again');
    const again = (b as unknown as { native(): Native }).native().publisher!;
    expect(again.stream).not.toBe(first);
    expect(coalesced(again)).toBe(true);
    // A burst in one turn, coalesced into few socket writes, all arrive in order.
    await Promise.all(Array.from({ length: 500 }, (_, n) => b.publish(topic, { n })));
    await waitFor(() => got.count === 500, '500 messages');
    expect(got.messages.map((m) => m.value.n)).toEqual([...Array(500).keys()]);
  });

  it('mqtt: a publish still pending (written in the same turn) fails when its connection drops', async () => {
    const b = await open();
    const topic = randomTopic('wp');
    const sent = Array.from({ length: 20 }, (_, n) => b.publish(topic, { n }));
    (b as unknown as { native(): Native }).native().publisher!.stream.destroy();
    const results = await Promise.allSettled(sent);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PublishError);
    await waitFor(() => b.status.type === 'connected', 'connected again');
    await expect(b.publish(topic, { n: 99 })).resolves.toBeUndefined();
  });
});
