/**
 * The simulator's rarer feed behaviour: traffic-light priority (TLR/TLA), `upcoming` journeys, GPS
 * noise and bad fixes. TLR/TLA are checked against HSL's HFP documentation (the captures have none);
 * the rest against the real captures in ../shared/hfp-samples when present.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { distanceMeters, parseCaptureLine, parseHfp } from '@realtimemap/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../src/sim/fleet.ts';
import { NO_QUIRKS, quirkRates } from '../../src/sim/quirks.ts';
import { body, event, SAMPLES, samplesPresent, simulate } from './simulate.ts';

const START = Date.parse('2026-11-27T07:00:00Z');
const SEED = 21;

const vehicle = (m: { topic: string }) => m.topic.split('/').slice(7, 9).join('/');

/** The journey VP fields in feed order, then what each priority event adds (HSL's HFP 2.0 docs). */
const VP_KEYS =
  'desi,dir,oper,veh,tst,tsi,spd,hdg,lat,long,acc,dl,odo,drst,oday,jrn,line,start,loc,stop,route,occu';
const TLR_KEYS = `${VP_KEYS},sid,signal-groupid,tlp-signalgroupnbr,tlp-requestid,tlp-requesttype,tlp-prioritylevel,tlp-line-configid,tlp-point-configid,tlp-frequency,tlp-protocol,tlp-att-seq`;
const TLA_KEYS = `${VP_KEYS},tlp-requestid,tlp-decision`;

describe('sim feed events', () => {
  let out: SimMessage[] = [];
  beforeAll(async () => {
    out = await simulate(60, 20, quirkRates({}), { seed: SEED, start: START });
  });

  it('sim: traffic-light priority: TLR requests answered by a TLA with the same request id and junction', () => {
    const tlr = out.filter((m) => event(m) === 'tlr');
    const tla = out.filter((m) => event(m) === 'tla');
    expect(tlr.length).toBeGreaterThan(60);
    expect(tla.length).toBeGreaterThan(tlr.length * 0.8);
    for (const m of tlr) {
      const b = body(m);
      expect(Object.keys(b).join(',')).toBe(TLR_KEYS);
      expect(['NORMAL', 'DOOR_CLOSE']).toContain(b['tlp-requesttype']);
      expect(['normal', 'high']).toContain(b['tlp-prioritylevel']);
      expect(b.sid).toBe(Number(m.topic.split('/').at(-1)));
      expect(b['tlp-protocol']).toBe('KAR-MQTT');
      expect(b.spd as number).toBeGreaterThan(1);
      // The shared parser reads the priority fields (what a consumer of the feed would see); one sent
      // without a GPS fix is rejected as having no position.
      const r = parseHfp(m.topic, m.payload);
      expect(r.ok).toBe(b.lat !== null);
      if (r.ok) expect(r.message.payload.tlp?.sid).toBe(b.sid);
    }
    const asked = new Map<string, SimMessage>();
    for (const m of out) {
      const e = event(m);
      if (e === 'tlr') asked.set(`${vehicle(m)}#${body(m)['tlp-requestid']}`, m);
      if (e !== 'tla') continue;
      const b = body(m);
      expect(Object.keys(b).join(',')).toBe(TLA_KEYS);
      expect(['ACK', 'NAK']).toContain(b['tlp-decision']);
      const request = asked.get(`${vehicle(m)}#${b['tlp-requestid']}`);
      expect(request, 'a TLA answers an earlier TLR').toBeDefined();
      expect(m.topic.split('/').at(-1)).toBe(request!.topic.split('/').at(-1));
      const dt = Date.parse(b.tst as string) - Date.parse(body(request!).tst as string);
      expect(dt).toBeGreaterThan(0);
      expect(dt).toBeLessThan(3000);
    }
    const decisions = tla.map((m) => body(m)['tlp-decision']);
    expect(decisions.filter((d) => d === 'ACK').length).toBeGreaterThan(decisions.length * 0.6);
    expect(decisions).toContain('NAK');
  });

  it('sim: before signing in, the next journey is announced as upcoming VPs; the VJA then names it', () => {
    const upcoming = out.filter((m) => m.topic.startsWith('/hfp/v2/journey/upcoming/vp/'));
    expect(upcoming.length).toBeGreaterThan(20);
    const announced = new Map<string, SimMessage>();
    for (const m of out) {
      const v = vehicle(m);
      if (m.topic.startsWith('/hfp/v2/journey/upcoming/')) {
        const b = body(m);
        expect(Object.keys(b).join(',')).toBe(VP_KEYS);
        expect([b.dl, b.odo, b.stop]).toEqual([null, null, null]);
        // Next stop level: the first stop of the announced journey.
        expect(m.topic.split('/')[13]).toMatch(/^\d{7}$/);
        announced.set(v, m);
      } else if (event(m) === 'vja' && announced.has(v)) {
        const u = body(announced.get(v)!);
        const j = body(m);
        expect([j.route, j.dir, j.start, j.jrn, j.oday]).toEqual([u.route, u.dir, u.start, u.jrn, u.oday]);
        announced.delete(v);
      }
    }
  });

  it('sim: GPS noise: a standing vehicle drifts by centimetres, now and then a fix is tens of metres off', async () => {
    const steps: number[] = [];
    const last = new Map<string, [number, number]>();
    let badFixes = 0;
    for (const m of out) {
      if (!m.topic.includes('/ongoing/vp/')) continue;
      const b = body(m);
      const here: [number, number] = [b.long as number, b.lat as number];
      const before = last.get(vehicle(m));
      last.set(vehicle(m), here);
      if (!before) continue;
      const d = distanceMeters(before, here);
      if (b.spd === 0) steps.push(d);
      if (d > 25 + (b.spd as number) * 2) badFixes++;
    }
    steps.sort((a, b) => a - b);
    const median = steps[Math.floor(steps.length / 2)]!;
    expect(median).toBeGreaterThan(0); // not frozen
    expect(median).toBeLessThan(1); // but no wandering either
    expect(badFixes).toBeGreaterThan(0);
    // Without quirks, a standing vehicle reports exactly the same place.
    const clean = await simulate(20, 4, NO_QUIRKS, { seed: SEED, start: START });
    const still = new Map<string, string>();
    let moved = 0;
    for (const m of clean) {
      if (!m.topic.includes('/ongoing/vp/')) continue;
      const b = body(m);
      const key = `${b.lat},${b.long}`;
      const before = still.get(vehicle(m));
      if (b.spd === 0 && before && before !== key) moved++;
      still.set(vehicle(m), b.spd === 0 ? key : '');
    }
    expect(moved).toBe(0);
  });

  it.skipIf(!samplesPresent)('sim: upcoming VPs have the captures fields and null types', () => {
    const real = readdirSync(SAMPLES)
      .filter((n) => n.endsWith('.hfp'))
      .flatMap((f) => readFileSync(`${SAMPLES}/${f}`, 'utf8').split('\n'))
      .map((l) => parseCaptureLine(l))
      .filter((l) => l?.topic.startsWith('/hfp/v2/journey/upcoming/'));
    expect(real.length).toBeGreaterThan(0);
    const orders = new Set(real.map((l) => Object.keys(body(l!)).join(',')));
    const sim = out.filter((m) => m.topic.startsWith('/hfp/v2/journey/upcoming/'));
    for (const m of sim) expect(orders).toContain(Object.keys(body(m)).join(','));
    for (const field of ['dl', 'odo', 'stop'])
      expect(new Set(real.map((l) => body(l!)[field]))).toEqual(new Set([null]));
    expect(sim[0]!.topic.split('/').length).toBe(real[0]!.topic.split('/').length);
  });

  it('sim: at the end of the service day vehicles sign out of their block (BOUT), go quiet, and come back in the morning', async () => {
    // 01:15 Helsinki time (UTC+2 in November) to 05:30: the night.
    const night = Date.parse('2026-11-27T23:15:00Z');
    const msgs = await simulate(12, 255, NO_QUIRKS, { seed: SEED, start: night });
    const bouts = msgs.filter((m) => event(m) === 'bout');
    const tst = (m: SimMessage) => Date.parse(/"tst":"([^"]+)"/.exec(m.payload)![1]!);
    expect(new Set(bouts.map(vehicle)).size).toBe(12);
    // Most sign off at the end of the day; a block may also end earlier at a terminus (shift change).
    expect(bouts.filter((b) => tst(b) >= Date.parse('2026-11-27T23:30:00Z')).length).toBeGreaterThanOrEqual(
      9,
    );
    for (const b of bouts) {
      expect(b.topic).toMatch(/^\/hfp\/v2\/deadrun\/ongoing\/bout\/(bus|tram)\/\d{4}\/\d{5}$/);
      const f = body(b);
      expect(Object.keys(f).join(',')).toBe(
        'oper,veh,tst,tsi,spd,hdg,lat,long,acc,odo,drst,oday,loc,dr-type,block',
      );
      expect(f.odo as number).toBeGreaterThan(0);
      // The driver signs out of the vehicle too (DOUT), then it is silent until service starts again
      // at 05:00 local; back, a driver signs in (DA) and takes a block (BA) before the first journey.
      const signedOff = Date.parse(f.tst as string);
      const after = msgs.filter((m) => m.vehicleId === vehicle(b) && tst(m) > signedOff);
      expect(event(after[0]!)).toBe('dout');
      const firstBack = after[1];
      expect(firstBack, `${vehicle(b)} back in the morning`).toBeDefined();
      expect(tst(firstBack!)).toBeGreaterThanOrEqual(Date.parse('2026-11-28T03:00:00Z'));
      const events = after.slice(1).map(event);
      expect(events.indexOf('da')).toBeGreaterThan(-1);
      expect(events.indexOf('ba')).toBeGreaterThan(events.indexOf('da'));
      expect(events.indexOf('vja')).toBeGreaterThan(events.indexOf('ba'));
    }
  });

  it.skipIf(!samplesPresent)('sim: BOUT has the captures field order and types', async () => {
    const real = readdirSync(SAMPLES)
      .filter((n) => n.endsWith('.hfp'))
      .flatMap((f) => readFileSync(`${SAMPLES}/${f}`, 'utf8').split('\n'))
      .map((l) => parseCaptureLine(l))
      .filter((l) => l?.topic.includes('/bout/'));
    expect(real.length).toBeGreaterThan(0);
    const msgs = await simulate(6, 60, NO_QUIRKS, { seed: SEED, start: Date.parse('2026-11-27T23:15:00Z') });
    const sim = msgs.filter((m) => event(m) === 'bout');
    expect(sim.length).toBeGreaterThan(0);
    const orders = new Set(real.map((l) => Object.keys(body(l!)).join(',')));
    const types = (b: Record<string, unknown>) =>
      Object.entries(b)
        .map(([k, v]) => `${k}:${v === null ? 'null' : typeof v}`)
        .join(',');
    const realTypes = new Set(real.map((l) => types(body(l!))));
    for (const m of sim) {
      expect(orders).toContain(Object.keys(body(m)).join(','));
      expect(realTypes).toContain(types(body(m)));
      expect(m.topic.split('/').length).toBe(real[0]!.topic.split('/').length);
    }
  });
});
