import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/live/backoff.ts';

describe('backoff', () => {
  it('backoff: grows exponentially from the base and caps at the maximum', () => {
    const noJitter = () => 0;
    expect(backoffDelay(0, noJitter)).toBe(500);
    expect(backoffDelay(1, noJitter)).toBe(1000);
    expect(backoffDelay(3, noJitter)).toBe(4000);
    expect(backoffDelay(10, noJitter)).toBe(15_000);
    expect(backoffDelay(10_000, noJitter)).toBe(15_000);
  });

  it('backoff: jitter only ever shortens the delay, by at most 30 %', () => {
    expect(backoffDelay(2, () => 1)).toBe(1400);
    expect(backoffDelay(2, () => 0.5)).toBe(1700);
  });
});
