import type { IPublishPacket, MqttClient } from 'mqtt';

/**
 * mqtt-packet encodes a PUBLISH as a dozen small stream writes plus a Buffer per property id, with a
 * `debug` check per packet; the publishes we send always have the same few properties (user properties
 * and Content Type). This writes those packets, and plain MQTT 5 PUBACKs, as one buffer each, with
 * exactly mqtt-packet's bytes (`mqtt-packet-writer.test.ts` compares them with `generate()`), and hands
 * any other packet, or one of a shape it does not vouch for, to mqtt.js unchanged.
 */

/** PUBLISH property ids (MQTT 5, 2.2.2.2). */
const CONTENT_TYPE = 0x03;
const USER_PROPERTY = 0x26;
const MAX_STRING = 0xffff;

/** Bytes of a user property's name part (id, length, UTF-8), kept per name: header names are few. */
const nameParts = new Map<string, Buffer>();

function namePart(name: string): Buffer | undefined {
  let part = nameParts.get(name);
  if (part === undefined) {
    const len = Buffer.byteLength(name);
    if (len > MAX_STRING) return undefined;
    part = Buffer.allocUnsafe(3 + len);
    part[0] = USER_PROPERTY;
    part.writeUInt16BE(len, 1);
    part.write(name, 3);
    if (nameParts.size >= 256) nameParts.clear();
    nameParts.set(name, part);
  }
  return part;
}

function varIntSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

function writeVarInt(out: Buffer, at: number, n: number): number {
  let v = n;
  do {
    let byte = v % 0x80;
    v = Math.floor(v / 0x80);
    if (v > 0) byte |= 0x80;
    out[at++] = byte;
  } while (v > 0);
  return at;
}

/** A length-prefixed UTF-8 string; `len` is its byte length (short ASCII is copied by hand). */
function writeString(out: Buffer, at: number, s: string, len: number): number {
  out[at] = len >>> 8;
  out[at + 1] = len & 0xff;
  at += 2;
  if (len === s.length && len <= 32) {
    for (let i = 0; i < len; i++) out[at + i] = s.charCodeAt(i);
  } else out.write(s, at, len);
  return at + len;
}

// Scratch for one packet's user property values (encode is synchronous, so one set suffices).
const names: Buffer[] = [];
const values: string[] = [];
const valueLengths: number[] = [];

/**
 * The PUBLISH mqtt-packet would write for `packet` (MQTT 5), or undefined if its shape is not ours:
 * string topic, Buffer payload, properties limited to string user properties and a string Content
 * Type. Properties go in the order of their keys, user properties in their object's order, as
 * mqtt-packet writes them.
 */
export function encodePublish(packet: IPublishPacket): Buffer | undefined {
  const { topic, payload, qos, messageId } = packet;
  if (typeof topic !== 'string' || !Buffer.isBuffer(payload)) return undefined;
  if (qos !== 0 && qos !== 1 && qos !== 2) return undefined;
  if (qos > 0 && typeof messageId !== 'number') return undefined;
  const props = packet.properties;
  let user: Record<string, unknown> | undefined;
  let contentType: string | undefined;
  let userFirst = true;
  let propsLength = 0;
  let count = 0;
  if (props !== undefined && props !== null) {
    if (typeof props !== 'object') return undefined;
    for (const key in props) {
      const v = (props as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === 'userProperties' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
        user = v as Record<string, unknown>;
        userFirst = contentType === undefined;
      } else if (key === 'contentType' && typeof v === 'string') contentType = v;
      else return undefined;
    }
    if (user !== undefined) {
      for (const name in user) {
        const value = user[name];
        if (typeof value !== 'string') return undefined;
        const part = namePart(name);
        const len = Buffer.byteLength(value);
        if (part === undefined || len > MAX_STRING) return undefined;
        names[count] = part;
        values[count] = value;
        valueLengths[count] = len;
        count++;
        propsLength += part.length + 2 + len;
      }
      // mqtt-packet sends nothing at all for an empty user property object: leave that to it.
      if (count === 0) return undefined;
    }
  }
  let ctLength = 0;
  if (contentType !== undefined) {
    ctLength = Buffer.byteLength(contentType);
    if (ctLength > MAX_STRING) return undefined;
    propsLength += 3 + ctLength;
  }
  const topicLength = Buffer.byteLength(topic);
  if (topicLength > MAX_STRING) return undefined;
  const length = 2 + topicLength + (qos > 0 ? 2 : 0) + varIntSize(propsLength) + propsLength + payload.length;
  if (length > 0x0fffffff) return undefined;
  const out = Buffer.allocUnsafe(1 + varIntSize(length) + length);
  out[0] = 0x30 | (qos << 1) | (packet.dup ? 0x08 : 0) | (packet.retain ? 0x01 : 0);
  let at = writeVarInt(out, 1, length);
  at = writeString(out, at, topic, topicLength);
  if (qos > 0) {
    out[at++] = (messageId as number) >>> 8;
    out[at++] = (messageId as number) & 0xff;
  }
  at = writeVarInt(out, at, propsLength);
  if (contentType !== undefined && !userFirst) at = writeContentType(out, at, contentType, ctLength);
  for (let i = 0; i < count; i++) {
    const part = names[i]!;
    out.set(part, at);
    at = writeString(out, at + part.length, values[i]!, valueLengths[i]!);
  }
  if (contentType !== undefined && userFirst) at = writeContentType(out, at, contentType, ctLength);
  out.set(payload, at);
  return out;
}

function writeContentType(out: Buffer, at: number, s: string, len: number): number {
  out[at] = CONTENT_TYPE;
  return writeString(out, at + 1, s, len);
}

interface AckPacket {
  readonly cmd: string;
  readonly messageId?: number;
  readonly reasonCode?: number;
  readonly properties?: unknown;
}

/** A successful MQTT 5 PUBACK without properties: 4 bytes (reason code 0 and no properties are omitted). */
export function encodePuback(packet: AckPacket): Buffer | undefined {
  const id = packet.messageId;
  if (typeof id !== 'number' || id < 0 || id > 0xffff || !Number.isInteger(id)) return undefined;
  if (packet.reasonCode !== 0 || packet.properties !== undefined) return undefined;
  const out = Buffer.allocUnsafe(4);
  out[0] = 0x40;
  out[1] = 2;
  out[2] = id >>> 8;
  out[3] = id & 0xff;
  return out;
}

type WritePacket = (packet: { cmd: string }, cb?: (error?: Error) => void) => void;

interface WriterShape {
  _writePacket?: WritePacket;
  noop?: unknown;
  stream?: { write(chunk: Buffer): boolean; once(event: 'drain', cb: () => void): unknown };
  options: { protocolVersion?: number };
  emit(event: string, packet: unknown): boolean;
}

/**
 * Routes the client's PUBLISH and PUBACK packets through the encoders above; mqtt.js keeps its packet
 * write in a private method (`_writePacket(packet, cb)`: emit `packetsend`, write, then the callback
 * at once or on 'drain'), which this replaces with the same steps. False (nothing changed) if the
 * client does not have that shape or is not MQTT 5; every other packet still goes through mqtt.js.
 */
export function writePacketsDirectly(client: MqttClient): boolean {
  const c = client as unknown as WriterShape;
  const original = c._writePacket;
  if (typeof original !== 'function' || original.length !== 2 || c.options.protocolVersion !== 5)
    return false;
  c._writePacket = function directWritePacket(this: WriterShape, packet, cb) {
    const stream = this.stream;
    const bytes =
      stream === undefined
        ? undefined
        : packet.cmd === 'publish'
          ? encodePublish(packet as IPublishPacket)
          : packet.cmd === 'puback'
            ? encodePuback(packet as AckPacket)
            : undefined;
    if (bytes === undefined || stream === undefined) {
      original.call(this, packet, cb);
      return;
    }
    this.emit('packetsend', packet);
    const result = stream.write(bytes);
    if (!result && cb && cb !== this.noop) stream.once('drain', cb);
    else if (cb) cb();
  };
  return true;
}

type PublishCallback = (error?: Error | null) => void;

interface PublishShape {
  disconnecting: boolean;
  _storeProcessing: boolean;
  _storeProcessingQueue: unknown[];
  outgoing: Record<number, unknown>;
  options: { protocolVersion?: number };
  _nextId(): number | null;
  _sendPacket(packet: object, cb?: unknown, cbStorePut?: unknown): void;
}

/** A QoS 1/2 publish as mqtt.js would make it; see `publisherFor`. */
export type DirectPublish = (
  topic: string,
  payload: Buffer,
  qos: 1 | 2,
  properties: NonNullable<IPublishPacket['properties']>,
  callback: PublishCallback,
) => void;

/**
 * `client.publish(topic, payload, opts, cb)` starts with `opts = { ...defaults, ...opts }`, which V8
 * runs on a slow path whenever opts carries a key the defaults lack (`properties`): about 2 µs per
 * call here, most of mqtt.js's own publish cost. For the common case (QoS 1/2, not disconnecting,
 * nothing queued before it, a message id free) this does what that publish then does, with the same
 * packet, the same `outgoing` entry and the same `_sendPacket` call; otherwise (or for a client not of
 * that shape: undefined is returned, and the caller uses `client.publish`) mqtt.js's publish runs.
 */
export function publisherFor(client: MqttClient): DirectPublish | undefined {
  const c = client as unknown as Partial<PublishShape>;
  if (
    typeof c._nextId !== 'function' ||
    typeof c._sendPacket !== 'function' ||
    typeof c.outgoing !== 'object' ||
    c.outgoing === null ||
    !Array.isArray(c._storeProcessingQueue) ||
    typeof c._storeProcessing !== 'boolean' ||
    typeof c.disconnecting !== 'boolean'
  )
    return undefined;
  const s = c as PublishShape;
  return (topic, payload, qos, properties, callback) => {
    if (s.disconnecting || s._storeProcessing || s._storeProcessingQueue.length > 0) {
      client.publish(topic, payload, { qos, properties }, callback);
      return;
    }
    const messageId = s._nextId();
    if (messageId === null) {
      client.publish(topic, payload, { qos, properties }, callback);
      return;
    }
    const packet: Record<string, unknown> = {
      cmd: 'publish',
      topic,
      payload,
      qos,
      retain: false,
      messageId,
      dup: false,
    };
    if (s.options.protocolVersion === 5) packet.properties = properties;
    s.outgoing[messageId] = { volatile: false, cmd: 'publish', cb: callback };
    s._sendPacket(packet, undefined, undefined);
  };
}
