import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import {
  parsePublishesDirectly,
  parsePublishInto,
  readPublishesDirectly,
} from '../../../src/transport/backends/mqtt/packet-reader.ts';

// mqtt-packet as mqtt.js loads it: the reference parser and encoder.
interface TestParser {
  on(event: 'packet', f: (p: object) => void): void;
  on(event: 'error', f: (e: Error) => void): void;
  parse(b: Buffer): number;
  _parsePublish(): unknown;
}
const mqttPacket = createRequire(createRequire(import.meta.url).resolve('mqtt'))('mqtt-packet') as {
  generate(packet: object, opts: { protocolVersion: number }): Buffer;
  parser(opts: { protocolVersion: number }): TestParser;
};

/** Feeds `chunks` to a parser, direct or not; the packets and errors it gave. */
function parseWith(direct: boolean, chunks: Buffer[]): { packets: object[]; errors: string[] } {
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  if (direct) expect(parsePublishesDirectly(parser)).toBe(true);
  const packets: object[] = [];
  const errors: string[] = [];
  parser.on('packet', (p) => packets.push({ ...p }));
  parser.on('error', (e) => errors.push(e.message));
  for (const c of chunks) parser.parse(c);
  return { packets, errors };
}

const publish = (over: object) =>
  mqttPacket.generate(
    {
      cmd: 'publish',
      topic: 'vehicle/positions/bus',
      payload: Buffer.from('{"seq":1}'),
      qos: 1,
      messageId: 77,
      ...over,
    },
    { protocolVersion: 5 },
  );

describe('mqtt packet reader', () => {
  it('mqtt: incoming PUBLISHes parse into the packets mqtt-packet builds, whole or in pieces', () => {
    const wire = Buffer.concat([
      publish({
        properties: {
          userProperties: { 'message-id': 'AbC-1', 'x-key': 'bus-7' },
          contentType: 'application/json',
          subscriptionIdentifier: 3,
        },
      }),
      // Repeated user properties and identifiers, non-ASCII, the other common properties.
      publish({
        topic: 'ä/ö',
        properties: {
          userProperties: { h: ['1', '2', '3'], '': '', e: ['', 'x'] },
          subscriptionIdentifier: [1, 200_000],
          payloadFormatIndicator: true,
          messageExpiryInterval: 4_000_000_000,
          responseTopic: 'reply/to',
          correlationData: Buffer.from([1, 2, 3]),
          topicAlias: 9,
        },
      }),
      publish({ qos: 0, messageId: undefined, properties: {} }),
      publish({ qos: 2, dup: true, retain: true, payload: Buffer.alloc(0) }),
      publish({ payload: Buffer.alloc(70_000, 5), properties: { contentType: 'x'.repeat(300) } }),
      // Not handled here (server keep alive is no PUBLISH property): mqtt-packet's own parse.
      mqttPacket.generate({ cmd: 'puback', messageId: 5, reasonCode: 0 }, { protocolVersion: 5 }),
      publish({ properties: { subscriptionIdentifier: 5 }, payload: Buffer.from('last') }),
    ]);
    const whole = parseWith(false, [wire]);
    expect(whole.packets).toHaveLength(7);
    expect(whole.errors).toEqual([]);
    expect(parseWith(true, [wire])).toEqual(whole);
    // Split at every 97 bytes and byte by byte over the first packets: same result.
    const pieces = (size: number) =>
      Array.from({ length: Math.ceil(wire.length / size) }, (_, i) =>
        wire.subarray(i * size, (i + 1) * size),
      );
    expect(parseWith(true, pieces(97))).toEqual(whole);
    const small = wire.subarray(0, 400);
    expect(
      parseWith(
        true,
        [...small].map((b) => Buffer.from([b])),
      ),
    ).toEqual(parseWith(false, [small]));
  });

  it('mqtt: our PUBLISHes are parsed here, not handed back to mqtt-packet', () => {
    const p = publish({
      properties: {
        userProperties: { 'message-id': 'i' },
        contentType: 'application/json',
        subscriptionIdentifier: 2,
      },
    });
    const body = p.subarray(2); // one-byte remaining length
    const parser = {
      packet: { length: body.length, qos: 1, topic: null, payload: null } as Record<string, unknown>,
      _pos: 0,
      _list: { length: body.length, slice: (a: number, b: number) => body.subarray(a, b) },
      settings: { protocolVersion: 5 },
      _parsePublish: () => {
        throw new Error('not here');
      },
    };
    expect(parsePublishInto(parser as never)).toBe(true);
    expect(parser.packet.topic).toBe('vehicle/positions/bus');
    expect(parser.packet.messageId).toBe(77);
    expect(parser.packet.properties).toEqual({
      userProperties: Object.assign(Object.create(null), { 'message-id': 'i' }),
      contentType: 'application/json',
      subscriptionIdentifier: 2,
    });
    expect((parser.packet.payload as Buffer).toString()).toBe('{"seq":1}');
  });

  it('mqtt: a malformed PUBLISH gets mqtt-packet’s own error', () => {
    const good = publish({ properties: { contentType: 'a' } });
    // Property id 0x7f is unknown; a property length running past the packet.
    const unknown = Buffer.from(good);
    unknown[2 + 2 + 21 + 2 + 1] = 0x7f;
    const overrun = Buffer.from(good);
    overrun[2 + 2 + 21 + 2] = 0x30;
    for (const bad of [unknown, overrun]) {
      const plain = parseWith(false, [bad]);
      expect(plain.errors.length + plain.packets.length).toBeGreaterThan(0);
      expect(parseWith(true, [bad])).toEqual(plain);
    }
  });

  it('mqtt: mqtt.js still makes its parser through mqttPacket.parser() in connect()', () => {
    // Fails if mqtt.js or mqtt-packet changes shape: the backend would then parse as before.
    const client = mqtt.connect('mqtt://127.0.0.1:1', {
      protocolVersion: 5,
      manualConnect: true,
      reconnectPeriod: 0,
    });
    const seen: unknown[] = [];
    const mod = mqttPacket as unknown as { parser: (o: unknown) => unknown };
    const make = mod.parser;
    expect(readPublishesDirectly(client)).toBe(true);
    client.on('error', () => {});
    // Watch what connect() gets from mqtt-packet (inside our wrapper), then restore.
    const watch = function (this: unknown, o: unknown) {
      const p = make.call(this, o);
      seen.push(p);
      return p;
    };
    mod.parser = watch;
    client.connect();
    expect(mod.parser).toBe(watch);
    mod.parser = make;
    expect(seen).toHaveLength(1);
    expect((seen[0] as { _parsePublish: { name: string } })._parsePublish.name).toBe('directParsePublish');
    client.end(true);
  });
});
