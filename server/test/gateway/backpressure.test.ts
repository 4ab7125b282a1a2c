import type { BBox } from '@realtimemap/shared';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientView,
  connect,
  type Harness,
  moveFleet,
  startHarness,
  type TestClient,
  waitUntil,
} from './harness.ts';

const VIEW: BBox = [24.8, 60.1, 25.1, 60.3];
const N = 1500;
let round = 0;

/** Every vehicle moves: a big batch per tick (~N * 100 bytes). */
function moveAll(h: Harness): void {
  round++;
  moveFleet(h, N, round, 'x'.repeat(200));
}

/** Pause reading (the TCP window closes) until the gateway sees the socket over its high-water mark. */
async function stall(h: Harness, c: TestClient): Promise<void> {
  const socket = (c.socket as unknown as { _socket: import('node:net').Socket })._socket;
  socket.pause();
  await waitUntil(
    () => {
      moveAll(h);
      h.gateway.tick();
      h.advance(100);
      return h.gateway.stats().coalesced > 0;
    },
    'the client to fall behind',
    60_000,
  );
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gateway: backpressure', () => {
  it('gateway: a client over the high-water mark is coalesced, then catches up with the latest state', async () => {
    h = await startHarness({ highWaterBytes: 64 * 1024, slowCloseMs: 3_600_000 });
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    await stall(h, c);
    const coalescedTicks = h.gateway.stats().coalesced;
    for (let i = 0; i < 3; i++) {
      moveAll(h);
      h.gateway.tick();
    }
    expect(h.gateway.stats().coalesced).toBeGreaterThan(coalescedTicks);
    (c.socket as unknown as { _socket: import('node:net').Socket })._socket.resume();
    // Once drained, the next tick sends what was coalesced: the client ends with the server's state.
    const last = round;
    await waitUntil(
      () => {
        h!.gateway.tick();
        const view = clientView(c);
        return view.size === N && [...view.values()].every((v) => v.eventTime === last * 1000);
      },
      'the client to catch up',
      60_000,
    );
    expect(h.gateway.stats().slowClosed).toBe(0);
  }, 150_000);

  it('gateway: a client that stays too slow is closed with 4008 GATEWAY_SLOW_CONSUMER', async () => {
    h = await startHarness({ highWaterBytes: 64 * 1024, slowCloseMs: 500 });
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    await stall(h, c);
    await waitUntil(() => {
      moveAll(h!);
      h!.gateway.tick();
      h!.advance(100);
      return h!.gateway.stats().slowClosed === 1;
    }, 'the slow client to be closed');
    (c.socket as unknown as { _socket: import('node:net').Socket })._socket.resume();
    expect(await c.closed).toEqual({ code: 4008, reason: 'GATEWAY_SLOW_CONSUMER' });
  }, 120_000);
});
