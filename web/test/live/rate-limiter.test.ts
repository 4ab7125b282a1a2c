import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/live/rate-limiter.ts';
import { RateMeter } from '../../src/live/rate-meter.ts';

describe('rate limiter', () => {
  it('rate limiter: accepts up to the limit per window and counts the rest', () => {
    const l = new RateLimiter(3, 5_000);
    expect([l.tryAccept(0), l.tryAccept(10), l.tryAccept(20), l.tryAccept(30), l.tryAccept(40)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(l.takeSuppressed()).toBe(2);
    expect(l.takeSuppressed()).toBe(0);
  });

  it('rate limiter: the window slides', () => {
    const l = new RateLimiter(1, 1_000);
    expect(l.tryAccept(0)).toBe(true);
    expect(l.tryAccept(999)).toBe(false);
    expect(l.tryAccept(1_000)).toBe(true);
  });

  it('rate meter: reports events per second over its window', () => {
    const m = new RateMeter(2_000);
    m.add(100, 0);
    m.add(300, 1_000);
    expect(m.perSecond(1_500)).toBe(200);
    expect(m.perSecond(2_500)).toBe(150);
    expect(m.perSecond(5_000)).toBe(0);
  });
});
