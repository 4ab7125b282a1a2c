/**
 * Reads `GET /api/organizations/:id` tolerantly: geofences with the vehicles in each, where a vehicle
 * may be sent as an id (`vehicleIds`) or as a vehicle object (`vehicles`). Anything unexpected becomes an empty list, not a crash.
 */
export interface ZoneVehicles {
  readonly id: string;
  readonly name: string;
  readonly vehicles: readonly { readonly vehicleId: string; readonly line: string | null }[];
}

function record(x: unknown): Record<string, unknown> | null {
  return x && typeof x === 'object' ? (x as Record<string, unknown>) : null;
}

export function parseOrganizationDetail(body: unknown): ZoneVehicles[] {
  const root = record(body);
  const zones = root?.geofences ?? root?.zones;
  if (!Array.isArray(zones)) return [];
  const out: ZoneVehicles[] = [];
  for (const z of zones) {
    const zone = record(z);
    if (!zone) continue;
    const geofence = record(zone.geofence);
    const id = String(zone.id ?? geofence?.id ?? '');
    const name = String(zone.name ?? geofence?.name ?? id);
    const raw = Array.isArray(zone.vehicles)
      ? zone.vehicles
      : Array.isArray(zone.vehicleIds)
        ? zone.vehicleIds
        : [];
    const vehicles = raw.flatMap((v) => {
      if (typeof v === 'string') return [{ vehicleId: v, line: null }];
      const r = record(v);
      if (!r || typeof r.vehicleId !== 'string') return [];
      return [{ vehicleId: r.vehicleId, line: typeof r.line === 'string' ? r.line : null }];
    });
    out.push({ id, name, vehicles });
  }
  return out;
}
