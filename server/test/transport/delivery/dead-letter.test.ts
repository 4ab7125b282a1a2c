import { describe, expect, it } from 'vitest';
import type { PublishOptions } from '../../../src/transport/broker.ts';
import { jsonCodec } from '../../../src/transport/codecs/json-codec.ts';
import { msgpackCodec } from '../../../src/transport/codecs/msgpack-codec.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';
import { deadLetterHeaders, publishDeadLetter } from '../../../src/transport/delivery/dead-letter.ts';
import { decodeMessage, pickCodec } from '../../../src/transport/delivery/decode-message.ts';
import { buildPublishHeaders, normalizeHeaders } from '../../../src/transport/delivery/headers.ts';
import { resolvePolicy } from '../../../src/transport/delivery/policy.ts';
import { DecodeError, InvalidOptionError, TransportError } from '../../../src/transport/errors.ts';

const source = {
  topic: 'orders.created',
  key: 'k1',
  headers: { 'message-id': 'm1', 'content-type': 'application/json', traceparent: 'tp' },
  raw: new Uint8Array([1, 2, 3]),
};

describe('dead letter', () => {
  it('dead letter: headers keep the originals and add error, code, attempts, original topic', () => {
    const h = deadLetterHeaders(source, new TransportError('X_CODE', 'bad'), 4);
    expect(h).toEqual({
      ...source.headers,
      'x-error': 'bad',
      'x-error-code': 'X_CODE',
      'x-attempts': '4',
      'x-original-topic': 'orders.created',
    });
    expect(deadLetterHeaders(source, new Error('plain'), 1)['x-error-code']).toBeUndefined();
  });

  it('dead letter: published raw, with key, to <topic>.dlq; dropped when disabled', async () => {
    const sent: { topic: string; value: unknown; options?: PublishOptions }[] = [];
    const broker = {
      publish: async <T>(topic: string, value: T, options?: PublishOptions) => {
        sent.push({ topic, value, ...(options ? { options } : {}) });
      },
    };
    const out = await publishDeadLetter(broker, resolvePolicy(), source, new Error('e'), 2);
    expect(out).toEqual({ type: 'published', topic: 'orders.created.dlq' });
    expect(sent[0]!.value).toBe(source.raw);
    expect(sent[0]!.options?.codec).toBe(rawCodec);
    expect(sent[0]!.options?.key).toBe('k1');
    expect(sent[0]!.options?.headers?.['x-attempts']).toBe('2');
    expect(
      await publishDeadLetter(broker, resolvePolicy({ deadLetterTopic: false }), source, new Error('e'), 2),
    ).toEqual({
      type: 'dropped',
    });
    expect(sent).toHaveLength(1);
  });

  it('decode: failures become DecodeError, successes return the value', () => {
    const bad = decodeMessage(jsonCodec, new Uint8Array([0x7b]));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toBeInstanceOf(DecodeError);
    expect(!bad.ok && bad.error.code).toBe('TRANSPORT_DECODE_FAILED');
    expect(decodeMessage(jsonCodec, jsonCodec.encode({ a: 1 }))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('decode: subscription codec wins, else content type, else fallback', () => {
    expect(pickCodec(rawCodec, { 'content-type': 'application/json' })).toBe(rawCodec);
    expect(pickCodec(undefined, { 'content-type': 'application/msgpack' })).toBe(msgpackCodec);
    expect(pickCodec(undefined, { 'content-type': 'text/weird' }, msgpackCodec)).toBe(msgpackCodec);
    expect(pickCodec(undefined, {})).toBe(jsonCodec);
  });

  it('headers: lower-cased, id and content type added, caller content type wins', () => {
    const h = buildPublishHeaders(jsonCodec, { 'X-Trace': 'a', 'Content-Type': 'text/plain' });
    expect(h['x-trace']).toBe('a');
    expect(h['content-type']).toBe('text/plain');
    expect(h['message-id']).toMatch(/^[A-Za-z0-9_-]{16}-\d+$/);
    expect(buildPublishHeaders(jsonCodec)['content-type']).toBe('application/json');
    expect(buildPublishHeaders(jsonCodec, { 'message-id': 'mine' })['message-id']).toBe('mine');
    expect(() => normalizeHeaders({ a: 1 as unknown as string })).toThrow(InvalidOptionError);
  });
});
