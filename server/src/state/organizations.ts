import type { Organization } from '@realtimemap/shared';

/**
 * HSL's operators by the id in HFP topics. From the realtimemap demos' table and HSL's published
 * operator list; ids missing here are shown as "Operator <id>".
 */
export const ORGANIZATIONS: readonly Organization[] = Object.freeze(
  [
    ['0006', 'Oy Pohjolan Liikenne Ab'],
    ['0012', 'Helsingin Bussiliikenne Oy'],
    ['0017', 'Tammelundin Liikenne Oy'],
    ['0018', 'Pohjolan Liikenne Oy'],
    ['0020', 'Bus Travel Åbergin Linja Oy'],
    ['0021', 'Bus Travel Oy Reissu Ruoti'],
    ['0022', 'Nobina Finland Oy'],
    ['0030', 'Savonlinja Oy'],
    ['0036', 'Nurmijärven Linja Oy'],
    ['0040', 'HKL-Raitioliikenne'],
    ['0045', 'Transdev Vantaa Oy'],
    ['0047', 'Taksikuljetus Oy'],
    ['0050', 'HKL-Metroliikenne'],
    ['0051', 'Korsisaari Oy'],
    ['0054', 'V-S Bussipalvelut Oy'],
    ['0055', 'Transdev Helsinki Oy'],
    ['0058', 'Koillisen Liikennepalvelut Oy'],
    ['0059', 'Tilausliikenne Nikkanen Oy'],
    ['0060', 'Suomenlinnan Liikenne Oy'],
    ['0064', 'Taksikuljetus Harri Vuolle Oy'],
    ['0089', 'Metropolia'],
    ['0090', 'VR Oy'],
    ['0195', 'Siuntio'],
  ].map(([id, name]) => Object.freeze({ id: id!, name: name! })),
);

const byId = new Map(ORGANIZATIONS.map((o) => [o.id, o]));

export function organizationById(id: string): Organization | undefined {
  return byId.get(id);
}

export function organizationName(id: string): string {
  return byId.get(id)?.name ?? `Operator ${id}`;
}
