import { describe, expect, it } from 'vitest';
import { DeadlineSweep } from '../../../src/transport/delivery/deadline-sweep.ts';
import { waitFor } from '../conformance/support.ts';

describe('deadline sweep', () => {
  it('deadline sweep: a watched deadline fires once; a cancelled one never does', async () => {
    const sweep = new DeadlineSweep();
    const fired: string[] = [];
    const cancelled = sweep.watch(5, () => fired.push('cancelled'));
    sweep.watch(10, () => fired.push('kept'));
    cancelled.cancel();
    cancelled.cancel(); // twice is harmless
    await waitFor(() => fired.length > 0, 'the kept deadline');
    // The later deadline firing means the earlier one was due first: it must not have fired.
    expect(fired).toEqual(['kept']);
  });

  it('deadline sweep: deadlines of different lengths fire in expiry order on one timer', async () => {
    const sweep = new DeadlineSweep();
    const fired: number[] = [];
    for (const ms of [40, 5, 20, 5, 1]) sweep.watch(ms, () => fired.push(ms));
    await waitFor(() => fired.length === 5, 'every deadline');
    expect(fired).toEqual([1, 5, 5, 20, 40]);
  });

  it('deadline sweep: a deadline watched from an expiry callback still fires', async () => {
    const sweep = new DeadlineSweep();
    const fired: string[] = [];
    sweep.watch(1, () => {
      fired.push('first');
      sweep.watch(1, () => fired.push('second'));
    });
    await waitFor(() => fired.length === 2, 'both deadlines');
    expect(fired).toEqual(['first', 'second']);
  });

  it('deadline sweep: a clock that has not reached the deadline keeps it waiting', async () => {
    let now = 0;
    const sweep = new DeadlineSweep(() => now);
    const fired: string[] = [];
    sweep.watch(1_000, () => fired.push('late'));
    sweep.watch(1, () => fired.push('due'));
    now = 5; // the 1 ms deadline is due on this clock, the 1,000 ms one is not
    await waitFor(() => fired.length === 1, 'the due deadline');
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual(['due']);
  });
});
