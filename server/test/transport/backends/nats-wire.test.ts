/**
 * The NATS backend's own wire code against the machine's nats-server: the header block we read from
 * nats.js' private message fields (a nats.js release that renames them must fail here, not silently
 * fall back to the slower MsgHdrs path), and PubAcks (JetStream publish without nats.js' requests).
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  type Msg,
  MsgHdrsImpl,
  type NatsConnection,
  headers as natsHeaders,
} from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreWriter } from '../../../src/transport/backends/nats/core-writer.ts';
import { isTransient, NoStreamError } from '../../../src/transport/backends/nats/errors.ts';
import { createNatsBroker } from '../../../src/transport/backends/nats/index.ts';
import { streamNameFor } from '../../../src/transport/backends/nats/names.ts';
import {
  fromNatsHeaders,
  parseHeaderText,
  publishHeaderBlock,
  publishHeaderText,
  rawHeaderText,
  readNatsHeaders,
} from '../../../src/transport/backends/nats/nats-headers.ts';
import { PubAcks } from '../../../src/transport/backends/nats/pub-acks.ts';
import { msgpackCodec, rawCodec } from '../../../src/transport/codecs/index.ts';
import { service } from '../../support/service.ts';
import { deleteStreams, NATS_URL, testStreamPrefix } from './nats-support.ts';

const nats = await service('nats', 4222);

/** The next message on `subject` (core subscription), after `send` ran. */
async function receive(nc: NatsConnection, subject: string, send: () => void): Promise<Msg> {
  const sub = nc.subscribe(subject, { max: 1 });
  await nc.flush();
  send();
  for await (const m of sub) return m;
  throw new Error('subscription ended without a message');
}

describe.skipIf(!nats.up)(`nats wire${nats.reason}`, () => {
  let nc: NatsConnection;
  const stream = `rtmwire_${randomUUID().slice(0, 8)}`;
  const subject = `rtm.wire.${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    await (await jetstreamManager(nc)).streams.add({ name: stream, subjects: [subject] });
  });
  afterAll(async () => {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('nats: the header block is read from nats.js private fields of a core message', async () => {
    const h = natsHeaders();
    h.set('Content-Type', 'application/msgpack');
    h.set('x-key', 'k1');
    const topic = `rtm.wire.core.${randomUUID().slice(0, 8)}`;
    const m = await receive(nc, topic, () => nc.publish(topic, new Uint8Array([1]), { headers: h }));
    // undefined would mean nats.js no longer has `_rdata` / `_msg.hdr`: the fast path is gone.
    const text = rawHeaderText(m);
    expect(typeof text).toBe('string');
    expect(text).toMatch(/^NATS\/1\.0\r\n/);
    expect(readNatsHeaders(m)).toEqual(fromNatsHeaders(m.headers));
    const bare = await receive(nc, topic, () => nc.publish(topic, new Uint8Array([2])));
    expect(rawHeaderText(bare)).toBeNull();
  });

  it('nats: the header block is read from nats.js private fields of a JetStream message', async () => {
    const block = publishHeaderBlock('application/json', { 'X-Trace': 't1' }, 'k2', { msgId: true });
    await jetstream(nc).publish(subject, new Uint8Array([3]), { headers: block.headers });
    const consumer = await jetstream(nc).consumers.get(stream);
    const m = await consumer.next({ expires: 5_000 });
    expect(m).not.toBeNull();
    expect(typeof rawHeaderText(m)).toBe('string');
    const read = readNatsHeaders(m!);
    expect(read).toEqual(fromNatsHeaders(m!.headers));
    expect(read.key).toBe('k2');
    expect(read.headers).toEqual({
      'x-trace': 't1',
      'message-id': block.messageId,
      'content-type': 'application/json',
    });
    m!.ack();
  });

  it('nats: a foreign or older header block reads like nats.js reads it', () => {
    const text =
      'NATS/1.0\r\nMessage-Id:  abc \r\nCONTENT-TYPE: text/plain\r\nX-Key: 0022/01216\r\n' +
      'x-published-at: 1764329000000\r\nNats-Msg-Id: abc\r\nx-odd: a:b\r\n\r\n';
    const read = parseHeaderText(text);
    expect(read).toEqual(fromNatsHeaders(MsgHdrsImpl.decode(new TextEncoder().encode(text))));
    expect(read).toEqual({
      headers: { 'message-id': 'abc', 'content-type': 'text/plain', 'x-odd': 'a:b' },
      key: '0022/01216',
      timestamp: 1764329000000,
    });
  });

  it('nats: blocks in (or near) our own layout read exactly as nats.js reads them', () => {
    const ours = (lines: string[]) => `NATS/1.0\r\n${lines.join('\r\n')}\r\n\r\n`;
    const blocks = [
      ours([
        'message-id: id-1',
        'content-type: application/json',
        'x-key: v1',
        'x-published-at: 1764329000000',
      ]),
      ours(['message-id: id-2', 'content-type: application/msgpack', 'x-key: v2', 'Nats-Msg-Id: id-2']),
      ours(['message-id: id-3', 'content-type: application/json', 'x-published-at: 1764329000001']),
      ours(['message-id: id-4', 'content-type: application/json']),
      ours(['message-id: id-5', 'content-type: application/json', 'x-key: ключ/1', 'x-published-at: 42']),
      ours(['message-id: id-6', 'content-type: application/json', 'x-key:  padded ', 'x-published-at: 7']),
      ours(['message-id: id-7', 'content-type: application/json', 'x-key: ', 'x-published-at: soon']),
      ours(['message-id: id-8', 'content-type: application/json', 'x-published-at: 12345678901234567']),
      ours(['message-id: id-9', 'content-type:  text/plain ', 'x-key: k']),
      ours(['message-id: id-10', 'content-type: application/json', 'x-key: k', 'x-other: 1']),
      ours(['message-id: id-12', 'content-type: application/json', 'x-published-at: 0042']),
      ours(['Message-Id: id-13', 'content-type: application/json', 'X-Key: k']),
      ours(['message-id: id-14', 'content-type: application/json', 'x-key: k', 'x-published-at: ']),
      // Without content-type (foreign producers), and values the byte path leaves to the text path.
      ours(['message-id: id-15', 'x-key: k', 'x-published-at: 1764329000000']),
      ours(['message-id: id-16', 'x-published-at: 1764329000002']),
      ours(['message-id: id-17', 'x-key: k', 'x-published-at: soon']),
      ours(['message-id: id-18', 'x-key: k']),
      ours(['message-id: id-19', 'content-type: application/msgpack', 'x-published-at: 1']),
      ours(['message-id: id-20', 'x-key: k', 'x-published-at: 1234567890123456']),
      ours(['message-id: id-21', 'x-key: k', 'Nats-Msg-Id: id-21']),
      ours(['message-id:  id-22', 'x-key: k', 'x-published-at: 5']),
      ours(['message-id: id-23', 'content-type: application/json', 'x-key: k\tk', 'x-published-at: 5']),
    ];
    // Twice: the second pass reads through the remembered content type and publish time.
    for (const text of [...blocks, ...blocks]) {
      const header = Buffer.from(text);
      const m = {
        headers: undefined,
        _rdata: Buffer.concat([header, Buffer.from('{}')]),
        _msg: { hdr: header.length },
      };
      expect(readNatsHeaders(m), text).toEqual(fromNatsHeaders(MsgHdrsImpl.decode(new Uint8Array(header))));
      expect(parseHeaderText(text), text).toEqual(readNatsHeaders(m));
    }
    // A bare CR inside a value (nats.js refuses to decode it) is part of the value, as before.
    const bareCr = ours(['message-id: a\rb', 'content-type: application/json']);
    const header = Buffer.from(bareCr);
    const m = { headers: undefined, _rdata: header, _msg: { hdr: header.length } };
    expect(readNatsHeaders(m).headers).toEqual({ 'message-id': 'a\rb', 'content-type': 'application/json' });
  });

  it('nats: a core publish written as one frame reads back the same with a plain nats.js subscriber', async () => {
    const writer = new CoreWriter(nc);
    // false would mean nats.js no longer has the ProtocolHandler shape: every publish takes nc.publish.
    expect(writer.direct).toBe(true);
    const topic = `rtm.wire.frame.${randomUUID().slice(0, 8)}`;
    const payload = new TextEncoder().encode(JSON.stringify({ n: 'é' }));
    const block = publishHeaderText('application/json', undefined, 'clé', {
      timestamp: 1_764_329_000_000,
      msgId: false,
    });
    expect(block.ascii).toBe(false);
    const m = await receive(nc, topic, () => writer.publish(topic, block, payload));
    expect(Buffer.from(m.data).equals(Buffer.from(payload))).toBe(true);
    expect(m.headers?.get('message-id')).toBe(block.messageId);
    expect(m.headers?.get('x-key')).toBe('clé');
    expect(m.headers?.get('x-published-at')).toBe('1764329000000');
    expect(readNatsHeaders(m)).toEqual(fromNatsHeaders(m.headers));
    // Too large for a frame: nc.publish takes it, same bytes.
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    const ascii = publishHeaderText('application/octet-stream', { 'X-Trace': 't' }, 'k', { msgId: false });
    const large = await receive(nc, topic, () => writer.publish(topic, ascii, big));
    expect(Buffer.from(large.data).equals(Buffer.from(big))).toBe(true);
    expect(large.headers?.get('x-trace')).toBe('t');
  });

  it('nats core: a subscription decodes each message by its own content type (codec remembered per type)', async () => {
    const publisher = createNatsBroker({ servers: NATS_URL, mode: 'core' });
    const reader = createNatsBroker({ servers: NATS_URL, mode: 'core', codec: msgpackCodec });
    const topic = `rtm.wire.types.${randomUUID().slice(0, 8)}`;
    const got: { value: unknown; type: string | undefined }[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      await reader.subscribe(topic, (m) => {
        got.push({ value: m.value, type: m.headers['content-type'] });
        if (got.length === 4) done();
      });
      await publisher.connect();
      const plain = await receive(publisher.native() as NatsConnection, topic, () => {
        void publisher.publish(topic, { n: 1, s: 'é' }, { key: 'k' });
      });
      // The wire keeps its content type (foreign consumers read the encoding from it).
      expect(plain.headers?.get('content-type')).toBe('application/json');
      expect(JSON.parse(new TextDecoder().decode(plain.data))).toEqual({ n: 1, s: 'é' });
      await publisher.publish(topic, { n: 2 }, { codec: msgpackCodec });
      await publisher.publish(topic, { n: 3 });
      // No content type: the subscriber's default codec (msgpack here).
      (publisher.native() as NatsConnection).publish(topic, msgpackCodec.encode({ n: 4 }));
      await all;
      expect(got).toEqual([
        { value: { n: 1, s: 'é' }, type: 'application/json' },
        { value: { n: 2 }, type: 'application/msgpack' },
        { value: { n: 3 }, type: 'application/json' },
        { value: { n: 4 }, type: undefined },
      ]);
    } finally {
      await publisher.close();
      await reader.close();
    }
  });

  it('nats core: a JSON payload handed to the writer as text reads back byte for byte', async () => {
    const writer = new CoreWriter(nc);
    const topic = `rtm.wire.text.${randomUUID().slice(0, 8)}`;
    const block = publishHeaderText('application/json', undefined, 'k', { timestamp: 7, msgId: false });
    const small = JSON.stringify({ s: 'é€😀', n: 1 });
    const m = await receive(nc, topic, () => writer.publish(topic, block, small));
    expect(new TextDecoder().decode(m.data)).toBe(small);
    expect(m.headers?.get('x-key')).toBe('k');
    // Too large for a frame: nc.publish takes it, same bytes.
    const large = JSON.stringify({ s: 'ü'.repeat(20_000) });
    const big = await receive(nc, topic, () => writer.publish(topic, block, large));
    expect(new TextDecoder().decode(big.data)).toBe(large);
  });

  it('nats core: a value JSON cannot encode rejects the publish as before', async () => {
    const broker = createNatsBroker({ servers: NATS_URL, mode: 'core' });
    try {
      const topic = `rtm.wire.bad.${randomUUID().slice(0, 8)}`;
      await expect(broker.publish(topic, { n: 1n })).rejects.toMatchObject({
        code: 'TRANSPORT_PUBLISH_FAILED',
      });
      await expect(broker.publish(topic, () => 1)).rejects.toMatchObject({
        code: 'TRANSPORT_PUBLISH_FAILED',
      });
      await broker.publish(topic, { ok: true });
    } finally {
      await broker.close();
    }
  });

  it('nats core: a payload past max_payload is rejected, a closed connection refuses', async () => {
    const broker = createNatsBroker({ servers: NATS_URL, mode: 'core' });
    const topic = `rtm.wire.max.${randomUUID().slice(0, 8)}`;
    await broker.connect();
    const max = (broker.native() as NatsConnection).info!.max_payload;
    await expect(broker.publish(topic, new Uint8Array(max), { codec: rawCodec })).rejects.toMatchObject({
      code: 'TRANSPORT_PUBLISH_FAILED',
    });
    await broker.publish(topic, { ok: true });
    await (broker.native() as NatsConnection).close();
    await expect(broker.publish(topic, { ok: false })).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    await broker.close().catch(() => undefined);
  });

  it('nats: PubAcks resolves on the stream ack, and a repeated Nats-Msg-Id is acked as a duplicate', async () => {
    const acks = new PubAcks(nc);
    const block = publishHeaderBlock('application/json', undefined, undefined, { msgId: true });
    const before = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    await acks.publish(subject, new Uint8Array([4]), block.headers, 5_000);
    await acks.publish(subject, new Uint8Array([4]), block.headers, 5_000);
    const after = (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
    expect(after - before).toBe(1);
  });

  it('nats: PubAcks rejects with a transient NoStreamError when no stream captures the subject', async () => {
    const acks = new PubAcks(nc);
    const block = publishHeaderBlock('application/json', undefined, undefined, { msgId: true });
    const error = await acks
      .publish(`rtm.nostream.${randomUUID()}`, new Uint8Array([5]), block.headers, 5_000)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoStreamError);
    expect((error as NoStreamError).code).toBe('TRANSPORT_NATS_NO_STREAM');
    expect(isTransient(error)).toBe(true);
  });

  it("nats: PubAcks rejects with the stream's error and times out when nobody answers", async () => {
    const acks = new PubAcks(nc);
    const h = natsHeaders();
    h.set('Nats-Expected-Last-Sequence', '999999');
    const refused = await acks.publish(subject, new Uint8Array([6]), h, 5_000).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('JetStreamApiError');
    expect(isTransient(refused)).toBe(false);

    // A plain subscriber takes the message and never replies: only the sweep can end the wait.
    const silent = `rtm.silent.${randomUUID()}`;
    const sub = nc.subscribe(silent);
    await nc.flush();
    const late = await acks.publish(silent, new Uint8Array([7]), h, 50).catch((e: unknown) => e);
    sub.unsubscribe();
    expect((late as Error).name).toBe('TimeoutError');
    expect(isTransient(late)).toBe(true);
  });

  it('nats: a publish whose stream was deleted is answered "no stream", and the stream is made again', async () => {
    const prefix = testStreamPrefix();
    const broker = createNatsBroker({ servers: NATS_URL, streamPrefix: prefix });
    try {
      const topic = `rtm.wire.gone.${randomUUID().slice(0, 8)}`;
      await broker.publish(topic, { n: 1 });
      const jsm = await jetstreamManager(nc);
      const name = streamNameFor(prefix, topic);
      await jsm.streams.delete(name);
      // The registry still knows the stream: the PubAck reply is a 503, retried after a fresh lookup.
      await broker.publish(topic, { n: 2 });
      expect((await jsm.streams.info(name)).state.messages).toBe(1);
    } finally {
      await broker.close();
      await deleteStreams(prefix);
    }
  });
});
