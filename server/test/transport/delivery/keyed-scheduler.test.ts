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

  it('keyed scheduler: rejects a bad maxInFlight', () => {
    expect(() => new KeyedScheduler({ maxInFlight: 0 })).toThrow(InvalidOptionError);
  });
});
