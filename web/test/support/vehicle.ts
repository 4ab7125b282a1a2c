import type { VehicleState } from '@realtimemap/shared';

/** A plausible vehicle; override what the test is about. */
export function vehicle(overrides: Partial<VehicleState> = {}): VehicleState {
  return {
    vehicleId: '0022/01216',
    operatorId: '0022',
    vehicleNumber: '01216',
    mode: 'bus',
    eventType: 'vp',
    journeyType: 'journey',
    routeId: '1064',
    line: '64',
    direction: 1,
    headsign: 'Pohjois-Haaga',
    startTime: '12:30',
    operatingDay: '2026-11-27',
    lat: 60.17,
    lon: 24.94,
    heading: 90,
    speed: 8.5,
    acceleration: 0,
    delay: 65,
    odometer: 1000,
    doorsOpen: false,
    occupancy: 0,
    eventTime: 1_000,
    source: 'GPS',
    nextStop: null,
    stop: null,
    stale: false,
    lastSeen: 1_000,
    ...overrides,
  };
}
