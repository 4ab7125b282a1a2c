import { describe, expect, it } from 'vitest';
import { network } from '../../src/sim/builtin-network.ts';
import { networkGeoJson } from '../../src/sim/network-geojson.ts';
import { buildPolyline } from '../../src/sim/polyline.ts';
import { loadOsmRoads } from './osm-roads.ts';

const net = network();

describe('sim built-in network', () => {
  it('sim: the built-in network has at least 25 HSL lines, buses and trams, two directions each with stops', () => {
    expect(net.routes.length).toBeGreaterThanOrEqual(25);
    expect(net.routes.filter((r) => r.mode === 'tram').length).toBeGreaterThanOrEqual(8);
    expect(net.routes.filter((r) => r.mode === 'bus').length).toBeGreaterThanOrEqual(10);
    expect(new Set(net.routes.map((r) => r.routeId)).size).toBe(net.routes.length);
    for (const r of net.routes) {
      expect(r.routeId).toMatch(/^\d{4}[A-Z]?$/);
      expect(r.directions.map((d) => d.direction)).toEqual([1, 2]);
      for (const d of r.directions) {
        expect(d.stopIds.length).toBeGreaterThanOrEqual(3);
        for (const id of d.stopIds) expect(net.stops.has(id)).toBe(true);
        expect(buildPolyline(d.path).length).toBeGreaterThan(1000);
      }
      // Direction 2 runs the same way back.
      expect(r.directions[1]!.path[0]).toEqual(r.directions[0]!.path.at(-1));
    }
  });

  it('sim: networkGeoJson has a LineString per route direction and a Point per stop', () => {
    const g = networkGeoJson(net);
    const lines = g.features.filter((f) => f.geometry.type === 'LineString');
    const points = g.features.filter((f) => f.geometry.type === 'Point');
    expect(lines.length).toBe(net.routes.length * 2);
    expect(points.length).toBe(net.stops.size);
    expect(lines[0]!.properties).toMatchObject({ routeId: '1001', line: '1', mode: 'tram', direction: 1 });
    expect(points[0]!.properties.stopId).toMatch(/^\d{7}$/);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });

  const roads = loadOsmRoads();
  it.skipIf(!roads)(
    `sim: at least 90% of route points in the OSM extract lie within 25 m of a road or tram track${roads ? '' : ' (skipped: ../shared/osm/helsinki-centre.osm.pbf absent)'}`,
    () => {
      let inside = 0;
      let near = 0;
      const perLine = new Map<string, [number, number]>();
      for (const r of net.routes) {
        for (const d of r.directions) {
          const line = buildPolyline(d.path);
          for (let s = 0; s <= line.length; s += 10) {
            const p = line.at(s);
            if (!roads!.contains([p.lon, p.lat])) continue;
            inside++;
            const ok = roads!.distance([p.lon, p.lat]) <= 25;
            if (ok) near++;
            const c = perLine.get(r.line) ?? [0, 0];
            perLine.set(r.line, [c[0] + (ok ? 1 : 0), c[1] + 1]);
          }
        }
      }
      // Enough of the network crosses the extract for the check to mean something.
      expect(inside).toBeGreaterThan(2000);
      expect(perLine.size).toBeGreaterThanOrEqual(15);
      expect(near / inside).toBeGreaterThanOrEqual(0.9);
    },
  );
});
