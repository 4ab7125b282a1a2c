import { describe, expect, it } from 'vitest';
import type { VehicleState } from '../../src/api.ts';
import {
  assembleFrame,
  decodeServerMessage,
  encodeClientMessage,
  encodeRemovedId,
  encodeServerMessage,
  encodeVehicleRecord,
  FRAME_TAG_BATCH,
  parseClientMessage,
} from '../../src/protocol/codec.ts';

const vehicle: VehicleState = {
  vehicleId: '0022/01216',
  operatorId: '0022',
  vehicleNumber: '01216',
  mode: 'bus',
  eventType: 'vp',
  journeyType: 'journey',
  routeId: '1064',
  line: '64',
  direction: 2,
  headsign: 'Länsiterminaali T2',
  startTime: '10:05',
  operatingDay: '2026-11-27',
  lat: 60.169568,
  lon: 24.938379,
  heading: 271,
  speed: 8.12,
  acceleration: -0.35,
  delay: -42,
  odometer: 12_345,
  doorsOpen: true,
  occupancy: 40,
  eventTime: 1_764_236_000_123,
  source: 'GPS',
  nextStop: '1020453',
  stop: null,
  stale: false,
  lastSeen: 1_764_236_000_200,
};

describe('protocol: codec', () => {
  it('protocol: a batch round-trips exactly at HFP precision', () => {
    const other: VehicleState = {
      ...vehicle,
      vehicleId: '0040/00412',
      operatorId: '0040',
      vehicleNumber: '00412',
      mode: 'tram',
      heading: null,
      speed: null,
      doorsOpen: null,
      routeId: null,
      line: null,
      direction: null,
      stale: true,
      outOfOrder: true,
    };
    const frame = encodeServerMessage({
      type: 'batch',
      serverTime: 5,
      updates: [vehicle, other],
      removed: ['0012/00001'],
    });
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(decodeServerMessage(frame)).toEqual({
      type: 'batch',
      serverTime: 5,
      updates: [vehicle, other],
      removed: ['0012/00001'],
    });
    // Browsers hand over an ArrayBuffer.
    const ab = (frame as Uint8Array).slice().buffer;
    expect(decodeServerMessage(ab)).toEqual(decodeServerMessage(frame));
  });

  it('protocol: the compact record is far smaller than JSON', () => {
    const record = encodeVehicleRecord(vehicle);
    const json = JSON.stringify(vehicle).length;
    expect(record.length).toBeLessThan(128);
    expect(record.length * 3).toBeLessThan(json);
  });

  it('protocol: frames assembled from parts decode; a move between two seen cells is not a removal', () => {
    const a = encodeRemovedId(vehicle.vehicleId);
    const r = encodeVehicleRecord(vehicle);
    const frame = assembleFrame(FRAME_TAG_BATCH, 7, [a, encodeRemovedId('x/1')], 2, [r], 1);
    expect(decodeServerMessage(frame)).toEqual({
      type: 'batch',
      serverTime: 7,
      updates: [vehicle],
      removed: ['x/1'],
    });
  });

  it('protocol: snapshot is binary, the rest JSON text', () => {
    const snap = encodeServerMessage({ type: 'snapshot', serverTime: 1, vehicles: [vehicle] });
    expect(decodeServerMessage(snap)).toEqual({ type: 'snapshot', serverTime: 1, vehicles: [vehicle] });
    const pong = encodeServerMessage({ type: 'pong', t: 1, serverTime: 2 });
    expect(typeof pong).toBe('string');
    expect(decodeServerMessage(pong)).toEqual({ type: 'pong', t: 1, serverTime: 2 });
  });

  it('protocol: client messages are checked, with a reason when bad', () => {
    const vp = encodeClientMessage({ type: 'viewport', bbox: [24.9, 60.1, 25, 60.2], zoom: 12 });
    expect(parseClientMessage(vp)).toEqual({
      ok: true,
      message: { type: 'viewport', bbox: [24.9, 60.1, 25, 60.2], zoom: 12 },
    });
    expect(parseClientMessage('{"type":"viewport","bbox":[1,2,3],"zoom":1}')).toEqual({
      ok: false,
      reason: expect.stringContaining('bbox'),
    });
    expect(parseClientMessage('{"type":"filter","modes":["rocket"]}')).toMatchObject({ ok: false });
    expect(parseClientMessage('nope')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseClientMessage('{"type":"follow","vehicleId":null}')).toEqual({
      ok: true,
      message: { type: 'follow', vehicleId: null },
    });
  });
});
