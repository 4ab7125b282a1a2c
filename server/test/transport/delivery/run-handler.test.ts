import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../../src/transport/delivery/build-message.ts';
import { deliverLocally, retryLocally } from '../../../src/transport/delivery/retry-locally.ts';
import { runHandler, toError } from '../../../src/transport/delivery/run-handler.ts';
import { HandlerTimeoutError } from '../../../src/transport/errors.ts';

const message = buildMessage({
  topic: 't',
  headers: { 'message-id': 'm1' },
  value: 1,
  raw: new Uint8Array(),
});
const fast = {
  maxAttempts: 3,
  initialDelayMs: 1,
  maxDelayMs: 2,
  multiplier: 2,
  jitter: 0,
  deadLetterTopic: undefined,
};

describe('run handler', () => {
  it('run handler: resolve is ok, throw and reject are failures with the error kept', async () => {
    expect(await runHandler(() => {}, message, { handlerTimeoutMs: 0 })).toEqual({ ok: true });
    const thrown = await runHandler(
      () => {
        throw new Error('sync');
      },
      message,
      { handlerTimeoutMs: 0 },
    );
    expect(thrown).toMatchObject({ ok: false, error: { message: 'sync' } });
    const rejected = await runHandler(() => Promise.reject('text'), message, { handlerTimeoutMs: 0 });
    expect(rejected).toMatchObject({ ok: false, error: { message: 'text' } });
  });

  it('run handler: a handler past its timeout is a failure', async () => {
    const result = await runHandler(() => new Promise<void>(() => {}), message, { handlerTimeoutMs: 20 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(HandlerTimeoutError);
  });

  it('run handler: toError keeps non-Error values readable', () => {
    expect(toError({ a: 1 }).message).toBe('{"a":1}');
    const e = new Error('x');
    expect(toError(e)).toBe(e);
  });

  it('retry locally: retries with attempt numbers until success', async () => {
    const attempts: number[] = [];
    const out = await retryLocally({
      handler: (m) => {
        attempts.push(m.attempt);
        if (m.attempt < 3) throw new Error('again');
      },
      message,
      policy: { ...fast, handlerTimeoutMs: 0 },
    });
    expect(out).toEqual({ type: 'acked', attempts: 3 });
    expect(attempts).toEqual([1, 2, 3]);
    expect(message.attempt).toBe(1);
  });

  it('retry locally: stops at maxAttempts with the last error', async () => {
    let n = 0;
    const out = await retryLocally({
      handler: () => {
        n++;
        throw new Error(`fail ${n}`);
      },
      message,
      policy: { ...fast, handlerTimeoutMs: 0 },
    });
    expect(out).toMatchObject({ type: 'exhausted', attempts: 3, error: { message: 'fail 3' } });
  });

  it('retry locally: an abort during backoff stops retrying', async () => {
    const ac = new AbortController();
    const out = await retryLocally({
      handler: () => {
        ac.abort();
        throw new Error('closing');
      },
      message,
      policy: { ...fast, initialDelayMs: 60_000, maxDelayMs: 60_000, handlerTimeoutMs: 0 },
      signal: ac.signal,
    });
    expect(out).toMatchObject({ type: 'aborted', attempts: 1 });
  });

  it('deliver locally: a synchronous handler that succeeds gives its outcome at once, not a promise', () => {
    let seen = 0;
    const out = deliverLocally({
      handler: () => {
        seen++;
      },
      message,
      policy: { ...fast, handlerTimeoutMs: 1_000 },
    });
    expect(out).not.toBeInstanceOf(Promise);
    expect(out).toEqual({ type: 'acked', attempts: 1 });
    expect(seen).toBe(1);
  });

  it('deliver locally: a failing or asynchronous first attempt continues with the policy', async () => {
    const attempts: number[] = [];
    const out = deliverLocally({
      handler: async (m) => {
        attempts.push(m.attempt);
        if (m.attempt < 2) throw new Error('again');
      },
      message,
      policy: { ...fast, handlerTimeoutMs: 1_000 },
    });
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toEqual({ type: 'acked', attempts: 2 });
    expect(attempts).toEqual([1, 2]);
    const timedOut = await deliverLocally({
      handler: () => new Promise<void>(() => {}),
      message,
      policy: { ...fast, maxAttempts: 2, handlerTimeoutMs: 10 },
    });
    expect(timedOut).toMatchObject({ type: 'exhausted', attempts: 2 });
    expect(timedOut.type === 'exhausted' && timedOut.error).toBeInstanceOf(HandlerTimeoutError);
  });
});
