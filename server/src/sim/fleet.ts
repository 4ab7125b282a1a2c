/**
 * The simulated fleet: vehicles spread over the network by line weight, stepped once a simulated
 * second each (at a fixed per-vehicle sub-second phase), their messages formatted as HFP and passed
 * through the feed's quirks. Pure computation: no timers, no sockets (the simulator drives it).
 */
import { hfpGeohashLevel } from '@realtimemap/shared';
import { formatPayload, formatTopic, type JourneyFields, type MessageFields } from './hfp-format.ts';
import { helsinkiTime } from './local-time.ts';
import type { Network } from './network.ts';
import { DEFAULT_QUIRKS, type QuirkRates } from './quirks.ts';
import { createRandom, type Random } from './random.ts';
import { buildRunPath, type Journey, type RunPath, SimVehicle, type VehicleMessage } from './vehicle.ts';

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
  const counts = allocate(
    network.routes.map((r) => r.weight ?? 1),
    Math.max(0, Math.floor(options.vehicles)),
  );
  const numbers = new Map<string, number>();
  const vehicles: SimVehicle[] = [];
  const extras: Extra[] = [];
  network.routes.forEach((route, ri) => {
    const routeRuns = runs.filter((r) => r.route === route);
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
      const run = routeRuns[k % routeRuns.length]!;
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
      if (vrng.chance(0.08)) {
        v.phase = 'deadrun';
        v.distance = run.line.length;
        v.nextStop = run.stopDistances.length - 1;
        v.journey = null;
        v.odo = null;
        v.lastRoute = route.routeId;
        v.lastStop = run.dir.stopIds[run.dir.stopIds.length - 1]!;
        v.until = start + vrng.int(0, 120) * 1000;
        v.placeAtDistance();
      } else v.placeMidJourney(start);
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

  const advanceOne = (v: SimVehicle, x: Extra, t: number, emit: (m: SimMessage) => void): void => {
    const vehicleId = `${v.fields.operatorId}/${v.fields.vehicleNumber}`;
    const qrng = x.q;
    const holding = x.backlogUntil > t;
    if (!holding && x.backlogUntil === 0 && backlogPerTick > 0 && qrng.chance(backlogPerTick)) {
      x.backlogUntil = t + qrng.int(10, Math.max(10, quirks.backlogMaxSeconds)) * 1000;
    }
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
      if (vm.event === 'VP' && quirks.missingPosition > 0 && qrng.chance(quirks.missingPosition)) {
        droppedPositions++;
        return;
      }
      const j = journeyFields(v, x);
      const geo: [number, number] = [v.lat, v.lon];
      // Level 0 when the journey or the next stop changed (a new fields object), as HSL does.
      const level = j !== x.lastJourney ? 0 : hfpGeohashLevel(x.lastGeo, geo);
      x.lastJourney = j;
      x.lastGeo = geo;
      const fields: MessageFields = {
        event: vm.event,
        time: vm.time + v.skewMs,
        lat: v.lat,
        lon: v.lon,
        speed: v.speed,
        heading: v.heading,
        acc: v.acc,
        // A sign-in (VJA) knows no schedule position yet: HSL sends dl and odo as null.
        dl: j && vm.event !== 'VJA' ? v.dl(vm.time) : null,
        odo: v.odo === null ? null : Math.round(v.odo),
        doorsOpen: v.doorsOpen,
        loc: qrng.chance(0.01) ? 'ODO' : 'GPS',
        stop: vm.stop,
        lastRoute: v.lastRoute,
        occu: v.occu,
        geohashLevel: level,
        scheduled: vm.scheduled,
        block: vm.block,
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
