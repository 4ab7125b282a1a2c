/**
 * `--gtfs <zip or folder>`: a Network from any GTFS feed (HSL's own, for example). Per route, one
 * representative trip per direction (the one with the most stops): its shape (or, without shapes.txt,
 * its stops joined up) is the path, its stop_times give the stops and the scheduled run time. Trams
 * (route_type 0 / 900s) stay trams; every other mode is simulated as a bus.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LonLat } from '@realtimemap/shared';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { SIM_ERROR, SimError } from './errors.ts';
import type { Network, NetworkRoute, NetworkStop, RouteDirection } from './network.ts';

type Row = Record<string, string>;

function readTables(source: string): (name: string) => Row[] | undefined {
  if (!existsSync(source)) throw new SimError(SIM_ERROR.gtfsInvalid, `GTFS source ${source} does not exist`);
  let read: (name: string) => string | undefined;
  if (statSync(source).isDirectory()) {
    read = (name) => (existsSync(join(source, name)) ? readFileSync(join(source, name), 'utf8') : undefined);
  } else {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(readFileSync(source), { filter: (f) => f.name.endsWith('.txt') });
    } catch (cause) {
      throw new SimError(SIM_ERROR.gtfsInvalid, `${source} is not a GTFS zip`, { cause });
    }
    // Some feeds zip a folder: match on the file name alone.
    const byName = new Map(Object.entries(files).map(([k, v]) => [k.split('/').pop()!, v]));
    read = (name) => {
      const bytes = byName.get(name);
      return bytes ? strFromU8(bytes) : undefined;
    };
  }
  return (name) => {
    const text = read(name);
    if (text === undefined) return undefined;
    return parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Row[];
  };
}

function seconds(hms: string | undefined): number | null {
  const m = /^(\d+):(\d\d):(\d\d)$/.exec(hms ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/** Topic levels may not hold MQTT's separators and wildcards. */
const topicSafe = (s: string) => s.replace(/[/+#\s]/g, '_');

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

export function loadGtfsNetwork(source: string): Network {
  const table = readTables(source);
  const need = (name: string) => {
    const rows = table(name);
    if (!rows) throw new SimError(SIM_ERROR.gtfsInvalid, `GTFS ${source} has no ${name}`);
    return rows;
  };
  const stopsRows = need('stops.txt');
  const routesRows = need('routes.txt');
  const tripsRows = need('trips.txt');
  const stopTimes = need('stop_times.txt');
  const shapeRows = table('shapes.txt') ?? [];

  const allStops = new Map<string, NetworkStop>();
  for (const s of stopsRows) {
    const lat = Number(s.stop_lat);
    const lon = Number(s.stop_lon);
    if (!s.stop_id || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    allStops.set(s.stop_id, { id: topicSafe(s.stop_id), name: s.stop_name || s.stop_id, lat, lon });
  }
  const timesByTrip = new Map<string, Row[]>();
  for (const st of stopTimes) {
    const list = timesByTrip.get(st.trip_id!) ?? [];
    list.push(st);
    timesByTrip.set(st.trip_id!, list);
  }
  const shapes = new Map<string, { seq: number; p: LonLat }[]>();
  for (const r of shapeRows) {
    const list = shapes.get(r.shape_id!) ?? [];
    list.push({ seq: Number(r.shape_pt_sequence), p: [Number(r.shape_pt_lon), Number(r.shape_pt_lat)] });
    shapes.set(r.shape_id!, list);
  }
  const agencies = new Map<string, string>();
  const operatorOf = (agency: string) => {
    if (!agencies.has(agency)) agencies.set(agency, String(agencies.size + 1).padStart(4, '0'));
    return agencies.get(agency)!;
  };

  const stops = new Map<string, NetworkStop>();
  const routes: NetworkRoute[] = [];
  for (const route of routesRows) {
    const trips = tripsRows.filter((t) => t.route_id === route.route_id);
    const picked = new Map<string, { trip: Row; times: Row[] }>();
    for (const trip of trips) {
      const times = (timesByTrip.get(trip.trip_id!) ?? [])
        .filter((t) => allStops.has(t.stop_id!))
        .sort((a, b) => Number(a.stop_sequence) - Number(b.stop_sequence));
      if (times.length < 2) continue;
      // Without direction_id, a trip starting where another ends is taken as the other direction.
      let dir = trip.direction_id === '1' ? '1' : trip.direction_id === '0' ? '0' : '';
      if (dir === '') {
        const first = picked.get('0');
        dir = !first || first.times[0]!.stop_id === times[0]!.stop_id ? '0' : '1';
      }
      const best = picked.get(dir);
      if (!best || times.length > best.times.length) picked.set(dir, { trip, times });
    }
    const directions: RouteDirection[] = [];
    for (const dir of ['0', '1']) {
      const p = picked.get(dir);
      if (!p) continue;
      const stopList = p.times.map((t) => allStops.get(t.stop_id!)!);
      for (const s of stopList) stops.set(s.id, s);
      const shape = shapes
        .get(p.trip.shape_id ?? '')
        ?.sort((a, b) => a.seq - b.seq)
        .map((x) => x.p);
      const path: LonLat[] =
        shape && shape.length >= 2 ? shape : stopList.map((s) => [s.lon, s.lat] as const);
      const t0 = seconds(p.times[0]!.departure_time) ?? seconds(p.times[0]!.arrival_time);
      const t1 = seconds(p.times.at(-1)!.arrival_time) ?? seconds(p.times.at(-1)!.departure_time);
      directions.push({
        direction: dir === '0' ? 1 : 2,
        headsign: p.trip.trip_headsign || stopList.at(-1)!.name,
        path,
        stopIds: stopList.map((s) => s.id),
        ...(t0 !== null && t1 !== null && t1 > t0 ? { runSeconds: t1 - t0 } : {}),
      });
    }
    if (directions.length === 0) continue;
    const type = Number(route.route_type);
    routes.push({
      routeId: topicSafe(route.route_id!),
      line: route.route_short_name || route.route_id!,
      mode: type === 0 || (type >= 900 && type < 1000) ? 'tram' : 'bus',
      lineNumber: (hash(route.route_id!) % 9000) + 1,
      operators: [operatorOf(route.agency_id ?? '')],
      directions,
    });
  }
  if (routes.length === 0)
    throw new SimError(SIM_ERROR.gtfsInvalid, `GTFS ${source}: no route has a trip with two stops`);
  return { name: `gtfs:${source}`, stops, routes };
}
