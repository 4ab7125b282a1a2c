import type { GeofenceEvent } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { GeofenceClaims } from '../../src/state/geofence-claims.ts';

const enter = (vehicleId: string, time: number): GeofenceEvent => ({
  kind: 'enter',
  geofenceId: 'kallio',
  geofenceName: 'Kallio',
  vehicleId,
  operatorId: '0022',
  line: '64',
  time,
});

describe('state: geofence claims', () => {
  it('state: a claim after the evaluation gets its events, once', async () => {
    const claims = new GeofenceClaims();
    claims.evaluated('v1', 10, [enter('v1', 10)], 0);
    // Evaluated already: the answer comes at once, not as a promise.
    expect(claims.claim('v1', 10, 1_000)).toEqual([enter('v1', 10)]);
    // A redelivered claim of the same position: the events went out already.
    expect(await claims.claim('v1', 10, 1_000)).toEqual([]);
  });

  it('state: a claim before the evaluation waits for it', async () => {
    const claims = new GeofenceClaims();
    claims.evaluated('v1', 5, [], 0);
    const pending = claims.claim('v1', 10, 1_000);
    expect(pending).toBeInstanceOf(Promise);
    let settled = false;
    void Promise.resolve(pending).then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    claims.evaluated('v1', 10, [enter('v1', 10)], 0);
    expect(await pending).toEqual([enter('v1', 10)]);
  });

  it('state: a position with no events, or older than the newest evaluated, resolves to none at once', async () => {
    const claims = new GeofenceClaims();
    claims.evaluated('v1', 20, [], 0);
    expect(await claims.claim('v1', 20, 1_000)).toEqual([]);
    expect(await claims.claim('v1', 15, 1_000)).toEqual([]);
  });

  it('state: events another process claimed are forgotten after keepMs; waiting claims end at their deadline', async () => {
    const claims = new GeofenceClaims({ keepMs: 100 });
    claims.evaluated('v1', 10, [enter('v1', 10)], 0);
    const waiting = claims.claim('v2', 10, 50);
    expect(claims.stats()).toEqual({ unclaimed: 1, waiting: 1, timedOut: 0 });
    claims.sweep(200);
    expect(await waiting).toBeUndefined();
    expect(claims.stats()).toEqual({ unclaimed: 0, waiting: 0, timedOut: 1 });
  });

  it('state: removal exits belong to the process that claimed the newest position', async () => {
    const mine = new GeofenceClaims();
    const theirs = new GeofenceClaims();
    for (const c of [mine, theirs]) {
      c.evaluated('v1', 10, [], 0);
      c.evaluated('v1', 20, [], 0);
    }
    await theirs.claim('v1', 10, 1_000);
    await mine.claim('v1', 20, 1_000);
    expect(mine.removed('v1')).toBe(true);
    expect(theirs.removed('v1')).toBe(false);
  });

  it('state: release ends waiting and later claims (stopping)', async () => {
    const claims = new GeofenceClaims();
    const waiting = claims.claim('v1', 10, Number.POSITIVE_INFINITY);
    claims.release();
    expect(await waiting).toBeUndefined();
    expect(await claims.claim('v1', 11, Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});
