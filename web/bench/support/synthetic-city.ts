/**
 * A deterministic synthetic city for the benchmark: N vehicles spread over central Helsinki, each
 * moving ~10 m/s along its heading and turning now and then. `tick()` advances one second.
 */
import type { TransportMode, VehicleState } from '@realtimemap/shared';

const MODES: TransportMode[] = ['bus', 'bus', 'bus', 'tram', 'tram', 'train', 'metro', 'ferry'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export class SyntheticCity {
  readonly vehicles: VehicleState[] = [];
  private readonly random: () => number;
  private t = Date.now();

  constructor(
    count: number,
    readonly bbox: [number, number, number, number],
    seed = 42,
  ) {
    this.random = rng(seed);
    const [w, s, e, n] = bbox;
    for (let i = 0; i < count; i++) {
      const mode = MODES[i % MODES.length] ?? 'bus';
      const line = String(1 + (i % 120));
      const operatorId = mode === 'tram' ? '0040' : '0022';
      const vehicleNumber = String(10_000 + i).padStart(5, '0');
      this.vehicles.push({
        vehicleId: `${operatorId}/${vehicleNumber}`,
        operatorId,
        vehicleNumber,
        mode,
        eventType: 'vp',
        journeyType: 'journey',
        routeId: `10${line}`,
        line,
        direction: 1,
        headsign: `Terminal ${line}`,
        startTime: '12:00',
        operatingDay: '2026-01-01',
        lat: s + this.random() * (n - s),
        lon: w + this.random() * (e - w),
        heading: Math.floor(this.random() * 360),
        speed: 8 + this.random() * 6,
        acceleration: 0,
        delay: Math.round(this.random() * 240 - 60),
        odometer: 0,
        doorsOpen: this.random() < 0.1,
        occupancy: 0,
        eventTime: this.t,
        source: 'GPS',
        nextStop: null,
        stop: null,
        stale: false,
        lastSeen: this.t,
      });
    }
  }

  /** Advances one second; returns every vehicle's new state. */
  tick(): VehicleState[] {
    this.t += 1000;
    const [w, s, e, n] = this.bbox;
    for (let i = 0; i < this.vehicles.length; i++) {
      const v = this.vehicles[i];
      if (!v) continue;
      let heading = v.heading ?? 0;
      if (this.random() < 0.05) heading = (heading + 90) % 360;
      const rad = (heading * Math.PI) / 180;
      const metres = v.speed ?? 10;
      let lat = v.lat + (Math.cos(rad) * metres) / 111_320;
      let lon = v.lon + (Math.sin(rad) * metres) / (111_320 * Math.cos((v.lat * Math.PI) / 180));
      if (lat < s || lat > n || lon < w || lon > e) {
        heading = (heading + 180) % 360;
        lat = Math.min(n, Math.max(s, lat));
        lon = Math.min(e, Math.max(w, lon));
      }
      this.vehicles[i] = {
        ...v,
        lat,
        lon,
        heading,
        doorsOpen: this.random() < 0.1,
        eventTime: this.t,
        lastSeen: this.t,
      };
    }
    return this.vehicles;
  }
}
