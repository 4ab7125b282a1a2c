/**
 * Binary encoding of one VehicleState: the unit the gateway encodes once and shares between clients.
 * Little-endian, self-delimiting, about 60-90 bytes per vehicle (JSON is ~550). Numbers keep HFP's
 * precision: coordinates as 1e-7 degrees, speed cm/s, acceleration cm/s², heading 0.1 degree.
 */
import type { VehicleState } from '../api.ts';
import { HFP_EVENT_TYPES, HFP_JOURNEY_TYPES } from '../hfp/event-types.ts';
import { type PositionSource, TRANSPORT_MODES } from '../position.ts';

// The wire carries event and journey types as indexes in HFP's own lists: reordering them is a protocol change.
const EVENT_TYPES = HFP_EVENT_TYPES;
const JOURNEY_TYPES = HFP_JOURNEY_TYPES;
const SOURCES: readonly PositionSource[] = ['GPS', 'ODO', 'MAN', 'DR', 'N/A'];

const NULL_U8 = 0xff;
const NULL_U16 = 0xffff;
const NULL_I32 = -0x80000000;
const NULL_U32 = 0xffffffff;
const MAX_STRING_BYTES = 254;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Flags byte.
const DOORS_KNOWN = 1;
const DOORS_OPEN = 2;
const STALE = 4;
const OUT_OF_ORDER = 8;

/** Grows on demand; one per encoder call site, reused across records. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  offset = 0;
  constructor(initial = 1024) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }
  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.offset));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.offset, v);
    this.offset += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.offset, v, true);
    this.offset += 2;
  }
  i16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.offset, v, true);
    this.offset += 2;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.offset, v, true);
    this.offset += 4;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, v, true);
    this.offset += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.offset, v, true);
    this.offset += 8;
  }
  /** u8 length (0xff = null) + UTF-8 bytes, cut at 254 bytes. */
  str(v: string | null): void {
    if (v === null) {
      this.u8(NULL_U8);
      return;
    }
    let bytes = encoder.encode(v);
    if (bytes.length > MAX_STRING_BYTES) bytes = bytes.subarray(0, MAX_STRING_BYTES);
    this.u8(bytes.length);
    this.bytes(bytes);
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.offset);
    this.offset += b.length;
  }
  /** A copy of what was written. */
  take(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
  reset(): void {
    this.offset = 0;
  }
}

export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get remaining(): number {
    return this.buf.length - this.offset;
  }
  u8(): number {
    const v = this.view.getUint8(this.offset);
    this.offset += 1;
    return v;
  }
  u16(): number {
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }
  i16(): number {
    const v = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  str(): string | null {
    const n = this.u8();
    if (n === NULL_U8) return null;
    const s = decoder.decode(this.buf.subarray(this.offset, this.offset + n));
    this.offset += n;
    return s;
  }
}

function scaled(v: number | null, scale: number, nullValue: number, min: number, max: number): number {
  if (v === null || !Number.isFinite(v)) return nullValue;
  return Math.min(max, Math.max(min, Math.round(v * scale)));
}

function unscaled(v: number, scale: number, nullValue: number): number | null {
  return v === nullValue ? null : v / scale;
}

function indexOf<T>(list: readonly T[], v: T | null): number {
  if (v === null) return NULL_U8;
  const i = list.indexOf(v);
  return i < 0 ? NULL_U8 : i;
}

export function writeVehicleRecord(w: ByteWriter, v: VehicleState): void {
  w.str(v.vehicleId);
  w.u8(indexOf(TRANSPORT_MODES, v.mode));
  w.u8(indexOf(EVENT_TYPES, v.eventType));
  w.u8(indexOf(JOURNEY_TYPES, v.journeyType));
  w.u8(indexOf(SOURCES, v.source));
  w.u8(v.direction ?? 0);
  let flags = 0;
  if (v.doorsOpen !== null) flags |= DOORS_KNOWN;
  if (v.doorsOpen === true) flags |= DOORS_OPEN;
  if (v.stale) flags |= STALE;
  if (v.outOfOrder) flags |= OUT_OF_ORDER;
  w.u8(flags);
  w.i32(Math.round(v.lat * 1e7));
  w.i32(Math.round(v.lon * 1e7));
  w.u16(scaled(v.heading, 10, NULL_U16, 0, 3599));
  w.u16(scaled(v.speed, 100, NULL_U16, 0, 0xfffe));
  w.i16(scaled(v.acceleration, 100, -0x8000, -0x7fff, 0x7fff));
  w.i32(scaled(v.delay, 1, NULL_I32, -0x7fffffff, 0x7fffffff));
  w.u32(scaled(v.odometer, 1, NULL_U32, 0, 0xfffffffe));
  w.u8(scaled(v.occupancy, 1, NULL_U8, 0, 0xfe));
  w.f64(v.eventTime);
  w.f64(v.lastSeen);
  w.str(v.routeId);
  w.str(v.line);
  w.str(v.headsign);
  w.str(v.startTime);
  w.str(v.operatingDay);
  w.str(v.nextStop);
  w.str(v.stop);
}

export function readVehicleRecord(r: ByteReader): VehicleState {
  const vehicleId = r.str() ?? '';
  const slash = vehicleId.indexOf('/');
  const mode = TRANSPORT_MODES[r.u8()] ?? 'unknown';
  const eventType = EVENT_TYPES[r.u8()] ?? 'vp';
  const journeyType = JOURNEY_TYPES[r.u8()] ?? 'journey';
  const source = SOURCES[r.u8()] ?? null;
  const dir = r.u8();
  const flags = r.u8();
  const lat = r.i32() / 1e7;
  const lon = r.i32() / 1e7;
  const heading = unscaled(r.u16(), 10, NULL_U16);
  const speed = unscaled(r.u16(), 100, NULL_U16);
  const acceleration = unscaled(r.i16(), 100, -0x8000);
  const delay = unscaled(r.i32(), 1, NULL_I32);
  const odometer = unscaled(r.u32(), 1, NULL_U32);
  const occupancy = unscaled(r.u8(), 1, NULL_U8);
  const eventTime = r.f64();
  const lastSeen = r.f64();
  const state: VehicleState = {
    vehicleId,
    operatorId: slash < 0 ? vehicleId : vehicleId.slice(0, slash),
    vehicleNumber: slash < 0 ? '' : vehicleId.slice(slash + 1),
    mode,
    eventType,
    journeyType,
    source,
    direction: dir === 1 || dir === 2 ? dir : null,
    doorsOpen: flags & DOORS_KNOWN ? (flags & DOORS_OPEN) !== 0 : null,
    stale: (flags & STALE) !== 0,
    ...(flags & OUT_OF_ORDER ? { outOfOrder: true } : {}),
    lat,
    lon,
    heading,
    speed,
    acceleration,
    delay,
    odometer,
    occupancy,
    eventTime,
    lastSeen,
    routeId: r.str(),
    line: r.str(),
    headsign: r.str(),
    startTime: r.str(),
    operatingDay: r.str(),
    nextStop: r.str(),
    stop: r.str(),
  };
  return state;
}

/** One vehicle's record bytes (the gateway caches this per vehicle until it changes). */
export function encodeVehicleRecord(v: VehicleState, writer = new ByteWriter(128)): Uint8Array {
  writer.reset();
  writeVehicleRecord(writer, v);
  return writer.take();
}

/** Removed ids are u8-length-prefixed UTF-8, like record strings. */
export function encodeRemovedId(id: string, writer = new ByteWriter(32)): Uint8Array {
  writer.reset();
  writer.str(id);
  return writer.take();
}
