/** Test support for the simulator's feed tests: a fleet run minute by minute, and reading its messages. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { network } from '../../src/sim/builtin-network.ts';
import { createFleet, type SimMessage } from '../../src/sim/fleet.ts';
import type { QuirkRates } from '../../src/sim/quirks.ts';

/** The real HFP captures beside the repository (../shared), and whether this machine has them. */
export const SAMPLES = fileURLToPath(new URL('../../../../shared/hfp-samples', import.meta.url));
export const samplesPresent = existsSync(SAMPLES);

/** Every message of `vehicles` on the built-in network for `minutes` from `start`, a minute at a time. */
export async function simulate(
  vehicles: number,
  minutes: number,
  quirks: QuirkRates,
  opts: { seed: number; start: number },
): Promise<SimMessage[]> {
  const fleet = createFleet({ network: network(), vehicles, seed: opts.seed, start: opts.start, quirks });
  const out: SimMessage[] = [];
  for (let t = 60_000; t <= minutes * 60_000; t += 60_000) {
    fleet.advance(opts.start + t, (m) => out.push(m));
    // Yield between minutes so the test worker stays responsive on a busy machine.
    await new Promise((r) => setImmediate(r));
  }
  return out;
}

/** The payload's body: the object under its one event key. */
export const body = (m: { payload: string }) =>
  Object.values(JSON.parse(m.payload))[0] as Record<string, unknown>;
/** The event type from the topic (`/hfp/v2/journey/<temporal>/<event>/...`). */
export const event = (m: { topic: string }) => m.topic.split('/')[5]!;
