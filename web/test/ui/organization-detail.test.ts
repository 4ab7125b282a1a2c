import { describe, expect, it } from 'vitest';
import { parseOrganizationDetail } from '../../src/ui/organization-detail.ts';
import { sortRoutes } from '../../src/ui/sort-routes.ts';

describe('organization detail', () => {
  it('organization detail: zones with vehicles as ids or objects', () => {
    const zones = parseOrganizationDetail({
      id: '0022',
      geofences: [
        {
          id: 'g1',
          name: 'Kamppi',
          vehicles: ['0022/00001', { vehicleId: '0022/00002', line: '64' }, { bad: 1 }],
        },
        { geofence: { id: 'g2', name: 'Airport' }, vehicles: [] },
      ],
    });
    expect(zones).toEqual([
      {
        id: 'g1',
        name: 'Kamppi',
        vehicles: [
          { vehicleId: '0022/00001', line: null },
          { vehicleId: '0022/00002', line: '64' },
        ],
      },
      { id: 'g2', name: 'Airport', vehicles: [] },
    ]);
  });

  it('organization detail: an unexpected body is no zones', () => {
    expect(parseOrganizationDetail(null)).toEqual([]);
    expect(parseOrganizationDetail({ geofences: 'x' })).toEqual([]);
  });

  it('route list: search matches the line, favourites first, then busiest', () => {
    const routes = [
      { routeId: '1064', line: '64', mode: 'bus' as const, vehicles: 3 },
      { routeId: '2550', line: '550', mode: 'bus' as const, vehicles: 9 },
      { routeId: '1004', line: '4', mode: 'tram' as const, vehicles: 5 },
    ];
    expect(sortRoutes(routes, [], '').map((r) => r.routeId)).toEqual(['2550', '1004', '1064']);
    expect(sortRoutes(routes, ['1064'], '').map((r) => r.routeId)).toEqual(['1064', '2550', '1004']);
    expect(sortRoutes(routes, [], '55').map((r) => r.routeId)).toEqual(['2550']);
  });
});
