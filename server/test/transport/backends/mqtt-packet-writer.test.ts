import { createRequire } from 'node:module';
import mqtt, { type IPublishPacket } from 'mqtt';
import { describe, expect, it } from 'vitest';
import {
  encodePuback,
  encodePublish,
  publisherFor,
  writePacketsDirectly,
} from '../../../src/transport/backends/mqtt/packet-writer.ts';

// mqtt-packet as mqtt.js loads it: the reference encoder.
const mqttPacket = createRequire(createRequire(import.meta.url).resolve('mqtt'))('mqtt-packet') as {
  generate(packet: object, opts: { protocolVersion: number }): Buffer;
};
const reference = (packet: object) => mqttPacket.generate(packet, { protocolVersion: 5 });

const publish = (over: Partial<IPublishPacket>): IPublishPacket => ({
  cmd: 'publish',
  topic: 'vehicle/positions/bus',
  payload: Buffer.from('{"seq":1,"sentAt":12.5}'),
  qos: 1,
  retain: false,
  dup: false,
  messageId: 513,
  ...over,
});

describe('mqtt packet writer', () => {
  it('mqtt: our PUBLISHes are byte for byte what mqtt-packet writes', () => {
    const cases: IPublishPacket[] = [
      publish({
        properties: {
          userProperties: { 'message-id': 'AbCdEfGhIjKlMnOp-42' },
          contentType: 'application/json',
        },
      }),
      publish({
        properties: {
          userProperties: { 'message-id': 'x-1', traceparent: '00-abc-def-01', 'x-key': 'bus-7' },
          contentType: 'application/msgpack',
        },
      }),
      // Content Type first, non-ASCII and long strings, no user properties, other flags and sizes.
      publish({ properties: { contentType: 'text/plain; charset=ü', userProperties: { k: 'v' } } }),
      publish({ properties: { contentType: undefined, userProperties: { ключ: 'значение'.repeat(20) } } }),
      publish({ properties: { contentType: 'application/json' }, qos: 0, messageId: 0 }),
      publish({ qos: 2, dup: true, retain: true, messageId: 65_535, topic: 'ä/'.repeat(100) }),
      publish({ properties: {}, payload: Buffer.alloc(0) }),
      publish({ payload: Buffer.alloc(20_000, 7), properties: { userProperties: { a: 'b'.repeat(300) } } }),
      publish({ payload: Buffer.alloc(3_000_000, 1) }),
    ];
    for (const p of cases) {
      const ours = encodePublish(p);
      expect(ours, JSON.stringify(p.properties)).toBeDefined();
      expect(ours!.equals(reference(p))).toBe(true);
    }
  });

  it('mqtt: PUBLISHes of any other shape are left to mqtt-packet', () => {
    const others: IPublishPacket[] = [
      publish({ properties: { topicAlias: 3 } }),
      publish({ properties: { userProperties: { a: ['1', '2'] } } }),
      publish({ properties: { userProperties: {} } }),
      publish({ payload: 'text' }),
      publish({ messageId: undefined }),
      publish({ properties: { contentType: 'a'.repeat(70_000) } }),
    ];
    for (const p of others) expect(encodePublish(p), JSON.stringify(p.properties)).toBeUndefined();
  });

  it('mqtt: a successful PUBACK is what mqtt-packet writes; any other is left to it', () => {
    for (const id of [1, 300, 65_535]) {
      const p = { cmd: 'puback' as const, messageId: id, reasonCode: 0 };
      expect(encodePuback(p)!.equals(reference(p))).toBe(true);
    }
    expect(encodePuback({ cmd: 'puback', messageId: 1, reasonCode: 16 })).toBeUndefined();
    expect(encodePuback({ cmd: 'puback', messageId: 1 })).toBeUndefined();
    expect(encodePuback({ cmd: 'puback', messageId: 1, reasonCode: 0, properties: {} })).toBeUndefined();
  });

  it('mqtt: mqtt.js still has the private _writePacket(packet, cb) it replaces, and the stream writes', () => {
    // Fails if mqtt.js changes shape: the backend would then silently fall back to mqtt-packet.
    const client = mqtt.connect('mqtt://127.0.0.1:1', { protocolVersion: 5, manualConnect: true });
    const writes: Buffer[] = [];
    const events: string[] = [];
    (client as unknown as { stream: object }).stream = {
      write: (b: Buffer) => {
        writes.push(b);
        return true;
      },
      once: () => {},
    };
    client.on('packetsend', (p) => events.push(p.cmd));
    expect(writePacketsDirectly(client)).toBe(true);
    const p = publish({
      properties: { userProperties: { 'message-id': 'i-1' }, contentType: 'application/json' },
    });
    let called = 0;
    (client as unknown as { _writePacket(p: object, cb: () => void): void })._writePacket(p, () => called++);
    expect(called).toBe(1);
    expect(events).toEqual(['publish']);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.equals(reference(p))).toBe(true);
    const v4 = mqtt.connect('mqtt://127.0.0.1:1', { protocolVersion: 4, manualConnect: true });
    expect(writePacketsDirectly(v4)).toBe(false);
    // Neither ever connected (manualConnect): nothing to end.
  });

  it('mqtt: the direct publish hands _sendPacket what mqtt.js publish() does, and defers to it otherwise', () => {
    type Spied = { _sendPacket: (...a: unknown[]) => void; outgoing: Record<number, unknown> };
    const make = () => {
      const client = mqtt.connect('mqtt://127.0.0.1:1', { protocolVersion: 5, manualConnect: true });
      const sent: unknown[][] = [];
      (client as unknown as Spied)._sendPacket = (...a: unknown[]) => void sent.push(a);
      return { client, sent, outgoing: () => (client as unknown as Spied).outgoing };
    };
    const properties = { userProperties: { 'message-id': 'i-1' }, contentType: 'application/json' };
    const payload = Buffer.from('{}');
    const cb = () => {};
    const viaMqtt = make();
    viaMqtt.client.publish('a/b', payload, { qos: 1, properties }, cb);
    const direct = make();
    const publish = publisherFor(direct.client);
    expect(publish).toBeDefined();
    publish!('a/b', payload, 1, properties, cb);
    expect(direct.sent).toHaveLength(1);
    // Message ids start at random: the same packets, each under its own id.
    const ids = [direct, viaMqtt].map((c) => (c.sent[0]![0] as { messageId: number }).messageId);
    expect(direct.sent).toEqual([
      [{ ...(viaMqtt.sent[0]![0] as object), messageId: ids[0] }, undefined, undefined],
    ]);
    expect(viaMqtt.sent[0]!.slice(1)).toEqual([undefined, undefined]);
    expect(Object.keys(direct.sent[0]![0] as object)).toEqual(Object.keys(viaMqtt.sent[0]![0] as object));
    expect(direct.outgoing()[ids[0]!]).toEqual(viaMqtt.outgoing()[ids[1]!]);
    expect(Object.keys(direct.outgoing())).toEqual([String(ids[0])]);
    // Something queued before it: mqtt.js' publish() queues this one too, in order.
    (direct.client as unknown as { _storeProcessingQueue: unknown[] })._storeProcessingQueue.push({});
    publish!('a/b', payload, 1, properties, cb);
    expect(direct.sent).toHaveLength(1);
    expect(
      (direct.client as unknown as { _storeProcessingQueue: unknown[] })._storeProcessingQueue,
    ).toHaveLength(2);
    // Disconnecting: mqtt.js' publish() reports it to the callback.
    const ending = make();
    (ending.client as unknown as { disconnecting: boolean }).disconnecting = true;
    const errors: unknown[] = [];
    publisherFor(ending.client)!('a/b', payload, 1, properties, (e) => void errors.push(e));
    expect(errors).toHaveLength(1);
    expect(ending.sent).toHaveLength(0);
    // A client without the private fields it relies on gets none (the broker then uses publish()).
    expect(publisherFor({} as never)).toBeUndefined();
  });
});
