import { createRequire } from 'node:module';
import type { MqttClient } from 'mqtt';

/**
 * mqtt-packet parses an incoming PUBLISH field by field through its buffer list (an offset search and a
 * `debug` check per read, an object per user property). This parses the PUBLISHes we receive from
 * one contiguous view of the packet instead, into exactly the packet mqtt-packet would build
 * (`mqtt-packet-reader.test.ts` compares them), for the properties a PUBLISH commonly carries; anything
 * else (another property, a malformed packet) goes to mqtt-packet's own parse, errors included.
 */

type Properties = Record<string, unknown>;

interface PublishPacketShape {
  length: number;
  qos: number;
  topic: string | null;
  messageId?: number;
  properties?: Properties;
  payload: Buffer | null;
}

interface ParserShape {
  packet: PublishPacketShape;
  _pos: number;
  _list: { readonly length: number; slice(start: number, end: number): Buffer };
  settings: { protocolVersion?: number };
  _parsePublish(): unknown;
}

interface PacketModule {
  parser: (options: unknown) => unknown;
}

function loadPacketModule(): PacketModule | undefined {
  try {
    // mqtt-packet as mqtt.js itself loads it (not our dependency: the one mqtt.js resolves).
    const fromHere = createRequire(import.meta.url);
    const mod = createRequire(fromHere.resolve('mqtt'))('mqtt-packet') as Partial<PacketModule>;
    return typeof mod.parser === 'function' ? (mod as PacketModule) : undefined;
  } catch {
    return undefined;
  }
}

const packetModule = loadPacketModule();

/** Adds a property the way mqtt-packet does: a repeated one becomes an array. */
function addProperty(result: Properties, name: string, value: unknown): void {
  const cur = result[name];
  if (cur === undefined) result[name] = value;
  else if (Array.isArray(cur)) cur.push(value);
  else result[name] = [cur, value];
}

/** Reads a variable byte integer at `at`; [value, next] or undefined (truncated or over 4 bytes). */
function readVarInt(b: Buffer, at: number, end: number): [number, number] | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4 && at < end; i++) {
    const byte = b[at++]!;
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return [value, at];
    mul *= 0x80;
  }
  return undefined;
}

/**
 * The PUBLISH at the head of the parser's list (its fixed header already consumed), parsed into
 * `parser.packet`; false (nothing changed) if it is not of a shape handled here.
 */
export function parsePublishInto(parser: ParserShape): boolean {
  const packet = parser.packet;
  const len = packet.length;
  if (len < 2 || parser._list.length < len) return false;
  const b = parser._list.slice(0, len);
  const topicEnd = 2 + ((b[0]! << 8) | b[1]!);
  if (topicEnd > len) return false;
  let at = topicEnd;
  let messageId: number | undefined;
  if (packet.qos > 0) {
    if (at + 2 > len) return false;
    messageId = (b[at]! << 8) | b[at + 1]!;
    at += 2;
  }
  const pl = readVarInt(b, at, len);
  if (pl === undefined) return false;
  at = pl[1];
  const end = at + pl[0];
  if (end > len) return false;
  const props: Properties = {};
  let any = false;
  while (at < end) {
    const id = b[at++]!;
    if (id === 0x26 || id === 0x03 || id === 0x08 || id === 0x09) {
      // user property (name + value), content type, response topic (strings), correlation data
      if (at + 2 > end) return false;
      const n = (b[at]! << 8) | b[at + 1]!;
      const s = at + 2;
      at = s + n;
      if (at > end) return false;
      if (id === 0x26) {
        if (at + 2 > end) return false;
        const vn = (b[at]! << 8) | b[at + 1]!;
        const vs = at + 2;
        at = vs + vn;
        if (at > end) return false;
        let user = props.userProperties as Record<string, unknown> | undefined;
        if (user === undefined) {
          user = Object.create(null) as Record<string, unknown>;
          props.userProperties = user;
        }
        const name = b.toString('utf8', s, s + n);
        const value = b.toString('utf8', vs, vs + vn);
        // mqtt-packet tests the present value for truthiness: an empty string is replaced, not listed.
        const cur = user[name];
        if (!cur) user[name] = value;
        else if (Array.isArray(cur)) cur.push(value);
        else user[name] = [cur, value];
      } else if (id === 0x09) addProperty(props, 'correlationData', b.subarray(s, at));
      else addProperty(props, id === 0x03 ? 'contentType' : 'responseTopic', b.toString('utf8', s, at));
    } else if (id === 0x0b) {
      const v = readVarInt(b, at, end);
      if (v === undefined) return false;
      at = v[1];
      addProperty(props, 'subscriptionIdentifier', v[0]);
    } else if (id === 0x01) {
      if (at + 1 > end) return false;
      addProperty(props, 'payloadFormatIndicator', b[at++] !== 0);
    } else if (id === 0x02) {
      if (at + 4 > end) return false;
      addProperty(props, 'messageExpiryInterval', b.readUInt32BE(at));
      at += 4;
    } else if (id === 0x23) {
      if (at + 2 > end) return false;
      addProperty(props, 'topicAlias', (b[at]! << 8) | b[at + 1]!);
      at += 2;
    } else return false;
    any = true;
  }
  if (at !== end) return false;
  packet.topic = b.toString('utf8', 2, topicEnd);
  if (messageId !== undefined) packet.messageId = messageId;
  if (any) packet.properties = props;
  packet.payload = b.subarray(end, len);
  parser._pos = end;
  return true;
}

function isParser(p: unknown): p is ParserShape {
  const q = p as Partial<ParserShape> | null;
  return (
    typeof q === 'object' &&
    q !== null &&
    typeof q._parsePublish === 'function' &&
    typeof q._list?.slice === 'function' &&
    typeof q.settings === 'object'
  );
}

/** Gives one mqtt-packet parser the direct PUBLISH parse (MQTT 5 only); false if it is not of that shape. */
export function parsePublishesDirectly(parser: unknown): boolean {
  if (!isParser(parser) || parser.settings.protocolVersion !== 5) return false;
  const original = parser._parsePublish;
  parser._parsePublish = function directParsePublish(this: ParserShape) {
    if (!parsePublishInto(this)) return original.call(this);
    return undefined;
  };
  return true;
}

/**
 * mqtt.js makes a new mqtt-packet parser in every `connect()` (the first and each reconnect) as
 * `mqttPacket.parser(options)`, a local we cannot reach; so while this client's connect() runs (it is
 * synchronous) that export is wrapped to hand the new parser to `parsePublishesDirectly`, and put back
 * at once: other clients in the process are untouched. False if mqtt-packet or the client is not of
 * that shape (the client then parses as before).
 */
export function readPublishesDirectly(client: MqttClient): boolean {
  const mod = packetModule;
  const c = client as unknown as { connect?: (...args: unknown[]) => unknown };
  const connect = c.connect;
  if (mod === undefined || typeof connect !== 'function') return false;
  c.connect = function directConnect(this: MqttClient, ...args: unknown[]) {
    const make = mod.parser;
    mod.parser = function directParser(this: unknown, options: unknown) {
      const parser = make.call(this, options);
      parsePublishesDirectly(parser);
      return parser;
    };
    try {
      return connect.apply(this, args);
    } finally {
      mod.parser = make;
    }
  };
  return true;
}
