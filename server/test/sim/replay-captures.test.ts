/**
 * Every real capture in ../shared/hfp-samples replayed through the whole ingest path: replay ->
 * embedded MQTT broker -> feed -> memory broker -> the state store (server/src/state). What the
 * server holds for the vehicle must match the capture: latest position, door state, journey changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCaptureLine, parseHfp, type VehiclePosition } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { buildFeed } from '../../src/feed/feed.ts';
import { startEmbeddedBroker } from '../../src/sim/embedded-broker.ts';
import { replayCapture } from '../../src/sim/replay.ts';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import { createMemoryBroker } from '../../src/transport/backends/memory/index.ts';
import { silent, waitFor } from './helpers.ts';

const SAMPLES = fileURLToPath(new URL('../../../../shared/hfp-samples', import.meta.url));
const files = existsSync(SAMPLES)
  ? readdirSync(SAMPLES)
      .filter((f) => f.endsWith('.hfp'))
      .sort()
  : [];

/**
 * What the capture says, computed from its lines in file order (exact repeats removed and upcoming-journey
 * announcements left out, as the feed does).
 */
function expected(file: string) {
  const positions: VehiclePosition[] = [];
  const seen = new Set<string>();
  for (const text of readFileSync(`${SAMPLES}/${file}`, 'utf8').split('\n')) {
    const line = parseCaptureLine(text);
    if (!line) continue;
    if (seen.has(line.topic + line.payload)) continue;
    seen.add(line.topic + line.payload);
    const r = parseHfp(line.topic, line.payload);
    if (r.ok && r.temporalType === 'ongoing') positions.push(r.value);
  }
  return positions;
}

const journeyKey = (p: VehiclePosition) => `${p.journeyType}:${p.routeId}:${p.direction}:${p.startTime}`;
function changes<T>(values: T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

describe.skipIf(files.length === 0)(
  `sim replay of real captures through the ingest path${files.length ? '' : ' (skipped: ../shared/hfp-samples absent)'}`,
  () => {
    for (const file of files) {
      it(`sim: ${file} arrives in the state store as captured`, async () => {
        const want = expected(file);
        expect(want.length).toBeGreaterThan(10);
        const mqttBroker = await startEmbeddedBroker({ logger: silent });
        const broker = createMemoryBroker();
        await broker.connect();
        const store = new VehicleStore({
          clock: () => Date.now(),
          staleMs: 1e12,
          removeMs: 1e12,
          trail: { maxLength: 10_000, maxAgeMs: 1e12 },
        });
        const got: VehiclePosition[] = [];
        await broker.subscribe<VehiclePosition>('vehicle-positions', (m) => {
          got.push(m.value);
          store.apply(m.value);
        });
        const feed = buildFeed({ mqttUrl: mqttBroker.url, broker, logger: silent });
        await feed.start();
        try {
          const stats = await replayCapture({
            file: `${SAMPLES}/${file}`,
            mqttUrl: mqttBroker.url,
            speed: 'max',
            logger: silent,
          });
          await waitFor(() => feed.stats().received === stats.sent, 'every line at the feed');
          await feed.flush();
          await waitFor(() => got.length === want.length, `${want.length} positions`);
        } finally {
          await feed.stop();
          await broker.close();
          await mqttBroker.close();
        }
        // Every position, in capture order, field for field (outOfOrder aside).
        expect(got.map(({ outOfOrder: _o, ...p }) => p)).toEqual(want);
        const vehicleIds = new Set(want.map((p) => p.vehicleId));
        expect(vehicleIds.size).toBe(1);
        const vehicleId = [...vehicleIds][0]!;
        const state = store.get(vehicleId)!;
        // The store holds the newest event, not the last line: late lines only join the trail.
        const newest = want.reduce((a, b) => (b.eventTime > a.eventTime ? b : a));
        expect({ lat: state.lat, lon: state.lon, eventTime: state.eventTime }).toEqual({
          lat: newest.lat,
          lon: newest.lon,
          eventTime: newest.eventTime,
        });
        expect(state.doorsOpen).toBe(newest.doorsOpen);
        expect(journeyKey(state)).toBe(journeyKey(newest));
        // Door state and journey changes (sign-in, sign-out, deadrun) in the order the capture has them.
        expect(changes(got.map((p) => p.doorsOpen))).toEqual(changes(want.map((p) => p.doorsOpen)));
        expect(changes(got.map(journeyKey))).toEqual(changes(want.map(journeyKey)));
        // The trail holds every distinct event time, in time order.
        const trail = store.trail(vehicleId)!;
        expect(trail.map((t) => t.t)).toEqual(
          [...new Set(want.map((p) => p.eventTime))].sort((a, b) => a - b),
        );
      });
    }
  },
);
