import { describe, expect, it } from 'vitest';
import { network } from '../../src/sim/builtin-network.ts';
import { PLACES } from '../../src/sim/helsinki-places.ts';
import { EAST_PLACES, EAST_VANTAA_PLACES } from '../../src/sim/helsinki-places-east.ts';
import { ESPOO_PLACES, OUTER_PLACES, VANTAA_PLACES } from '../../src/sim/helsinki-places-outer.ts';
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

  it("sim: over a hundred real HSL lines with peak headways of HSL's kind, Helsinki, Espoo and Vantaa", () => {
    expect(net.routes.length).toBeGreaterThanOrEqual(110);
    for (const r of net.routes) {
      const headway = 60 / (r.weight ?? 1);
      // Trunk buses and trams every 5-10 min at a weekday peak; feeder buses up to every 20.
      expect(headway, r.line).toBeGreaterThanOrEqual(5);
      expect(headway, r.line).toBeLessThanOrEqual(r.mode === 'tram' ? 15 : 20);
      // Route ids in HSL's series: 1xxx Helsinki, 2xxx Espoo, 4xxx Vantaa; the line is the id's number.
      expect(r.routeId).toMatch(/^[124]\d{3}[A-Z]?$/);
      expect(r.routeId.slice(1).replace(/^0+/, '')).toBe(r.line);
    }
    // Stop numbers by municipality, as HSL's: Helsinki 1xxxxxx, Espoo 2xxxxxx, Vantaa 4xxxxxx.
    const stopSeries = (name: string) =>
      new Set([...net.stops.values()].filter((s) => s.name === name).map((s) => s.id[0]));
    expect(stopSeries('Rautatientori')).toEqual(new Set(['1']));
    expect(stopSeries('Tapiola')).toEqual(new Set(['2']));
    expect(stopSeries('Tikkurilan asema')).toEqual(new Set(['4']));
    expect(stopSeries('Myyrmäki')).toEqual(new Set(['4']));
    expect(stopSeries('Rekolan asema')).toEqual(new Set(['4']));
    expect(stopSeries('Jakomäki')).toEqual(new Set(['1']));
    for (const k of EAST_VANTAA_PLACES) expect(k in EAST_PLACES, k).toBe(true);
    for (const k of [...ESPOO_PLACES, ...VANTAA_PLACES])
      expect(k in OUTER_PLACES || k in PLACES, k).toBe(true);
    const series = new Set(net.routes.map((r) => r.routeId[0]));
    expect([...series].sort()).toEqual(['1', '2', '4']);
    // Vehicles the timetable needs at these headways (runs plus terminus recovery): a weekday peak's
    // worth for this part of HSL's network.
    const need = net.routes.reduce(
      (sum, r) =>
        sum + r.directions.reduce((s, d) => s + (d.runSeconds ?? 0) + 400, 0) / 60 / (60 / (r.weight ?? 1)),
      0,
    );
    expect(need).toBeGreaterThan(400);
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
