/**
 * Shift changes and lost fixes: drivers relieved at a terminus (DOUT, DA), blocks ending in the day
 * (BOUT, DOUT, silence at the depot, then DA and BA for a new block), and VPs without a GPS fix
 * (`"lat":null,"long":null`, topic geohash `0////`). The sign-in events' payloads are checked against
 * the captured BOUT and HSL's HFP documentation (which fields DA / DOUT / BA lack); no capture has them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseCaptureLine, parseHfp } from '@realtimemap/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { network } from '../../src/sim/builtin-network.ts';
import { createFleet, type SimMessage } from '../../src/sim/fleet.ts';
import { NO_QUIRKS, quirkRates } from '../../src/sim/quirks.ts';
import { body, event, SAMPLES, samplesPresent, simulate } from './simulate.ts';

const START = Date.parse('2026-11-27T08:00:00Z');
const tst = (m: SimMessage) => Date.parse(body(m).tst as string);

/** The captured BOUT's fields; DA / DOUT lack `oday` (HSL's docs) and, like every non-block event, `block`. */
const BOUT_KEYS = 'oper,veh,tst,tsi,spd,hdg,lat,long,acc,odo,drst,oday,loc,dr-type,block';
const DRIVER_KEYS = 'oper,veh,tst,tsi,spd,hdg,lat,long,acc,odo,drst,loc,dr-type';

describe('sim shift changes', () => {
  const out: SimMessage[] = [];
  /** Per vehicle: its messages other than ongoing VPs, and the times of those VPs. */
  const events = new Map<string, SimMessage[]>();
  const vpTimes = new Map<string, number[]>();
  const MINUTES = 150;
  beforeAll(async () => {
    const fleet = createFleet({
      network: network(),
      vehicles: 100,
      seed: 5,
      start: START,
      quirks: NO_QUIRKS,
    });
    for (let t = 60_000; t <= MINUTES * 60_000; t += 60_000) {
      fleet.advance(START + t, (m) => {
        if (event(m) === 'vp' && !m.topic.includes('/upcoming/')) {
          const l = vpTimes.get(m.vehicleId) ?? [];
          l.push(m.sentAt);
          vpTimes.set(m.vehicleId, l);
          return;
        }
        out.push(m);
        events.set(m.vehicleId, [...(events.get(m.vehicleId) ?? []), m]);
      });
      await new Promise((r) => setImmediate(r));
    }
  });
  const END = START + MINUTES * 60_000;

  it('sim: DA, DOUT and BA go out on deadrun topics with the captured BOUT shape, less what HSL documents they lack', () => {
    const kinds = new Map<string, SimMessage[]>();
    for (const m of out) {
      const e = event(m);
      if (e === 'da' || e === 'dout' || e === 'ba' || e === 'bout')
        kinds.set(e, [...(kinds.get(e) ?? []), m]);
    }
    for (const e of ['da', 'dout', 'ba', 'bout']) expect(kinds.get(e)?.length ?? 0, e).toBeGreaterThan(0);
    let realTypes: Map<string, string> | null = null;
    if (samplesPresent) {
      const real = readdirSync(SAMPLES)
        .filter((n) => n.endsWith('.hfp'))
        .flatMap((f) => readFileSync(`${SAMPLES}/${f}`, 'utf8').split('\n'))
        .map((l) => parseCaptureLine(l))
        .find((l) => l?.topic.includes('/bout/'));
      expect(Object.keys(body(real!)).join(',')).toBe(BOUT_KEYS);
      realTypes = new Map(Object.entries(body(real!)).map(([k, v]) => [k, typeof v]));
    }
    for (const [e, msgs] of kinds) {
      for (const m of msgs) {
        expect(m.topic).toMatch(new RegExp(`^/hfp/v2/deadrun/ongoing/${e}/(bus|tram)/\\d{4}/\\d{5}$`));
        const b = body(m);
        expect(Object.keys(b).join(',')).toBe(e === 'ba' || e === 'bout' ? BOUT_KEYS : DRIVER_KEYS);
        expect(b['dr-type']).toBe(1);
        for (const [k, v] of Object.entries(b))
          if (realTypes) expect(typeof v, `${e}.${k}`).toBe(realTypes.get(k));
      }
    }
  });

  it('sim: a driver relieved at a terminus signs out (DOUT) and the next signs in (DA) minutes later; the vehicle runs on', () => {
    let reliefs = 0;
    for (const [id, msgs] of events) {
      msgs.forEach((m, i) => {
        // A block end's DOUT follows its BOUT; a relief's follows the journey's end.
        if (event(m) !== 'dout' || event(msgs[i - 1]!) === 'bout') return;
        const next = msgs
          .slice(i + 1, i + 60)
          .filter((n) => !n.topic.includes('/upcoming/'))
          .slice(0, 8);
        if (next.length === 0 || tst(m) > END - 6 * 60_000) return; // the run ended first
        reliefs++;
        expect(event(msgs[i - 1]!)).toBe('vjout');
        expect(event(next[0]!)).toBe('da');
        const gap = tst(next[0]!) - tst(m);
        expect(gap).toBeGreaterThanOrEqual(60_000);
        expect(gap).toBeLessThanOrEqual(300_000);
        // Then the vehicle signs in to its next journey, with no block change in between.
        const kinds = next.map(event);
        const vja = kinds.indexOf('vja');
        expect(vja).toBeGreaterThan(0);
        expect(kinds.slice(0, vja)).not.toContain('ba');
        // Its VPs go on at one a second through the change.
        const vps = vpTimes.get(id)!.filter((t) => t >= tst(m) && t <= tst(next[0]!));
        expect(vps.length).toBeGreaterThanOrEqual(Math.floor(gap / 1000) - 2);
      });
    }
    expect(reliefs).toBeGreaterThan(5);
  });

  it('sim: a block ends at a terminus: BOUT, DOUT, silence for 20-60 min, then DA and BA for a new block and a journey', () => {
    let back = 0;
    let ended = 0;
    for (const [id, msgs] of events) {
      msgs.forEach((m, i) => {
        if (event(m) !== 'bout') return;
        ended++;
        expect(event(msgs[i - 1]!)).toBe('vjout');
        const dout = msgs[i + 1]!;
        expect(event(dout)).toBe('dout');
        const vps = vpTimes.get(id)!.filter((t) => t > tst(dout));
        if (vps.length === 0) return; // still at the depot when the run ended
        back++;
        const silent = vps[0]! - tst(dout);
        expect(silent).toBeGreaterThanOrEqual(19 * 60_000);
        expect(silent).toBeLessThanOrEqual(61 * 60_000);
        const after = msgs.slice(i + 2);
        expect(after.slice(0, 2).map(event)).toEqual(['da', 'ba']);
        expect(tst(after[0]!) - vps[0]!).toBeLessThan(1000);
        expect(body(after[1]!).block).not.toBe(body(m).block);
        if (tst(after[1]!) < END - 20 * 60_000) expect(after.map(event)).toContain('vja');
      });
    }
    expect(ended).toBeGreaterThan(0);
    expect(back).toBeGreaterThan(0);
  });
});

describe('sim lost GPS fixes', () => {
  it('sim: without a fix messages carry null coordinates, loc N/A and the 0//// geohash; the parser counts them as no_position', async () => {
    const out = await simulate(
      30,
      10,
      quirkRates({ noFixPerVehicleHour: 40, missingPosition: 0, duplicate: 0 }),
      { seed: 5, start: START },
    );
    const none = out.filter((m) => m.payload.includes('"lat":null'));
    expect(none.length).toBeGreaterThan(20);
    let journeyNone = 0;
    for (const m of none) {
      const b = body(m);
      expect(b.long).toBeNull();
      expect(b.loc).toBe('N/A');
      const levels = m.topic.split('/');
      if (levels[3] === 'journey') {
        journeyNone++;
        expect(levels.slice(14, 19).join('/')).toBe('0////');
      }
      const r = parseHfp(m.topic, m.payload);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('no_position');
    }
    expect(journeyNone).toBeGreaterThan(0);
    // The first journey message with a fix again has geohash level 0 (no previous position).
    const byVehicle = new Map<string, SimMessage[]>();
    for (const m of out)
      if (m.topic.includes('/journey/ongoing/'))
        byVehicle.set(m.vehicleId, [...(byVehicle.get(m.vehicleId) ?? []), m]);
    let regained = 0;
    for (const msgs of byVehicle.values())
      for (let i = 1; i < msgs.length; i++)
        if (msgs[i - 1]!.payload.includes('"lat":null') && !msgs[i]!.payload.includes('"lat":null')) {
          regained++;
          expect(msgs[i]!.topic.split('/')[14]).toBe('0');
        }
    expect(regained).toBeGreaterThan(0);
  });
});
