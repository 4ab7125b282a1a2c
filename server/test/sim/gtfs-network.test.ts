import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseHfp } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { SimError } from '../../src/sim/errors.ts';
import { createFleet } from '../../src/sim/fleet.ts';
import { loadGtfsNetwork } from '../../src/sim/gtfs-network.ts';
import { NO_QUIRKS } from '../../src/sim/quirks.ts';

// sample-gtfs-feed: a small, imaginary GTFS feed published on npm for tests (a folder and a zip).
const root = dirname(createRequire(import.meta.url).resolve('sample-gtfs-feed/package.json'));

describe('sim GTFS input', () => {
  it('sim: a GTFS folder and the same feed zipped give the same network of routes, stops and shapes', () => {
    const fromDir = loadGtfsNetwork(join(root, 'gtfs'));
    const fromZip = loadGtfsNetwork(join(root, 'gtfs.zip'));
    expect(fromZip.routes).toEqual(fromDir.routes);
    const a = fromDir.routes.find((r) => r.routeId === 'A')!;
    expect(a).toMatchObject({ line: 'Ada', mode: 'bus' });
    expect(fromDir.routes.find((r) => r.routeId === 'B')!.mode).toBe('tram');
    // Route A has shapes: its path follows shapes.txt, far denser than its stops.
    const d = a.directions[0]!;
    expect(d.path.length).toBeGreaterThan(d.stopIds.length);
    expect(d.runSeconds).toBeGreaterThan(0);
    for (const r of fromDir.routes)
      for (const dir of r.directions) for (const id of dir.stopIds) expect(fromDir.stops.has(id)).toBe(true);
  });

  it('sim: the fleet runs on a GTFS network and its messages parse', () => {
    const net = loadGtfsNetwork(join(root, 'gtfs'));
    const start = Date.parse('2026-11-27T08:00:00Z');
    const fleet = createFleet({ network: net, vehicles: 8, seed: 2, start, quirks: NO_QUIRKS });
    let n = 0;
    let bad = 0;
    fleet.advance(start + 1_200_000, (m) => {
      n++;
      if (!parseHfp(m.topic, m.payload).ok) bad++;
    });
    expect(n).toBeGreaterThan(8 * 1200 * 0.9);
    expect(bad).toBe(0);
    expect(fleet.stats().byEvent.ARS).toBeGreaterThan(0);
  });

  it('sim: a missing or broken GTFS source is a SIM_GTFS_INVALID error', () => {
    expect(() => loadGtfsNetwork('/nonexistent/gtfs.zip')).toThrow(SimError);
    const err = (() => {
      try {
        loadGtfsNetwork(join(root, 'package.json'));
      } catch (e) {
        return e as SimError;
      }
    })();
    expect(err?.code).toBe('SIM_GTFS_INVALID');
  });
});
