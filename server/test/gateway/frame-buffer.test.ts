import type { BBox } from '@realtimemap/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Harness, moveFleet, startHarness, type TestClient, waitUntil } from './harness.ts';

const VIEW: BBox = [24.8, 60.1, 25.1, 60.3];
const N = 1500;
let round = 0;

/** Every vehicle moves: a big batch per tick (~N * 300 bytes), so a paused reader backs up soon. */
function moveAll(h: Harness): void {
  round++;
  moveFleet(h, N, round, `${round}-${'x'.repeat(200)}`);
}

const rawSocket = (c: TestClient) => (c.socket as unknown as { _socket: import('node:net').Socket })._socket;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gateway: frame buffer', () => {
  it('gateway: frames held by a backed-up socket keep their bytes while later frames are built', async () => {
    // Never coalesce: every frame goes to the socket, and the paused one queues them.
    h = await startHarness({ highWaterBytes: 1 << 30, slowCloseMs: 3_600_000 });
    const paused = await connect(h.url);
    const reading = await connect(h.url);
    paused.viewport(VIEW);
    reading.viewport(VIEW);
    await Promise.all([paused.waitFor('snapshot'), reading.waitFor('snapshot')]);
    rawSocket(paused).pause();
    await waitUntil(
      () => {
        moveAll(h!);
        h!.gateway.tick();
        return h!.gateway.stats().framesQueued > 2;
      },
      'frames to queue',
      60_000,
    );
    for (let i = 0; i < 3; i++) {
      moveAll(h);
      h.gateway.tick();
    }
    rawSocket(paused).resume();
    await waitUntil(
      () => paused.frames.length === reading.frames.length,
      'the paused client to read it all',
      60_000,
    );
    // Byte for byte what the reading client got: no queued frame was written over.
    expect(paused.frames.length).toBeGreaterThan(5);
    for (let i = 0; i < reading.frames.length; i++) {
      expect(Buffer.from(paused.frames[i]!).equals(Buffer.from(reading.frames[i]!))).toBe(true);
    }
  }, 120_000);
});
