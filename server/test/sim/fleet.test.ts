import { distanceMeters, parseHfp, type VehiclePosition } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { network } from '../../src/sim/builtin-network.ts';
import { createFleet, type SimMessage } from '../../src/sim/fleet.ts';
import type { Network } from '../../src/sim/network.ts';
import { NO_QUIRKS, quirkRates } from '../../src/sim/quirks.ts';
import { miniNetwork } from './mini-network.ts';

const START = Date.parse('2026-11-27T06:30:00Z');
const net = network();

/** Advances in slices, yielding between them so the test worker stays responsive on a busy machine. */
async function run(
  vehicles: number,
  seconds: number,
  opts: { seed?: number; quirks?: typeof NO_QUIRKS; slices?: number; network?: Network } = {},
) {
  const fleet = createFleet({
    network: opts.network ?? net,
    vehicles,
    seed: opts.seed ?? 7,
    start: START,
    quirks: opts.quirks ?? NO_QUIRKS,
  });
  const out: SimMessage[] = [];
  const slices = Math.max(opts.slices ?? 1, Math.ceil((vehicles * seconds) / 5000));
  for (let i = 1; i <= slices; i++) {
    fleet.advance(START + Math.round((seconds * 1000 * i) / slices), (m) => out.push(m));
    await new Promise((r) => setImmediate(r));
  }
  return { fleet, out };
}

function byVehicle(messages: SimMessage[]): Map<string, SimMessage[]> {
  const map = new Map<string, SimMessage[]>();
  for (const m of messages) {
    const list = map.get(m.vehicleId) ?? [];
    list.push(m);
    map.set(m.vehicleId, list);
  }
  return map;
}

function parsed(m: SimMessage): VehiclePosition {
  const r = parseHfp(m.topic, m.payload);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail} in ${m.topic} ${m.payload}`);
  return r.value;
}

describe('sim fleet', () => {
  it("sim: at start a line's vehicles are spread along it, never two within 50 m, in service at an even headway", async () => {
    // The first VP of every vehicle of the default fleet, by line (deadrun payloads keep the route).
    const { out } = await run(1000, 1);
    const first = new Map<string, { route: string; lon: number; lat: number; dir: number | null }>();
    for (const m of out) {
      if (!m.topic.includes('/vp/') || first.has(m.vehicleId)) continue;
      const r = parseHfp(m.topic, m.payload);
      if (!r.ok) throw new Error(r.reason);
      first.set(m.vehicleId, {
        route: r.message.payload.route!,
        lon: r.value.lon,
        lat: r.value.lat,
        dir: r.value.direction,
      });
    }
    expect(first.size).toBe(1000);
    const byRoute = new Map<string, { lon: number; lat: number; dir: number | null }[]>();
    for (const v of first.values()) byRoute.set(v.route, [...(byRoute.get(v.route) ?? []), v]);
    expect(byRoute.size).toBe(net.routes.length);
    let closest = Number.POSITIVE_INFINITY;
    for (const [route, vs] of byRoute) {
      // Both directions in service on every line with a few vehicles.
      const dirs = new Set(vs.map((v) => v.dir).filter((d) => d !== null));
      if (vs.length >= 6) expect(dirs, route).toEqual(new Set([1, 2]));
      for (let i = 0; i < vs.length; i++)
        for (let j = i + 1; j < vs.length; j++) {
          const d = distanceMeters([vs[i]!.lon, vs[i]!.lat], [vs[j]!.lon, vs[j]!.lat]);
          closest = Math.min(closest, d);
          expect(d, `two vehicles of route ${route} ${d.toFixed(0)} m apart`).toBeGreaterThanOrEqual(50);
        }
    }
    expect(closest).toBeGreaterThanOrEqual(50);
  });

  it('sim: a peak fleet runs trams at their timetable headways and spreads the rest over the bus lines alike', async () => {
    // One second of a 1,000-vehicle fleet: each vehicle's first message names its route.
    const { out } = await run(1000, 1);
    const perRoute = new Map<string, Set<string>>();
    for (const m of out) {
      const route = /"route":"([^"]+)"/.exec(m.payload)?.[1];
      if (!route) continue;
      const s = perRoute.get(route) ?? new Set();
      s.add(m.vehicleId);
      perRoute.set(route, s);
    }
    // Implied headway = the line's cycle (both runs + recovery at each terminus) / its vehicles, as a
    // share of its timetable headway: 1 for trams (the network has all of HSL's tram lines), and one
    // fleet-wide factor for the buses, which stand in for the bus lines the network lacks.
    const factors = { tram: [] as number[], bus: [] as number[] };
    for (const r of net.routes) {
      const n = perRoute.get(r.routeId)?.size ?? 0;
      const cycle = r.directions.reduce((s, d) => s + (d.runSeconds ?? 0) + 400, 0);
      if (n < 8) continue; // rounding dominates on the smallest lines
      factors[r.mode].push(cycle / n / 60 / (60 / (r.weight ?? 1)));
    }
    for (const f of factors.tram) {
      expect(f).toBeGreaterThan(0.85);
      expect(f).toBeLessThan(1.15);
    }
    const bus = factors.bus.sort((a, b) => a - b);
    expect(bus.length).toBeGreaterThan(20);
    const median = bus[Math.floor(bus.length / 2)]!;
    expect(median).toBeLessThan(0.8); // more buses than the modelled lines' timetable needs
    expect(bus[0]! / median).toBeGreaterThan(0.8);
    expect(bus.at(-1)! / median).toBeLessThan(1.25);
  });

  it('sim: the same seed gives the same messages, however time is sliced', async () => {
    const a = await run(30, 120, { seed: 3, quirks: quirkRates({}) });
    const b = await run(30, 120, { seed: 3, quirks: quirkRates({}), slices: 37 });
    const c = await run(30, 120, { seed: 4, quirks: quirkRates({}) });
    const key = (m: SimMessage) => `${m.vehicleId} ${m.sentAt} ${m.topic} ${m.payload}`;
    expect(b.out.map(key).sort()).toEqual(a.out.map(key).sort());
    expect(c.out.map(key).sort()).not.toEqual(a.out.map(key).sort());
  });

  it('sim: every vehicle sends one VP a second at its own sub-second phase, and all messages parse', async () => {
    const { fleet, out } = await run(200, 60);
    expect(fleet.size).toBe(200);
    const phases = new Set<number>();
    for (const [, list] of byVehicle(out)) {
      // The vehicle's own VPs; `upcoming` ones announce its next journey beside them.
      const vps = list.filter((m) => m.topic.includes('/vp/') && !m.topic.includes('/upcoming/'));
      expect(vps.length).toBe(60);
      const times = vps.map((m) => parsed(m).eventTime);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(1000);
      phases.add(times[0]! % 1000);
    }
    // 200 vehicles spread over 1,000 ms slots: nearly all distinct.
    expect(phases.size).toBeGreaterThan(150);
    for (const m of out) parsed(m);
  });

  it('sim: vehicles move like buses and trams: speeds, acceleration, headings from the path', async () => {
    const { out } = await run(100, 300);
    let maxBus = 0;
    let maxTram = 0;
    let maxAcc = 0;
    let moving = 0;
    let vps = 0;
    let noHeading = 0;
    let outside = 0;
    for (const m of out) {
      if (!m.topic.includes('/vp/')) continue;
      const p = parsed(m);
      vps++;
      if (p.mode === 'bus') maxBus = Math.max(maxBus, p.speed ?? 0);
      if (p.mode === 'tram') maxTram = Math.max(maxTram, p.speed ?? 0);
      maxAcc = Math.max(maxAcc, Math.abs(p.acceleration ?? 0));
      if ((p.speed ?? 0) > 1) moving++;
      if (p.heading === null) noHeading++;
      // The HSL area the built-in network covers: Kauklahti in the west to Vuosaari, Korso in the north.
      if (p.lat < 60.1 || p.lat > 60.4 || p.lon < 24.55 || p.lon > 25.25) outside++;
    }
    expect(noHeading).toBe(0);
    expect(outside).toBe(0);
    expect(maxBus).toBeGreaterThan(8);
    expect(maxBus).toBeLessThanOrEqual(12 * 1.1 + 0.01);
    expect(maxTram).toBeLessThanOrEqual(8 * 1.1 + 0.01);
    expect(maxTram).toBeLessThan(maxBus);
    expect(maxAcc).toBeLessThanOrEqual(1.5 + 0.01);
    expect(moving).toBeGreaterThan(vps * 0.3);
  });

  it('sim: stops: DUE, ARR, ARS, DOO 10-30 s, DOC, PDE, DEP in order, next stop moves on at DEP with geohash level 0', async () => {
    const { out } = await run(60, 900);
    let checked = 0;
    for (const [, list] of byVehicle(out)) {
      const events = list.map((m) => ({ m, p: parsed(m) }));
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.p.eventType !== 'ars' || e.p.journeyType !== 'journey') continue;
        const rest = events.slice(i + 1).filter((x) => x.p.eventType !== 'vp' && x.p.stop === e.p.stop);
        const kinds = rest.map((x) => x.p.eventType);
        const doo = rest.find((x) => x.p.eventType === 'doo');
        const doc = rest.find((x) => x.p.eventType === 'doc');
        const dep = rest.find((x) => x.p.eventType === 'dep');
        if (!doo || !doc || !dep || kinds.includes('vjout') || kinds.includes('wait')) continue;
        expect(kinds.indexOf('doo')).toBeLessThan(kinds.indexOf('doc'));
        expect(kinds.indexOf('doc')).toBeLessThan(kinds.indexOf('pde'));
        expect(kinds.indexOf('pde')).toBeLessThan(kinds.indexOf('dep'));
        const dwell = (doc.p.eventTime - doo.p.eventTime) / 1000;
        expect(dwell).toBeGreaterThanOrEqual(9);
        expect(dwell).toBeLessThanOrEqual(31);
        expect(doo.p.doorsOpen).toBe(true);
        expect(doc.p.doorsOpen).toBe(false);
        expect(dep.p.nextStop).not.toBe(e.p.stop);
        expect(dep.m.topic.split('/')[14]).toBe('0');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('sim: journeys end with VJOUT, run dead, and sign in to the next journey with VJA', async () => {
    const { out } = await run(10, 3600, { network: miniNetwork() });
    let cycles = 0;
    for (const [, list] of byVehicle(out)) {
      // Parse only the events (and the first deadrun VP): VPs are most of the volume.
      const events = list.filter((m) => !m.topic.includes('/journey/ongoing/vp/'));
      const vjout = events.findIndex((m) => m.topic.includes('/vjout/'));
      if (vjout < 0) continue;
      const dead = events.findIndex((m, i) => i > vjout && m.topic.startsWith('/hfp/v2/deadrun/'));
      const vja = events.findIndex((m, i) => i > dead && m.topic.includes('/vja/'));
      if (dead < 0 || vja < 0) continue;
      const before = parsed(events[vjout]!);
      const deadrun = parsed(events[dead]!);
      const after = parsed(events[vja]!);
      expect(deadrun.journeyType).toBe('deadrun');
      expect(deadrun.routeId).toBeNull();
      expect(after.routeId).toBe(before.routeId);
      expect(after.direction).not.toBe(before.direction);
      expect(after.startTime).not.toBe(before.startTime);
      const dep = events.slice(vja).find((m) => m.topic.includes('/dep/'));
      if (dep) expect(parsed(dep).odometer).toBeLessThan(500);
      cycles++;
    }
    expect(cycles).toBeGreaterThan(5);
  });

  it('sim: quirks at their default rates: missing VPs, duplicates, late backlogs, skewed clocks', async () => {
    const quirks = quirkRates({ backlogPerVehicleHour: 12 });
    const { fleet, out } = await run(200, 300, { quirks });
    const s = fleet.stats();
    const vps = s.byEvent.VP ?? 0;
    expect(s.droppedPositions / vps).toBeGreaterThan(0.02);
    expect(s.droppedPositions / vps).toBeLessThan(0.04);
    expect(s.duplicates / s.messages).toBeGreaterThan(0.005);
    expect(s.duplicates / s.messages).toBeLessThan(0.02);
    expect(s.backlogged).toBeGreaterThan(0);
    // A backlog arrives after newer messages of the same vehicle: out of order by event time.
    let late = 0;
    for (const [, list] of byVehicle(out)) {
      let newest = 0;
      for (const m of list) {
        const t = Date.parse(/"tst":"([^"]+)"/.exec(m.payload)![1]!);
        if (t < newest - 5000) late++;
        newest = Math.max(newest, t);
      }
    }
    expect(late).toBeGreaterThan(0);
    const exact = new Set<string>();
    let repeats = 0;
    for (const m of out) {
      const k = m.topic + m.payload;
      if (exact.has(k)) repeats++;
      exact.add(k);
    }
    // Duplicates still held in a backlog at the end have not been sent yet.
    expect(repeats).toBeLessThanOrEqual(s.duplicates);
    expect(repeats).toBeGreaterThan(s.duplicates * 0.9);
  });

  it('sim: malformed payloads are opt-in and rejected by the parser', async () => {
    const clean = await run(50, 60, { quirks: quirkRates({}) });
    expect(clean.out.every((m) => parseHfp(m.topic, m.payload).ok)).toBe(true);
    const broken = await run(50, 60, { quirks: { ...NO_QUIRKS, malformed: 0.05 } });
    const rejected = broken.out.filter((m) => !parseHfp(m.topic, m.payload).ok).length;
    expect(rejected).toBe(broken.fleet.stats().malformed);
    expect(rejected).toBeGreaterThan(50 * 60 * 0.02);
  });
});
