import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createMqttBroker } from '../../../src/transport/backends/mqtt/index.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { InvalidOptionError } from '../../../src/transport/errors.ts';
import { HEADER } from '../../../src/transport/message.ts';
import { service } from '../../support/service.ts';
import { Collector, waitFor } from '../conformance/support.ts';

const mosquitto = await service('mosquitto', 1883);
const open: Broker[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
});

describe('mqtt backend options', () => {
  it('mqtt: a server that is not there fails connect() with TRANSPORT_CONNECT_FAILED', async () => {
    const broker = createMqttBroker({ url: 'mqtt://127.0.0.1:1', connectTimeoutMs: 2_000 });
    await expect(broker.connect()).rejects.toMatchObject({ code: 'TRANSPORT_CONNECT_FAILED' });
  });

  it('mqtt: invalid options are reported together', () => {
    expect(() => createMqttBroker({ qos: 3 as 1, maxBuffered: 0 })).toThrow(InvalidOptionError);
    expect(() => createMqttBroker({ qos: 3 as 1, maxBuffered: 0 })).toThrow(/qos.*maxBuffered/);
  });

  it.skipIf(!mosquitto.up)(
    `mqtt: portable topics refuse MQTT syntax; native mode passes it through${mosquitto.reason}`,
    async () => {
      const portable = createMqttBroker();
      open.push(portable);
      await portable.connect();
      await expect(portable.publish('a/b', 1)).rejects.toMatchObject({ code: 'TRANSPORT_PUBLISH_FAILED' });
      await expect(portable.subscribe('a/#', () => {})).rejects.toBeInstanceOf(InvalidOptionError);

      const native = createMqttBroker({ topics: 'native' });
      open.push(native);
      await native.connect();
      const base = `/rtm/native/${randomUUID().slice(0, 8)}`;
      const got = new Collector<number>();
      await native.subscribe(`${base}/+/vp/#`, got.handler);
      await native.publish(`${base}/bus/vp/0022/01216`, 1);
      await native.publish(`${base}/tram/other/x`, 2);
      await native.publish(`${base}/tram/vp/0040/00123`, 3);
      await got.until(2);
      expect(got.values()).toEqual([1, 3]);
      expect(got.messages[0]!.topic).toBe(`${base}/bus/vp/0022/01216`);
    },
  );

  it.skipIf(!mosquitto.up)(
    `mqtt: status goes idle -> connecting -> connected -> closed${mosquitto.reason}`,
    async () => {
      const broker = createMqttBroker();
      const seen: string[] = [broker.status.type];
      broker.onStatus((s) => seen.push(s.type));
      await broker.connect();
      await broker.close();
      expect(seen).toEqual(['idle', 'connecting', 'connected', 'closed']);
    },
  );

  it.skipIf(!mosquitto.up)(
    `mqtt: the wire contract as a plain MQTT 5 client sees it (user properties, content type, key)${mosquitto.reason}`,
    async () => {
      const broker = createMqttBroker();
      open.push(broker);
      await broker.connect();
      const id = randomUUID().slice(0, 8);
      const raw = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
        protocolVersion: 5,
        clientId: `raw-${id}`,
      });
      try {
        const got: mqtt.IPublishPacket[] = [];
        raw.on('message', (_t, _p, packet) => got.push(packet));
        await raw.subscribeAsync(`rtm/wire/${id}`, { qos: 1 });
        await broker.publish(`rtm.wire.${id}`, { n: 1 }, { key: 'veh-1', headers: { 'X-Trace': 'ä' } });
        await broker.publish(`rtm.wire.${id}`, { n: 2 });
        await waitFor(() => got.length === 2, 'two messages on the raw client');
        const [keyed, plain] = got;
        expect(JSON.parse(keyed!.payload.toString())).toEqual({ n: 1 });
        expect(keyed!.properties?.contentType).toBe('application/json');
        const props = keyed!.properties?.userProperties ?? {};
        expect(props[HEADER.key]).toBe('veh-1');
        expect(props['x-trace']).toBe('ä');
        expect(props[HEADER.messageId]).toMatch(/^[A-Za-z0-9_-]{16}-\d+$/);
        expect(props[HEADER.contentType]).toBeUndefined(); // carried as the Content Type property
        const plainProps = plain!.properties?.userProperties ?? {};
        expect(plainProps[HEADER.key]).toBeUndefined();
        expect(plainProps[HEADER.messageId]).not.toBe(props[HEADER.messageId]);
        expect(plain!.properties?.contentType).toBe('application/json');
      } finally {
        await raw.endAsync();
      }
    },
  );

  it.skipIf(!mosquitto.up)(
    `mqtt: a foreign producer's user properties and key arrive as headers and key${mosquitto.reason}`,
    async () => {
      const broker = createMqttBroker();
      open.push(broker);
      await broker.connect();
      const id = randomUUID().slice(0, 8);
      const got = new Collector<unknown>();
      await broker.subscribe(`rtm.foreign.${id}`, got.handler);
      const raw = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
        protocolVersion: 5,
        clientId: `raw-${id}`,
      });
      try {
        await raw.publishAsync(`rtm/foreign/${id}`, Buffer.from('{"a":1}'), {
          qos: 1,
          properties: { contentType: 'application/json', userProperties: { [HEADER.key]: 'k9', Trace: 't' } },
        });
        await got.until(1);
        const m = got.messages[0]!;
        expect(m.value).toEqual({ a: 1 });
        expect(m.key).toBe('k9');
        expect(m.headers.trace).toBe('t');
        expect(m.headers[HEADER.key]).toBeUndefined();
        expect(m.headers[HEADER.contentType]).toBe('application/json');
        expect(m.id.length).toBeGreaterThan(0); // generated: the foreign producer sent none
      } finally {
        await raw.endAsync();
      }
    },
  );
});
