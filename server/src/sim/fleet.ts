/**
 * The simulated fleet: vehicles spread over the network by line weight, stepped once a simulated
 * second each (at a fixed per-vehicle sub-second phase), their messages formatted as HFP and passed
 * through the feed's quirks. Pure computation: no timers, no sockets (the simulator drives it).
 */
import { hfpGeohashLevel } from '@realtimemap/shared';
import {
  formatPayload,
  formatTopic,
  isBlockSignInOut,
  isSignInOut,
  type JourneyFields,
  type MessageFields,
} from './hfp-format.ts';
import { helsinkiTime } from './local-time.ts';
import type { Network } from './network.ts';
import { DEFAULT_QUIRKS, type QuirkRates } from './quirks.ts';
import { createRandom, type Random } from './random.ts';
import {
  buildRunPath,
  type Journey,
  type RunPath,
  runMs,
  SimVehicle,
  type UpcomingJourney,
  type VehicleMessage,
} from './vehicle.ts';

/** One MQTT message to publish. */
export interface SimMessage {
  readonly topic: string;
  readonly payload: string;
  /** Simulated time the vehicle sends it, ms (later than the payload's `tst` for backlogged ones). */
  readonly sentAt: number;
  readonly vehicleId: string;
}

export interface FleetStats {
  readonly vehicles: number;
  /** Messages handed out (including duplicates and flushed backlogs). */
  readonly messages: number;
  readonly byEvent: Readonly<Record<string, number>>;
  readonly droppedPositions: number;
  readonly duplicates: number;
  readonly backlogged: number;
  readonly malformed: number;
}

export interface FleetOptions {
  readonly network: Network;
  readonly vehicles: number;
  readonly seed: number;
  /** Simulated time the fleet starts at, ms. */
  readonly start: number;
  readonly quirks?: QuirkRates;
}

interface Extra {
  /** Per-vehicle quirk randomness: output per vehicle does not depend on how time is sliced. */
  readonly q: Random;
  lastGeo: [number, number] | null;
  lastJourney: JourneyFields | null | undefined;
  backlogUntil: number;
  held: SimMessage[];
  jf: JourneyFields | null;
  jfJourney: Journey | null;
  jfRun: RunPath | null;
  /** GPS error state, metres east / north. */
  noiseE: number;
  noiseN: number;
  badUntil: number;
  badE: number;
  badN: number;
  /** No GPS fix until then (ms): positions go out as null. */
  noFixUntil: number;
  /** The announced next journey's fields and the geohash state of its `upcoming` topic. */
  upPlan: UpcomingJourney | null;
  upFields: JourneyFields | null;
  upJourney: JourneyFields | null | undefined;
  upGeo: [number, number] | null;
}

export interface Fleet {
  readonly size: number;
  /** Steps every vehicle up to `to` (simulated ms), handing each message to `emit` in order. */
  advance(to: number, emit: (m: SimMessage) => void): void;
  stats(): FleetStats;
  /** The vehicle ids, `<operator>/<number>`. */
  vehicleIds(): string[];
}

function allocate(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

/**
 * Vehicles per route from each route's demand (departures an hour x cycle seconds). A fleet larger
 * than the timetable needs runs the modes the network has every line of (`completeModes`) at their
 * timetable headway and spreads the rest over the other lines, which stand in for the ones the
 * network lacks; otherwise every line is scaled alike.
 */
function shareFleet(network: Network, demand: readonly number[], total: number): number[] {
  const complete = new Set(network.completeModes ?? []);
  const need = demand.map((d) => d / 3600);
  const fixed = network.routes.map((r, i) => (complete.has(r.mode) ? Math.round(need[i]!) : 0));
  const fixedTotal = fixed.reduce((a, b) => a + b, 0);
  const otherDemand = demand.map((d, i) => (complete.has(network.routes[i]!.mode) ? 0 : d));
  if (complete.size === 0 || total <= need.reduce((a, b) => a + b, 0) || otherDemand.every((d) => d === 0))
    return allocate(demand, total);
  const others = allocate(otherDemand, total - fixedTotal);
  return fixed.map((f, i) => f + others[i]!);
}

/** Where one vehicle starts: on a run at a distance, or waiting at that run's end (running dead). */
interface StartSlot {
  readonly run: RunPath;
  readonly distance: number;
  readonly deadrun: boolean;
}

/** Average time a vehicle spends at a terminus between journeys (./vehicle.ts: dead run + recovery). */
const TERMINUS_SECONDS = 400;
/** Share of a line's vehicles between journeys at the start (a weekday peak: most are in service). */
const DEADRUN_SHARE = 0.08;
/** Vehicles in service start at least this far from a terminus, where the ones running dead wait. */
const TERMINUS_MARGIN_M = 60;

/**
 * Start positions for a line's `n` vehicles at an even headway, as a timetable would have them: the
 * runs laid end to end (out and back) and the in-service vehicles spaced equally along them, with a
 * little jitter. The quarter-slot offset keeps a vehicle out of the spot where one running the other
 * way is (on a path that comes back the same way, slot k outbound meets slot n-1-k inbound at 0 or
 * 1/2 offsets). Up to one vehicle per terminus starts there running dead.
 */
function spreadAlongRoute(routeRuns: readonly RunPath[], n: number, rng: Random): StartSlot[] {
  if (n === 0 || routeRuns.length === 0) return [];
  const dead = Math.min(Math.round(n * DEADRUN_SHARE), routeRuns.length, n - 1);
  const margins = routeRuns.map((r) => Math.min(TERMINUS_MARGIN_M, r.line.length * 0.1));
  const interior = routeRuns.map((r, i) => Math.max(0, r.line.length - 2 * margins[i]!));
  const total = interior.reduce((a, b) => a + b, 0);
  const live = n - dead;
  const slots: StartSlot[] = [];
  for (let k = 0; k < live; k++) {
    let s = ((k + 0.25 + rng.range(-0.05, 0.05)) / live) * total;
    let i = 0;
    while (i < routeRuns.length - 1 && s >= interior[i]!) s -= interior[i++]!;
    slots.push({ run: routeRuns[i]!, distance: margins[i]! + Math.min(s, interior[i]!), deadrun: false });
  }
  for (let i = 0; i < dead; i++) {
    const run = routeRuns[i]!;
    slots.push({ run, distance: run.line.length, deadrun: true });
  }
  // Interleave, so vehicle numbers are not ordered by position (a depot hands them out mixed).
  for (let i = slots.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots;
}

export function createFleet(options: FleetOptions): Fleet {
  const { network, seed, start } = options;
  const quirks = options.quirks ?? DEFAULT_QUIRKS;
  const vehicleSeed = (i: number, salt: number) =>
    Math.imul(seed ^ salt, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b);
  const time = helsinkiTime();
  const stopAt = (id: string): readonly [number, number] => {
    const s = network.stops.get(id);
    return s ? [s.lon, s.lat] : [0, 0];
  };
  const runs: RunPath[] = [];
  for (const route of network.routes)
    for (const dir of route.directions) runs.push(buildRunPath(route, dir, stopAt));
  // A line needs (cycle time / headway) vehicles, and its frequency is its weight: so the fleet is
  // shared by weight x cycle (both runs and the recovery at each terminus), giving every line the
  // headway its weight asks for, scaled alike when the fleet is larger or smaller than the timetable's.
  const demand = network.routes.map((r) => {
    const roundTrip = runs
      .filter((run) => run.route === r)
      .reduce((sum, run) => sum + runMs(run) / 1000 + TERMINUS_SECONDS, 0);
    return (r.weight ?? 1) * Math.max(60, roundTrip);
  });
  const counts = shareFleet(network, demand, Math.max(0, Math.floor(options.vehicles)));
  const numbers = new Map<string, number>();
  const vehicles: SimVehicle[] = [];
  const extras: Extra[] = [];
  network.routes.forEach((route, ri) => {
    const routeRuns = runs.filter((r) => r.route === route);
    const slots = spreadAlongRoute(routeRuns, counts[ri]!, createRandom(vehicleSeed(ri, 0x2545f491)));
    for (let k = 0; k < counts[ri]!; k++) {
      const operatorId = route.operators[k % route.operators.length] ?? '0022';
      const n = (numbers.get(operatorId) ?? (route.mode === 'tram' ? 400 : 1000)) + 1;
      numbers.set(operatorId, n);
      const veh = n % 100_000;
      const index = vehicles.length;
      const vrng = createRandom(vehicleSeed(index, 0x1234567));
      const qrng = createRandom(vehicleSeed(index, 0x5bd1e995));
      const skew = qrng.chance(quirks.clockSkewVehicles)
        ? Math.round(qrng.range(-1, 1) * quirks.clockSkewMaxSeconds * 1000)
        : 0;
      const slot = slots[k]!;
      const run = slot.run;
      const v = new SimVehicle(
        {
          mode: route.mode,
          operatorId,
          vehicleNumber: String(veh).padStart(5, '0'),
          oper: Number(operatorId),
          veh,
        },
        routeRuns,
        vrng.int(100, 999),
        vrng.chance(0.25),
        skew,
        vrng,
        time,
        run,
        start,
      );
      if (slot.deadrun) {
        v.phase = 'deadrun';
        v.distance = run.line.length;
        v.nextStop = run.stopDistances.length - 1;
        v.journey = null;
        v.odo = null;
        v.lastRoute = route.routeId;
        v.lastStop = run.dir.stopIds[run.dir.stopIds.length - 1]!;
        v.until = start + vrng.int(0, 120) * 1000;
        v.placeAtDistance();
      } else v.placeMidJourney(start, slot.distance);
      vehicles.push(v);
      extras.push({
        q: qrng,
        lastGeo: null,
        lastJourney: undefined,
        backlogUntil: 0,
        held: [],
        jf: null,
        jfJourney: null,
        jfRun: null,
        noiseE: 0,
        noiseN: 0,
        badUntil: 0,
        badE: 0,
        badN: 0,
        noFixUntil: 0,
        upPlan: null,
        upFields: null,
        upJourney: undefined,
        upGeo: null,
      });
    }
  });

  const byEvent: Record<string, number> = {};
  let messages = 0;
  let droppedPositions = 0;
  let duplicates = 0;
  let backlogged = 0;
  let malformed = 0;
  const backlogPerTick = quirks.backlogPerVehicleHour / 3600;

  const journeyFields = (v: SimVehicle, x: Extra): JourneyFields | null => {
    const j = v.journey;
    if (!j) return null;
    const nextStop = v.topicNextStop();
    // Reused while the journey and next stop stay the same: the formatter caches per object.
    if (x.jf && x.jfJourney === j && x.jf.nextStop === nextStop && x.jfRun === v.run) return x.jf;
    x.jfJourney = j;
    x.jfRun = v.run;
    x.jf = {
      routeId: v.run.route.routeId,
      desi: v.run.route.line,
      direction: v.run.dir.direction,
      headsign: v.run.dir.headsign,
      start: j.startLabel,
      oday: j.oday,
      jrn: j.jrn,
      lineNumber: v.run.route.lineNumber,
      nextStop,
      temporal: 'ongoing',
    };
    return x.jf;
  };

  const corrupt = (m: SimMessage, qrng: Random): SimMessage => {
    malformed++;
    if (qrng.chance(0.5)) return { ...m, payload: m.payload.slice(0, qrng.int(1, m.payload.length - 2)) };
    return { ...m, topic: m.topic.split('/').slice(0, qrng.int(3, 7)).join('/') };
  };

  const badFixPerTick = quirks.badFixPerVehicleHour / 3600;
  const noFixPerTick = quirks.noFixPerVehicleHour / 3600;
  /**
   * GPS error, stepped once per VP: a slowly wandering offset of a metre or two (an AR(1) walk, so a
   * standing vehicle drifts by centimetres a second as real units do), and now and then a bad fix
   * tens of metres off for a few seconds (multipath between buildings).
   */
  const gpsError = (x: Extra, t: number): void => {
    const sigma = quirks.gpsNoiseMeters;
    if (sigma > 0) {
      x.noiseE = x.noiseE * 0.97 + x.q.normal() * sigma * 0.243;
      x.noiseN = x.noiseN * 0.97 + x.q.normal() * sigma * 0.243;
    }
    if (x.badUntil <= t && badFixPerTick > 0 && x.q.chance(badFixPerTick)) {
      x.badUntil = t + x.q.int(1, 4) * 1000;
      const angle = x.q.range(0, 2 * Math.PI);
      const off = x.q.range(25, 120);
      x.badE = Math.sin(angle) * off;
      x.badN = Math.cos(angle) * off;
    }
  };
  /** Where the vehicle's GPS says it is: the true position plus the error. */
  const observed = (v: SimVehicle, x: Extra): readonly [number, number] => {
    let e = x.noiseE;
    let n = x.noiseN;
    if (x.badUntil > v.nextTick) {
      e += x.badE;
      n += x.badN;
    }
    if (e === 0 && n === 0) return [v.lat, v.lon];
    return [v.lat + n / 111_320, v.lon + e / (111_320 * Math.cos((v.lat * Math.PI) / 180))];
  };
  /** The announced next journey as topic + payload fields (temporal `upcoming`), one object per plan. */
  const upcomingFields = (v: SimVehicle, x: Extra): JourneyFields | null => {
    const u = v.upcoming;
    if (!u) return null;
    if (x.upFields && x.upPlan === u) return x.upFields;
    x.upPlan = u;
    x.upFields = {
      routeId: u.run.route.routeId,
      desi: u.run.route.line,
      direction: u.run.dir.direction,
      headsign: u.run.dir.headsign,
      start: u.startLabel,
      oday: u.oday,
      jrn: u.jrn,
      lineNumber: u.run.route.lineNumber,
      nextStop: u.run.dir.stopIds[0]!,
      temporal: 'upcoming',
    };
    return x.upFields;
  };

  const advanceOne = (v: SimVehicle, x: Extra, t: number, emit: (m: SimMessage) => void): void => {
    const vehicleId = `${v.fields.operatorId}/${v.fields.vehicleNumber}`;
    const qrng = x.q;
    const holding = x.backlogUntil > t;
    if (!holding && x.backlogUntil === 0 && backlogPerTick > 0 && qrng.chance(backlogPerTick)) {
      x.backlogUntil = t + qrng.int(10, Math.max(10, quirks.backlogMaxSeconds)) * 1000;
    }
    if (x.noFixUntil <= t && noFixPerTick > 0 && qrng.chance(noFixPerTick))
      x.noFixUntil = t + qrng.int(5, Math.max(5, quirks.noFixMaxSeconds)) * 1000;
    const noFix = x.noFixUntil > t;
    const out = (m: SimMessage) => {
      if (x.backlogUntil > t) {
        backlogged++;
        x.held.push(m);
        return;
      }
      messages++;
      emit(m);
    };
    v.step(t, (vm: VehicleMessage) => {
      if (vm.event === 'VP' && !vm.upcoming) {
        if (quirks.missingPosition > 0 && qrng.chance(quirks.missingPosition)) {
          droppedPositions++;
          return;
        }
        gpsError(x, t);
      }
      const j = vm.upcoming ? upcomingFields(v, x) : journeyFields(v, x);
      const [lat, lon] = noFix ? [null, null] : observed(v, x);
      // Without a fix there is no geohash; the first message after one has level 0 (no previous).
      const geo: [number, number] | null = lat === null || lon === null ? null : [lat, lon];
      let level: number;
      if (vm.upcoming) {
        level = j !== x.upJourney || !geo ? 0 : hfpGeohashLevel(x.upGeo, geo);
        x.upJourney = j;
        x.upGeo = geo;
      } else {
        // Level 0 when the journey or the next stop changed (a new fields object), as HSL does.
        level = j !== x.lastJourney || !geo ? 0 : hfpGeohashLevel(x.lastGeo, geo);
        x.lastJourney = j;
        x.lastGeo = geo;
      }
      const fields: MessageFields = {
        event: vm.event,
        time: vm.time + v.skewMs,
        lat,
        lon,
        speed: v.speed,
        heading: v.heading,
        acc: v.acc,
        // A sign-in (VJA) or an announced journey knows no schedule position yet: dl and odo are null.
        dl: j && vm.event !== 'VJA' && !vm.upcoming ? v.dl(vm.time) : null,
        odo: isSignInOut(vm.event)
          ? Math.round(v.blockOdo)
          : v.odo === null || vm.upcoming
            ? null
            : Math.round(v.odo),
        doorsOpen: v.doorsOpen,
        loc: noFix ? 'N/A' : qrng.chance(0.01) ? 'ODO' : 'GPS',
        stop: vm.stop,
        lastRoute: v.lastRoute,
        occu: v.occu,
        geohashLevel: level,
        scheduled: vm.scheduled,
        block: vm.block,
        tlp: vm.tlp,
        oday: isBlockSignInOut(vm.event) ? time.day(vm.time) : undefined,
      };
      byEvent[vm.event] = (byEvent[vm.event] ?? 0) + 1;
      let m: SimMessage = {
        topic: formatTopic(v.fields, j, fields),
        payload: formatPayload(v.fields, j, fields),
        sentAt: vm.time,
        vehicleId,
      };
      if (quirks.malformed > 0 && qrng.chance(quirks.malformed)) m = corrupt(m, qrng);
      out(m);
      if (quirks.duplicate > 0 && qrng.chance(quirks.duplicate)) {
        duplicates++;
        out({ ...m, sentAt: m.sentAt + qrng.int(5, 300) });
      }
    });
    if (x.backlogUntil > 0 && x.backlogUntil <= t) {
      // The modem reconnects: the held messages arrive now, after newer ones (out of order).
      x.backlogUntil = 0;
      for (const m of x.held) {
        messages++;
        emit({ ...m, sentAt: t + 5 });
      }
      x.held = [];
    }
  };

  return {
    size: vehicles.length,
    advance(to, emit) {
      for (let i = 0; i < vehicles.length; i++) {
        const v = vehicles[i]!;
        const x = extras[i]!;
        while (v.nextTick <= to) {
          advanceOne(v, x, v.nextTick, emit);
          v.nextTick += 1000;
        }
      }
    },
    stats: () => ({
      vehicles: vehicles.length,
      messages,
      byEvent: { ...byEvent },
      droppedPositions,
      duplicates,
      backlogged,
      malformed,
    }),
    vehicleIds: () => vehicles.map((v) => `${v.fields.operatorId}/${v.fields.vehicleNumber}`),
  };
}
