/** A two-route network of short lines (about 1.3 km) so journeys end within minutes in tests. */
import type { Network, NetworkStop } from '../../src/sim/network.ts';

export function miniNetwork(): Network {
  const stops = new Map<string, NetworkStop>();
  const add = (id: string, name: string, lat: number, lon: number) => stops.set(id, { id, name, lat, lon });
  add('1000001', 'Alpha', 60.17, 24.94);
  add('1000002', 'Beta', 60.1735, 24.94);
  add('1000003', 'Gamma', 60.177, 24.94);
  add('1000004', 'Delta', 60.1805, 24.942);
  const path = [
    [24.94, 60.17],
    [24.94, 60.177],
    [24.942, 60.1805],
  ] as const;
  const ids = ['1000001', '1000002', '1000003', '1000004'];
  const route = (routeId: string, line: string, mode: 'bus' | 'tram') => ({
    routeId,
    line,
    mode,
    lineNumber: 9,
    operators: [mode === 'tram' ? '0040' : '0022'],
    directions: [
      { direction: 1 as const, headsign: 'Delta', path: [...path], stopIds: ids, runSeconds: 300 },
      {
        direction: 2 as const,
        headsign: 'Alpha',
        path: [...path].reverse(),
        stopIds: [...ids].reverse(),
        runSeconds: 300,
      },
    ],
  });
  return { name: 'mini', stops, routes: [route('9999', '99', 'bus'), route('1099', '9T', 'tram')] };
}
