/** PublishCount: close() waits for every unconfirmed publish, however many wait. */
import { describe, expect, it } from 'vitest';
import { PublishCount } from '../../../src/transport/delivery/publish-count.ts';

describe('delivery: PublishCount', () => {
  it('delivery: idle resolves at once when nothing is in flight', async () => {
    await expect(new PublishCount().idle()).resolves.toBeUndefined();
  });

  it('delivery: every waiter resolves when the last publish settles, not before', async () => {
    const count = new PublishCount();
    count.started();
    count.started();
    const done: string[] = [];
    const a = count.idle().then(() => done.push('a'));
    const b = count.idle().then(() => done.push('b'));
    count.settled();
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toEqual([]);
    expect(count.pending).toBe(1);
    count.settled();
    await Promise.all([a, b]);
    expect(done.sort()).toEqual(['a', 'b']);
    expect(count.pending).toBe(0);
  });
});
