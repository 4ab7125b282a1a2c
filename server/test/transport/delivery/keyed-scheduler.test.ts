import { describe, expect, it } from 'vitest';
import { KeyedScheduler } from '../../../src/transport/delivery/keyed-scheduler.ts';
import { InvalidOptionError } from '../../../src/transport/errors.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('keyed scheduler', () => {
  it('keyed scheduler: same key runs in order, one at a time, while other keys run alongside', async () => {
    const s = new KeyedScheduler({ maxInFlight: 4 });
    const log: string[] = [];
    const active = new Map<string, number>();
    let peak = 0;
    let running = 0;
    const work = (key: string, i: number) =>
      s.run(key, async () => {
        running++;
        peak = Math.max(peak, running);
        active.set(key, (active.get(key) ?? 0) + 1);
        expect(active.get(key)).toBe(1);
        for (let t = 0; t < (i % 3) + 1; t++) await tick();
        log.push(`${key}${i}`);
        active.set(key, active.get(key)! - 1);
        running--;
      });
    const all: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) for (const k of ['a', 'b', 'c']) all.push(work(k, i));
    await Promise.all(all);
    for (const k of ['a', 'b', 'c']) {
      expect(log.filter((x) => x.startsWith(k))).toEqual([...Array(10).keys()].map((i) => `${k}${i}`));
    }
    expect(peak).toBe(3);
    expect(s.size).toBe(0);
  });

  it('keyed scheduler: never more than maxInFlight at once', async () => {
    const s = new KeyedScheduler({ maxInFlight: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.run(i % 2 ? undefined : `k${i}`, async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('keyed scheduler: orderedByKey false lets one key run concurrently', async () => {
    const s = new KeyedScheduler({ maxInFlight: 4, orderedByKey: false });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
    };
    await Promise.all([s.run('k', task), s.run('k', task), s.run('k', task)]);
    expect(peak).toBe(3);
  });

  it('keyed scheduler: a failing task rejects its promise and the key moves on', async () => {
    const s = new KeyedScheduler();
    const first = s.run('k', () => {
      throw new Error('bad');
    });
    let ran = false;
    const second = s.run('k', () => {
      ran = true;
    });
    await expect(first).rejects.toThrow('bad');
    await second;
    expect(ran).toBe(true);
  });

  it('keyed scheduler: onIdle and whenBelow resolve as work completes', async () => {
    const s = new KeyedScheduler({ maxInFlight: 1 });
    let release!: () => void;
    const blocker = new Promise<void>((r) => {
      release = r;
    });
    void s.run('a', () => blocker);
    void s.run('a', () => {});
    expect(s.running).toBe(1);
    expect(s.queued).toBe(1);
    let below = false;
    let idle = false;
    void s.whenBelow(2).then(() => {
      below = true;
    });
    void s.onIdle().then(() => {
      idle = true;
    });
    await tick();
    expect(below).toBe(false);
    release();
    await s.onIdle();
    expect(below).toBe(true);
    expect(idle).toBe(true);
  });

  it('keyed scheduler: post runs tasks with their argument, per key in order, without a promise', async () => {
    const s = new KeyedScheduler({ maxInFlight: 2 });
    const log: string[] = [];
    const hold = new Map<string, () => void>();
    const task = (item: string) => {
      log.push(`start ${item}`);
      // a1 stays running until released: a2 must wait for it, b1 must not.
      if (item === 'a1') return new Promise<void>((r) => hold.set(item, r));
      return undefined;
    };
    s.post('a', task, 'a1');
    s.post('a', task, 'a2');
    s.post('b', task, 'b1');
    expect(log).toEqual(['start a1', 'start b1']);
    hold.get('a1')!();
    await s.onIdle();
    expect(log).toEqual(['start a1', 'start b1', 'start a2']);
  });

  it('keyed scheduler: a long queue of synchronous tasks runs without deepening the stack', async () => {
    const s = new KeyedScheduler({ maxInFlight: 1 });
    let release!: () => void;
    void s.run(undefined, () => new Promise<void>((r) => (release = r)));
    const n = 100_000;
    let ran = 0;
    // Queued behind the blocker, then all run synchronously one after another once it finishes.
    for (let i = 0; i < n; i++) s.post(i % 2 ? 'k' : undefined, () => void ran++, undefined);
    release();
    await s.onIdle();
    expect(ran).toBe(n);
  });

  it('keyed scheduler: a posted task that runs at once still holds its key for tasks it posts', () => {
    const s = new KeyedScheduler({ maxInFlight: 4 });
    const log: string[] = [];
    s.post(
      'k',
      (i: number) => {
        log.push(`start${i}`);
        // Posted while the first runs synchronously: must wait for it, other keys too (no re-entry).
        s.post('k', (j: number) => void log.push(`run${j}`), 2);
        s.post('other', (j: number) => void log.push(`run${j}`), 3);
        log.push(`end${i}`);
      },
      1,
    );
    // Neither ran inside the first; across keys the order is not promised (the other key was ready first).
    expect(log).toEqual(['start1', 'end1', 'run3', 'run2']);
    expect(s.size).toBe(0);
  });

  it('keyed scheduler: a posted task that returns a promise keeps its key until it settles', async () => {
    const s = new KeyedScheduler({ maxInFlight: 4 });
    const log: string[] = [];
    let release!: () => void;
    s.post(
      'k',
      () =>
        new Promise<void>((r) => {
          release = () => {
            log.push('first done');
            r();
          };
        }),
      undefined,
    );
    s.post('k', () => void log.push('second'), undefined);
    s.post('x', () => void log.push('other key'), undefined);
    expect(log).toEqual(['other key']);
    expect(s.size).toBe(2);
    release();
    await s.onIdle();
    expect(log).toEqual(['other key', 'first done', 'second']);
  });

  it('keyed scheduler: rejects a bad maxInFlight', () => {
    expect(() => new KeyedScheduler({ maxInFlight: 0 })).toThrow(InvalidOptionError);
  });
});
