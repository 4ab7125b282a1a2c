import { describe, expect, it } from 'vitest';
import { createDuplicateFilter } from '../../src/feed/duplicate-filter.ts';
import { RateMeter } from '../../src/feed/feed-stats.ts';
import { createOrderTracker } from '../../src/feed/order-tracker.ts';

describe('feed helpers', () => {
  it('feed: an exact repeat within the window is a duplicate; after it, or with any byte changed, it is not', () => {
    const f = createDuplicateFilter(500);
    expect(f.isDuplicate('/t', '{"VP":{}}', 1000)).toBe(false);
    expect(f.isDuplicate('/t', '{"VP":{}}', 1300)).toBe(true);
    expect(f.isDuplicate('/t', '{"VP":{ }}', 1300)).toBe(false);
    expect(f.isDuplicate('/u', '{"VP":{}}', 1300)).toBe(false);
    expect(f.isDuplicate('/t', '{"VP":{}}', 1600)).toBe(false);
  });

  it('feed: the duplicate filter forgets old messages, so memory stays bounded', () => {
    const f = createDuplicateFilter(100);
    for (let i = 0; i < 20_000; i++) f.isDuplicate('/t', String(i), i);
    expect(f.size).toBeLessThanOrEqual(102);
  });

  it('feed: a message older than the vehicle latest is late; other vehicles are independent', () => {
    const o = createOrderTracker();
    expect(o.isLate('a', 1000)).toBe(false);
    expect(o.isLate('a', 2000)).toBe(false);
    expect(o.isLate('a', 1500)).toBe(true);
    expect(o.isLate('b', 1500)).toBe(false);
    expect(o.isLate('a', 2000)).toBe(false);
    expect(o.vehicles).toBe(2);
  });

  it('feed: the rate meter averages whole seconds of a sliding window', () => {
    const m = new RateMeter(5);
    for (let s = 0; s < 6; s++) for (let i = 0; i < 100; i++) m.add(10_000 + s * 1000 + i);
    expect(m.rate(15_500)).toBe(100);
    expect(m.rate(60_000)).toBe(0);
  });
});
