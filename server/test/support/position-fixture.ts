import type { VehiclePosition } from '@realtimemap/shared';

/** A plausible position; override what the test is about. */
export function position(over: Partial<VehiclePosition> = {}): VehiclePosition {
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
    headsign: 'Länsiterminaali',
    startTime: '10:05',
    operatingDay: '2026-11-27',
    lat: 60.1699,
    lon: 24.9384,
    heading: 90,
    speed: 8.12,
    acceleration: 0.3,
    delay: 12,
    odometer: 1200,
    doorsOpen: false,
    occupancy: 0,
    eventTime: 1_000_000,
    source: 'GPS',
    nextStop: '1020453',
    stop: null,
    ...over,
  };
}
