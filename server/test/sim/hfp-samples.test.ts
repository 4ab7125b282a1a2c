/**
 * The simulator's messages against HSL's real captures: same field names in the same order per event
 * type, same JSON types, values in the same ranges, same topic shape. Skips when the captures are absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCaptureLine } from '@realtimemap/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { network } from '../../src/sim/builtin-network.ts';
import { createFleet, type SimMessage } from '../../src/sim/fleet.ts';
import { quirkRates } from '../../src/sim/quirks.ts';

const SAMPLES = fileURLToPath(new URL('../../../../shared/hfp-samples', import.meta.url));
const present = existsSync(SAMPLES);

interface Profile {
  keyOrders: Map<string, number>;
  types: Map<string, Set<string>>;
  min: Map<string, number>;
  max: Map<string, number>;
  topicLevels: Set<number>;
}

function profile(messages: Iterable<{ topic: string; payload: string }>): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const { topic, payload } of messages) {
    const json = JSON.parse(payload) as Record<string, Record<string, unknown>>;
    const [event] = Object.keys(json);
    const body = json[event!]!;
    const kind = `${topic.split('/')[3]}:${event}`; // journey:VP, deadrun:VP, ...
    const p = out.get(kind) ?? {
      keyOrders: new Map(),
      types: new Map(),
      min: new Map(),
      max: new Map(),
      topicLevels: new Set(),
    };
    out.set(kind, p);
    const order = Object.keys(body).join(',');
    p.keyOrders.set(order, (p.keyOrders.get(order) ?? 0) + 1);
    p.topicLevels.add(topic.split('/').length);
    for (const [k, v] of Object.entries(body)) {
      const t = v === null ? 'null' : typeof v;
      const set = p.types.get(k) ?? new Set();
      set.add(t);
      p.types.set(k, set);
      if (typeof v === 'number') {
        p.min.set(k, Math.min(p.min.get(k) ?? v, v));
        p.max.set(k, Math.max(p.max.get(k) ?? v, v));
      }
    }
  }
  return out;
}

function readSamples(): { topic: string; payload: string }[] {
  const lines: { topic: string; payload: string }[] = [];
  for (const f of readdirSync(SAMPLES).filter((n) => n.endsWith('.hfp'))) {
    for (const text of readFileSync(`${SAMPLES}/${f}`, 'utf8').split('\n')) {
      const l = parseCaptureLine(text);
      if (l) lines.push(l);
    }
  }
  return lines;
}

/** Plausible bounds where the captures (a few vehicles, minutes each) are too narrow to judge by. */
const BOUNDS: Record<string, [number, number]> = {
  spd: [0, 25],
  hdg: [0, 360],
  acc: [-3, 3],
  dl: [-1800, 1800],
  odo: [0, 60_000],
  lat: [60.1, 60.4],
  long: [24.55, 25.25],
  occu: [0, 100],
  drst: [0, 1],
  line: [1, 9999],
  jrn: [1, 9999],
  stop: [1_000_000, 9_999_999],
  veh: [1, 99_999],
  oper: [1, 99],
  tsi: [1e9, 3e9],
  'dr-type': [0, 1],
  block: [1, 9999],
};

describe.skipIf(!present)(
  `sim messages against real captures${present ? '' : ' (skipped: ../shared/hfp-samples absent)'}`,
  () => {
    const real = present ? profile(readSamples()) : new Map<string, Profile>();
    const start = Date.parse('2026-11-27T07:00:00Z');
    const simulated: SimMessage[] = [];
    let sim = new Map<string, Profile>();
    beforeAll(async () => {
      const fleet = createFleet({
        network: network(),
        vehicles: 40,
        seed: 11,
        start,
        quirks: quirkRates({}),
      });
      // In slices, yielding, so the worker stays responsive on a busy machine.
      for (let t = 60_000; t <= 25 * 60_000; t += 60_000) {
        fleet.advance(start + t, (m) => simulated.push(m));
        await new Promise((r) => setImmediate(r));
      }
      sim = profile(simulated);
    });

    it('sim: produces every event kind the captures have that a bus or tram journey makes', () => {
      for (const kind of [
        'journey:VP',
        'deadrun:VP',
        'journey:DUE',
        'journey:ARR',
        'journey:ARS',
        'journey:DOO',
        'journey:DOC',
        'journey:PDE',
        'journey:DEP',
        'journey:VJA',
        'journey:VJOUT',
      ]) {
        expect(real.has(kind), `captures have ${kind}`).toBe(true);
        expect(sim.has(kind), `sim sends ${kind}`).toBe(true);
      }
    });

    it('sim: field names and their order match the captures for each event kind', () => {
      for (const [kind, s] of sim) {
        const r = real.get(kind);
        if (!r) continue;
        const realOrders = new Set(r.keyOrders.keys());
        for (const order of s.keyOrders.keys()) expect(realOrders, `${kind} field order`).toContain(order);
      }
    });

    it('sim: JSON types per field are ones the captures use, and values lie in real ranges', () => {
      for (const [kind, s] of sim) {
        const r = real.get(kind);
        if (!r) continue;
        for (const [field, types] of s.types) {
          for (const t of types) {
            // HSL documents null coordinates (no fix); the captures just happen to have none.
            if (t === 'null' && (field === 'lat' || field === 'long')) continue;
            expect(r.types.get(field), `${kind}.${field} as ${t}`).toContain(t);
          }
          const lo = s.min.get(field);
          const hi = s.max.get(field);
          if (lo === undefined || hi === undefined) continue;
          const [bLo, bHi] = BOUNDS[field] ?? [r.min.get(field)!, r.max.get(field)!];
          expect(lo, `${kind}.${field} min`).toBeGreaterThanOrEqual(Math.min(bLo, r.min.get(field) ?? bLo));
          expect(hi, `${kind}.${field} max`).toBeLessThanOrEqual(Math.max(bHi, r.max.get(field) ?? bHi));
        }
      }
    });

    it('sim: topics have the captures shape: levels, geohash, geohash level, time and date formats', () => {
      for (const [kind, s] of sim) {
        const r = real.get(kind);
        if (r) expect([...s.topicLevels]).toEqual([...r.topicLevels]);
      }
      const bad: string[] = [];
      const check = (ok: boolean, what: string, m: SimMessage) => {
        if (!ok && bad.length < 5) bad.push(`${what}: ${m.topic}`);
      };
      for (const m of simulated) {
        const levels = m.topic.split('/');
        if (levels[3] === 'deadrun') {
          check(levels.length === 9, 'deadrun levels', m);
          continue;
        }
        // TLR / TLA topics carry the junction id as one more level after the geohash.
        const tlp = levels[5] === 'tlr' || levels[5] === 'tla';
        if (tlp) check(/^\d{1,4}$/.test(levels.pop()!), 'junction id level', m);
        check(levels.length === 19, 'journey levels', m);
        check(/^\d\d:\d\d$/.test(levels[12]!), 'start time', m);
        check(/^(\d{7}|EOL)$/.test(levels[13]!), 'next stop', m);
        // No fix: geohash level and geohash are `0////` (HSL's documented form), the payload says null.
        const noFix = levels.slice(14).join('/') === '0////';
        check(noFix === m.payload.includes('"lat":null,"long":null'), 'null position <-> 0////', m);
        check(noFix || /^[0-5]$/.test(levels[14]!), 'geohash level', m);
        check(noFix || /^60;2[45]\/\d\d\/\d\d\/\d\d$/.test(levels.slice(15).join('/')), 'geohash', m);
        check(/"tst":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/.test(m.payload), 'tst', m);
        check(/"oday":"\d{4}-\d\d-\d\d"/.test(m.payload), 'oday', m);
      }
      expect(bad).toEqual([]);
    });
  },
);
