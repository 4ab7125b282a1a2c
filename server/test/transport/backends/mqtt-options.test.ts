import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMqttBroker } from '../../../src/transport/backends/mqtt/index.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { InvalidOptionError } from '../../../src/transport/errors.ts';
import { service } from '../../support/service.ts';
import { Collector } from '../conformance/support.ts';

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
});
