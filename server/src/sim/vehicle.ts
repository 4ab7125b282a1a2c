/**
 * One simulated vehicle: motion along its route (accelerate, cruise, brake to stops), dwell with doors
 * open, stop events, end of journey (VJOUT), a dead run and sign-in to the next journey (VJA). Stepped
 * once per simulated second; every message it produces goes to the `emit` callback.
 */

import type { SimEvent, TrafficLightPriority, VehicleFields } from './hfp-format.ts';
import type { LocalTime } from './local-time.ts';
import type { NetworkRoute, RouteDirection } from './network.ts';
import { buildPolyline, type Polyline } from './polyline.ts';
import type { Random } from './random.ts';

const ACCEL = 1.0; // m/s²
const BRAKE = 1.0; // m/s²
const DUE_METRES = 120;
const ARR_METRES = 30;
const DEP_METRES = 20;

type Phase = 'driving' | 'dwell' | 'deadrun' | 'layover' | 'off';

/**
 * Shift changes at the end of a journey: the driver is relieved at the terminus (DOUT, then the next
 * driver's DA a few minutes later), or the vehicle's block ends (BOUT, DOUT) and it goes back to the
 * depot, silent, until a new block starts there (DA, BA) 20-60 minutes later.
 */
const RELIEF_SHARE = 0.1;
const BLOCK_END_SHARE = 0.03;

/** Local minutes of the day when service stops (01:30) and starts again (05:00). */
const SERVICE_ENDS = 90;
const SERVICE_STARTS = 300;

/** A route direction with its measured path and the distance of each stop along it (cached per network). */
export interface RunPath {
  readonly route: NetworkRoute;
  readonly dir: RouteDirection;
  readonly line: Polyline;
  readonly stopDistances: readonly number[];
}

export function buildRunPath(
  route: NetworkRoute,
  dir: RouteDirection,
  stopAt: (id: string) => readonly [number, number],
): RunPath {
  const line = buildPolyline(dir.path);
  let last = 0;
  const stopDistances = dir.stopIds.map((id, i) => {
    const d =
      i === 0 ? 0 : i === dir.stopIds.length - 1 ? line.length : Math.max(last, line.project(stopAt(id)));
    last = d;
    return d;
  });
  return { route, dir, line, stopDistances };
}

/** A run's scheduled time, ms: the network's timetable, else driving it at 6 m/s. */
export function runMs(run: RunPath): number {
  return (run.dir.runSeconds ?? run.line.length / 6) * 1000;
}

export interface Journey {
  readonly start: number; // scheduled departure from the first stop, ms
  readonly startLabel: string;
  readonly oday: string;
  readonly jrn: number;
  readonly runMs: number;
}

/** What the vehicle says at one moment; the fleet turns it into topic + payload. */
export interface VehicleMessage {
  readonly event: SimEvent;
  readonly time: number;
  readonly stop: string | null;
  readonly scheduled?: number;
  readonly block?: number;
  readonly tlp?: TrafficLightPriority;
  /** A VP about the announced next journey (`journey/upcoming/vp`), sent beside the deadrun VP. */
  readonly upcoming?: boolean;
}

/** How long before signing in to its next journey a vehicle announces it (topic temporal `upcoming`). */
const UPCOMING_LEAD_MS = 20_000;

/** The next journey as announced: its run and the journey fields it will sign in with. */
export interface UpcomingJourney extends Journey {
  readonly run: RunPath;
}

/** A priority request waiting for its answer (TLA), which comes a second or two later. */
interface PendingTlp {
  readonly at: number;
  readonly sid: number;
  readonly requestId: number;
}

/** Junction id of a signal: the same crossing gives the same id whichever vehicle asks (~150 m cells). */
function junctionId(lat: number, lon: number): number {
  const cell = Math.imul(Math.round(lat * 700), 0x9e3779b1) ^ Math.imul(Math.round(lon * 350), 0x85ebca6b);
  return 1 + ((cell >>> 0) % 998);
}

export class SimVehicle {
  phase: Phase = 'driving';
  run: RunPath;
  journey: Journey | null = null;
  distance = 0;
  speed = 0;
  acc = 0;
  heading = 0;
  lat = 0;
  lon = 0;
  cruise: number;
  nextStop = 1;
  serveNext = true;
  dueSent = false;
  arrSent = false;
  departing = -1; // index of the stop being left, until DEP
  doorsOpen = false;
  odo: number | null = 0;
  occu = 0;
  lastRoute: string | null = null;
  lastStop: string | null = null;
  until = 0; // phase deadline (ms)
  doorsAt = 0;
  holdUntil = 0; // traffic-light stop while driving
  nextWait = 0;
  /** Distance along the run of the next signalled junction (a TLR as the vehicle nears it). */
  signalAt = Number.POSITIVE_INFINITY;
  tla: PendingTlp | null = null;
  /** The next journey, once it is announced (`upcoming` VPs) and until the vehicle signs in to it. */
  upcoming: UpcomingJourney | null = null;
  tlpRequests = 0;
  /** Metres driven since the vehicle signed in to its block (BOUT reports it). */
  blockOdo = 0;
  /** Shift change pending at this terminus: the driver signs out / the next one signs in (ms, 0 = none). */
  reliefOut = 0;
  reliefIn = 0;
  /** The block ends at this terminus at this time (ms, 0 = it goes on). */
  blockEndAt = 0;
  /** Back from the depot or the night: DA and BA go out with the next step's messages. */
  signingIn = false;
  /** Next VP time (ms); the sub-second part is the vehicle's fixed phase. */
  nextTick: number;

  constructor(
    readonly fields: VehicleFields,
    readonly runs: readonly RunPath[],
    public block: number,
    readonly apc: boolean,
    readonly skewMs: number,
    private readonly rng: Random,
    private readonly time: LocalTime,
    run: RunPath,
    now: number,
  ) {
    this.run = run;
    this.cruise = fields.mode === 'tram' ? rng.range(5.5, 8) : rng.range(8, 12);
    this.nextTick = Math.floor(now / 1000) * 1000 + rng.int(0, 999);
  }

  /** Puts the vehicle `distance` metres along a journey already under way (fleet start). */
  placeMidJourney(now: number, distance: number): void {
    const stops = this.run.stopDistances;
    const length = this.run.line.length;
    this.distance = Math.max(0, Math.min(distance, length));
    this.nextStop = stops.findIndex((d) => d > this.distance);
    if (this.nextStop < 1) this.nextStop = stops.length - 1;
    const scheduled = runMs(this.run);
    const start = now - (this.distance / length) * scheduled + this.rng.normal() * 60_000;
    this.journey = this.newJourney(Math.floor(start / 60_000) * 60_000, scheduled);
    this.speed = this.cruise * this.rng.range(0.5, 1);
    this.odo = Math.round(this.distance);
    this.serveNext = this.decideServe();
    this.lastRoute = this.run.route.routeId;
    this.signalAt = this.distance + this.rng.range(50, 500);
    this.updatePosition();
  }

  private newJourney(start: number, scheduledMs: number): Journey {
    return {
      start,
      startLabel: this.time.hhmm(start),
      oday: this.time.day(start),
      jrn: this.rng.int(1, 2000),
      runMs: scheduledMs,
    };
  }

  private decideServe(): boolean {
    if (this.nextStop >= this.run.stopDistances.length - 1) return true;
    return this.rng.chance(this.fields.mode === 'tram' ? 0.95 : 0.8);
  }

  /** HFP `dl`: seconds ahead of schedule at the current position (negative = late). */
  dl(t: number): number | null {
    const j = this.journey;
    if (!j) return null;
    const scheduled = j.start + (j.runMs * this.distance) / this.run.line.length;
    return Math.round((scheduled - t) / 1000);
  }

  scheduledAt(stopIndex: number): number {
    const j = this.journey!;
    return j.start + (j.runMs * this.run.stopDistances[stopIndex]!) / this.run.line.length;
  }

  stopId(i: number): string {
    return this.run.dir.stopIds[i]!;
  }

  /** Topic next-stop level: the stop ahead, `EOL` past the last one. */
  topicNextStop(): string {
    if (this.phase === 'layover') return this.stopId(0);
    if (this.departing >= 0) return this.stopId(this.departing);
    return this.nextStop < this.run.dir.stopIds.length ? this.stopId(this.nextStop) : 'EOL';
  }

  /** Recomputes lat/lon/heading at the current distance (after the fleet places the vehicle). */
  placeAtDistance(): void {
    this.heading = this.run.line.at(this.distance).heading;
    this.updatePosition();
  }

  private updatePosition(): void {
    const p = this.run.line.at(this.distance);
    this.lat = p.lat;
    this.lon = p.lon;
    if (this.speed > 0.3) this.heading = p.heading;
  }

  /** Advances one second to `t`: moves, reports the VP, then the events of that second (later `tst`). */
  step(t: number, emit: (m: VehicleMessage) => void): void {
    // Signed off for the night: silent, checking once a minute whether service has started again.
    if (this.phase === 'off') {
      if (t < this.until) return;
      if (this.serviceClosed(t)) {
        this.until = t + 60_000;
        return;
      }
      this.phase = 'deadrun';
      this.blockOdo = 0;
      this.signingIn = true;
      this.block = this.rng.int(100, 999);
      this.until = t + this.rng.int(30, 900) * 1000; // the morning's sign-ins are staggered
    }
    if (this.phase === 'driving') this.move(t);
    else {
      this.speed = 0;
      this.acc = 0;
    }
    emit({ event: 'VP', time: t, stop: this.vpStop() });
    if (this.signingIn) {
      this.signingIn = false;
      emit({ event: 'DA', time: t + 200, stop: null });
      emit({ event: 'BA', time: t + 500, stop: null, block: this.block });
    }
    switch (this.phase) {
      case 'driving':
        this.driveEvents(t, emit);
        break;
      case 'dwell':
        this.dwell(t, emit);
        break;
      case 'deadrun':
        this.deadrun(t, emit);
        break;
      case 'layover':
        this.layover(t, emit);
        break;
    }
  }

  private vpStop(): string | null {
    if (this.phase !== 'driving') return this.lastStop;
    if (this.departing >= 0) return this.stopId(this.departing);
    return this.arrSent ? this.stopId(this.nextStop) : null;
  }

  private move(t: number): void {
    const target = this.run.stopDistances[this.nextStop]!;
    const remaining = target - this.distance;
    // Red lights and queues: HSL buses spend roughly a fifth of their running time standing in traffic.
    if (this.holdUntil <= t && this.rng.chance(0.007) && remaining > 150)
      this.holdUntil = t + this.rng.int(10, 40) * 1000;
    // Too close to stop in comfort (fleet start, stops a few metres apart): run past it instead.
    const last = this.nextStop >= this.run.stopDistances.length - 1;
    if (this.serveNext && !last && (this.speed * this.speed) / 3 > remaining + 2) this.serveNext = false;
    let want = this.cruise * (0.9 + 0.2 * this.rng.next());
    if (this.holdUntil > t) want = 0;
    // Braking curve v = sqrt(2·a·d), taken a second ahead so the discrete steps never overshoot it.
    if (this.serveNext)
      want = Math.min(want, Math.max(0.6, Math.sqrt(2 * BRAKE * Math.max(0, remaining - this.speed)) - 0.5));
    const before = this.speed;
    this.speed = want > before ? Math.min(want, before + ACCEL) : Math.max(want, before - BRAKE * 1.5);
    this.acc = this.speed - before;
    let moved = (before + this.speed) / 2;
    if (this.serveNext && remaining - moved < 0.5) {
      // Stopping at the stop: the last second of braking lands on it.
      moved = Math.max(0, remaining);
      this.speed = 0;
      // The accelerometer reading of the final metre is smoothed like a real unit's (1 Hz average).
      this.acc = -Math.min(before, 1.5);
    }
    this.distance += moved;
    if (this.odo !== null) this.odo += moved;
    this.blockOdo += moved;
    this.updatePosition();
  }

  private driveEvents(t: number, emit: (m: VehicleMessage) => void): void {
    const stops = this.run.stopDistances;
    const target = stops[this.nextStop]!;
    const left = target - this.distance;
    const id = this.stopId(this.nextStop);
    this.trafficLights(t, left, emit);
    if (this.departing >= 0 && this.distance - stops[this.departing]! > DEP_METRES) {
      // The topic's next stop moves on with DEP (the payload still names the stop just left).
      const left = this.departing;
      this.departing = -1;
      emit({ event: 'DEP', time: t + 30, stop: this.stopId(left), scheduled: this.scheduledAt(left) });
    }
    if (!this.dueSent && left < DUE_METRES) {
      this.dueSent = true;
      emit({ event: 'DUE', time: t + 50, stop: id, scheduled: this.scheduledAt(this.nextStop) });
    }
    if (this.serveNext) {
      if (!this.arrSent && left <= ARR_METRES) {
        this.arrSent = true;
        emit({ event: 'ARR', time: t + 80, stop: id, scheduled: this.scheduledAt(this.nextStop) });
      }
      if (left <= 0.01 && this.speed === 0) {
        emit({ event: 'ARS', time: t + 120, stop: id, scheduled: this.scheduledAt(this.nextStop) });
        this.lastStop = id;
        this.phase = 'dwell';
        this.doorsAt = t + this.rng.int(1, 3) * 1000;
        this.until = this.doorsAt + this.rng.int(10, 30) * 1000;
      }
    } else if (left <= 0) {
      emit({ event: 'PAS', time: t + 80, stop: id, scheduled: this.scheduledAt(this.nextStop) });
      this.lastStop = id;
      this.advanceStop();
    }
  }

  /**
   * Signalled junctions every few hundred metres: nearing one at speed, the vehicle asks for priority
   * (TLR) and the junction answers a second or two later (TLA, mostly ACK). Not right at a stop, where
   * the request would go out with the doors (HSL's DOOR_CLOSE type covers that case instead).
   */
  private trafficLights(t: number, toStop: number, emit: (m: VehicleMessage) => void): void {
    const pending = this.tla;
    if (pending && t >= pending.at) {
      this.tla = null;
      const decision = this.rng.chance(0.85) ? 'ACK' : 'NAK';
      emit({
        event: 'TLA',
        time: t + 600,
        stop: null,
        tlp: { kind: 'answer', sid: pending.sid, requestId: pending.requestId, decision },
      });
    }
    if (this.distance < this.signalAt - 40) return;
    const ahead = this.run.line.at(Math.min(this.signalAt, this.run.line.length));
    this.signalAt = this.distance + this.rng.range(250, 700);
    if (this.speed < 1.5 || toStop < 30 || this.tla) return;
    const sid = junctionId(ahead.lat, ahead.lon);
    const requestId = (this.tlpRequests++ % 255) + 1;
    const dl = this.dl(t);
    emit({
      event: 'TLR',
      time: t + 400,
      stop: null,
      tlp: {
        kind: 'request',
        sid,
        signalGroupId: 100 + ((sid * 7 + this.run.dir.direction) % 900),
        signalGroupNbr: 1 + ((sid + this.run.dir.direction * 3) % 20),
        requestId,
        requestType: this.departing >= 0 ? 'DOOR_CLOSE' : 'NORMAL',
        priorityLevel: dl !== null && dl < -180 ? 'high' : 'normal',
        attemptSeq: this.rng.chance(0.1) ? 2 : 1,
      },
    });
    this.tla = { at: t + this.rng.int(1, 2) * 1000, sid, requestId };
  }

  private advanceStop(): void {
    this.nextStop++;
    this.dueSent = false;
    this.arrSent = false;
    this.serveNext = this.decideServe();
  }

  private dwell(t: number, emit: (m: VehicleMessage) => void): void {
    const here = this.nextStop;
    const last = here === this.run.stopDistances.length - 1;
    if (!this.doorsOpen && t >= this.doorsAt) {
      this.doorsOpen = true;
      if (this.apc) this.occu = Math.max(0, Math.min(100, this.occu + this.rng.int(-20, 25)));
      emit({ event: 'DOO', time: t + 200, stop: this.stopId(here), scheduled: this.scheduledAt(here) });
    }
    if (t < this.until) return;
    // A timing point: more than a minute early, the driver waits (WAIT) instead of leaving.
    const early = this.dl(t);
    if (!last && early !== null && early > 60 && this.until - this.doorsAt < 180_000) {
      this.until = t + 10_000;
      emit({ event: 'WAIT', time: t + 300, stop: this.stopId(here), scheduled: this.scheduledAt(here) });
      return;
    }
    if (this.doorsOpen) {
      this.doorsOpen = false;
      emit({ event: 'DOC', time: t + 150, stop: this.stopId(here), scheduled: this.scheduledAt(here) });
    }
    if (last) {
      emit({ event: 'VJOUT', time: t + 400, stop: this.stopId(here), block: this.block });
      this.journey = null;
      this.phase = 'deadrun';
      this.odo = null;
      this.until = t + this.rng.int(30, 150) * 1000;
      const shift = this.rng.next();
      if (shift < BLOCK_END_SHARE) {
        this.blockEndAt = t + this.rng.int(20, 90) * 1000;
        this.until = Number.POSITIVE_INFINITY;
      } else if (shift < BLOCK_END_SHARE + RELIEF_SHARE) {
        this.reliefOut = t + this.rng.int(15, 60) * 1000;
        this.reliefIn = this.reliefOut + this.rng.int(60, 240) * 1000;
        this.until = Math.max(this.until, this.reliefIn + 20_000);
      }
      return;
    }
    emit({ event: 'PDE', time: t + 250, stop: this.stopId(here), scheduled: this.scheduledAt(here) });
    this.phase = 'driving';
    this.departing = here;
    this.advanceStop();
  }

  private deadrun(t: number, emit: (m: VehicleMessage) => void): void {
    if (this.reliefOut > 0 && t >= this.reliefOut) {
      this.reliefOut = 0;
      emit({ event: 'DOUT', time: t + 200, stop: null });
    }
    if (this.reliefIn > 0 && this.reliefOut === 0 && t >= this.reliefIn) {
      this.reliefIn = 0;
      emit({ event: 'DA', time: t + 200, stop: null });
    }
    // The block is over: the driver signs out of it and of the vehicle, which goes quiet at the depot.
    if (this.blockEndAt > 0 && t >= this.blockEndAt) {
      this.blockEndAt = 0;
      this.signOff(t, emit);
      this.upcoming = null;
      this.until = t + this.rng.int(20, 60) * 60_000;
      return;
    }
    // End of the day: after the last journey the driver signs out of the block (BOUT), the unit goes quiet.
    if (t >= this.until && !this.upcoming && this.serviceClosed(t)) {
      this.signOff(t, emit);
      this.until = t + 60_000;
      return;
    }
    // The next journey is announced shortly before sign-in: the feed also carries it as `upcoming` VPs.
    if (!this.upcoming && this.until - t <= UPCOMING_LEAD_MS && !this.serviceClosed(this.until))
      this.upcoming = this.planNext();
    if (t < this.until) {
      if (this.upcoming) emit({ event: 'VP', time: t + 3, stop: null, upcoming: true });
      return;
    }
    // Sign in to the next journey: the same route back the other way.
    // The journey announced as `upcoming`: same start, day and journey number.
    const { run: next, ...journey } = this.upcoming ?? this.planNext();
    this.upcoming = null;
    this.run = next;
    this.distance = 0;
    this.nextStop = 0;
    this.dueSent = true;
    this.arrSent = true;
    this.departing = -1;
    this.lastStop = this.stopId(0);
    this.lastRoute = next.route.routeId;
    this.journey = journey;
    this.odo = null;
    this.phase = 'layover';
    this.doorsAt = t + this.rng.int(5, 40) * 1000;
    this.until = journey.start + Math.max(0, this.rng.normal() * 20_000);
    this.nextWait = journey.start + 60_000;
    this.signalAt = this.rng.range(100, 400);
    this.tla = null;
    this.cruise = this.fields.mode === 'tram' ? this.rng.range(5.5, 8) : this.rng.range(8, 12);
    this.updatePosition();
    emit({ event: 'VJA', time: t + 300, stop: this.lastStop, block: this.block });
  }

  /** The driver signs out of the block (BOUT) and of the vehicle (DOUT); the vehicle goes quiet. */
  private signOff(t: number, emit: (m: VehicleMessage) => void): void {
    emit({ event: 'BOUT', time: t + 300, stop: null, block: this.block });
    emit({ event: 'DOUT', time: t + 700, stop: null });
    this.phase = 'off';
    this.lastStop = null;
  }

  /** Between the end of the service day and the first morning journeys (local time)? */
  private serviceClosed(t: number): boolean {
    const hhmm = this.time.hhmm(t);
    const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
    return minutes >= SERVICE_ENDS && minutes < SERVICE_STARTS;
  }

  /**
   * The journey after this dead run: the same route back the other way, after the terminus recovery
   * time a timetable gives (3-8 minutes at a weekday peak).
   */
  private planNext(): UpcomingJourney {
    const run = this.runs.find((r) => r.route === this.run.route && r.dir !== this.run.dir) ?? this.run;
    const start = Math.ceil((this.until + this.rng.int(150, 420) * 1000) / 60_000) * 60_000;
    return { run, ...this.newJourney(start, runMs(run)) };
  }

  private layover(t: number, emit: (m: VehicleMessage) => void): void {
    if (this.odo === null && t > this.doorsAt - 3000) this.odo = 0;
    if (!this.doorsOpen && t >= this.doorsAt && t < this.until - 15_000) {
      this.doorsOpen = true;
      emit({ event: 'DOO', time: t + 200, stop: this.stopId(0), scheduled: this.scheduledAt(0) });
    }
    if (t >= this.nextWait && t < this.until) {
      this.nextWait += 60_000;
      emit({ event: 'WAIT', time: t + 300, stop: this.stopId(0), scheduled: this.scheduledAt(0) });
    }
    if (t < this.until) return;
    if (this.doorsOpen) {
      this.doorsOpen = false;
      emit({ event: 'DOC', time: t + 150, stop: this.stopId(0), scheduled: this.scheduledAt(0) });
    }
    emit({ event: 'PDE', time: t + 250, stop: this.stopId(0), scheduled: this.scheduledAt(0) });
    this.phase = 'driving';
    this.departing = 0;
    this.advanceStop();
  }
}
