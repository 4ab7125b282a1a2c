import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/transport/delivery/backoff.ts';
import {
  DEFAULT_DELIVERY_POLICY,
  deadLetterTopicFor,
  resolvePolicy,
} from '../../../src/transport/delivery/policy.ts';
import { InvalidOptionError } from '../../../src/transport/errors.ts';

describe('delivery policy', () => {
  it('policy: defaults fill what is not given, result is frozen', () => {
    const p = resolvePolicy({ maxAttempts: 2, jitter: undefined });
    expect(p).toMatchObject({
      maxAttempts: 2,
      initialDelayMs: 100,
      multiplier: 2,
      maxDelayMs: 10_000,
      jitter: 0.2,
    });
    expect(p.handlerTimeoutMs).toBe(30_000);
    expect(Object.isFrozen(p)).toBe(true);
    expect(resolvePolicy()).toEqual(DEFAULT_DELIVERY_POLICY);
  });

  it('policy: every problem is reported together', () => {
    try {
      resolvePolicy({ maxAttempts: 0, jitter: 2, multiplier: 0.5 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      const msg = (error as Error).message;
      expect(msg).toContain('maxAttempts');
      expect(msg).toContain('jitter');
      expect(msg).toContain('multiplier');
    }
  });

  it('policy: dead-letter topic defaults to <topic>.dlq, can be named or disabled', () => {
    expect(deadLetterTopicFor(resolvePolicy(), 'a.b')).toBe('a.b.dlq');
    expect(deadLetterTopicFor(resolvePolicy({ deadLetterTopic: 'dead' }), 'a.b')).toBe('dead');
    expect(deadLetterTopicFor(resolvePolicy({ deadLetterTopic: false }), 'a.b')).toBeUndefined();
  });

  it('backoff: exponential, capped, jitter only shortens', () => {
    const p = resolvePolicy({ initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, jitter: 0.5 });
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(p, a, top))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelay(p, 1, () => 0)).toBe(50);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(p, 3);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});
