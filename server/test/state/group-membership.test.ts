import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { keepGroupMembership } from '../../src/state/group-membership.ts';
import type { Subscription } from '../../src/transport/broker.ts';
import { waitUntil } from '../gateway/harness.ts';

/** A subscription whose end the test decides. */
function subscription() {
  let end!: (error: Error | undefined) => void;
  let closes = 0;
  const sub: Subscription = {
    topic: 't',
    group: 'g',
    closed: new Promise((resolve) => {
      end = resolve;
    }),
    async close() {
      closes++;
      end(undefined);
    },
  };
  return { sub, fail: (error: Error) => end(error), closes: () => closes };
}

const logger = pino({ level: 'silent' });

describe('state: group membership', () => {
  it('state: a failed join is retried with backoff until it joins', async () => {
    let attempts = 0;
    const s = subscription();
    const m = keepGroupMembership({
      name: 'g',
      logger,
      initialDelayMs: 5,
      join: async () => {
        attempts++;
        if (attempts <= 3) throw new Error('coordinator not available');
        return s.sub;
      },
    });
    expect(await m.firstAttempt).toBe(false);
    await waitUntil(() => m.joined(), 'joined after three failures', 20_000);
    expect(attempts).toBe(4);
    expect(m.failures()).toBe(3);
    await m.stop();
    expect(s.closes()).toBe(1);
    expect(m.joined()).toBe(false);
  });

  it('state: a subscription that ends with an error is joined again; stop() ends it for good', async () => {
    const subs = [subscription(), subscription()];
    let n = 0;
    const m = keepGroupMembership({ name: 'g', logger, initialDelayMs: 5, join: async () => subs[n++]!.sub });
    expect(await m.firstAttempt).toBe(true);
    subs[0]!.fail(new Error('consumer crashed'));
    await waitUntil(() => n === 2 && m.joined(), 'joined again', 20_000);
    expect(m.failures()).toBe(1);
    await m.stop();
    expect(subs[1]!.closes()).toBe(1);
    expect(n).toBe(2);
  });

  it('state: stop() during the backoff stops retrying', async () => {
    let attempts = 0;
    const m = keepGroupMembership({
      name: 'g',
      logger,
      initialDelayMs: 60_000,
      join: async () => {
        attempts++;
        throw new Error('no broker');
      },
    });
    expect(await m.firstAttempt).toBe(false);
    await m.stop();
    expect(attempts).toBe(1);
  });
});
