/** PendingPromises: close() waits for every tracked promise, rejected ones included, and no longer. */
import { describe, expect, it } from 'vitest';
import { PendingPromises } from '../../../src/transport/delivery/pending-promises.ts';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('delivery: PendingPromises', () => {
  it('delivery: settled resolves at once when nothing is tracked', async () => {
    await expect(new PendingPromises().settled()).resolves.toBeUndefined();
  });

  it('delivery: track returns the same promise, and settled waits for all of them, rejections too', async () => {
    const pending = new PendingPromises();
    const a = deferred();
    const b = deferred();
    expect(pending.track(a.promise)).toBe(a.promise);
    const tracked = pending.track(b.promise);
    tracked.catch(() => {});
    let done = false;
    const settled = pending.settled().then(() => {
      done = true;
    });
    a.resolve();
    await a.promise;
    await Promise.resolve();
    expect(done).toBe(false);
    b.reject(new Error('publish failed'));
    await settled;
    expect(done).toBe(true);
  });
});
