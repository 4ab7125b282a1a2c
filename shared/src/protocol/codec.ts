/**
 * Encoding of protocol messages.
 *
 * Server -> client: `batch` and `snapshot` travel as binary frames (the bulk of the traffic), the rare
 * rest (hello, geofence, status, pong, error) as JSON text frames. A binary frame is
 *
 *   u8 tag (1 batch, 2 snapshot) | u8 protocol version | f64 serverTime | u32 removed | u32 updates
 *   | removed ids (u8 length + UTF-8 each) | vehicle records (./vehicle-record.ts)
 *
 * so the gateway can build a client's frame by concatenating pre-encoded per-cell parts
 * (`assembleFrame`). A vehicle that moved between two cells the client sees appears both as removed
 * (old cell) and updated (new cell); the decoder drops such removals, so apply order does not matter.
 * Browsers: set `ws.binaryType = 'arraybuffer'`; decodeServerMessage takes the ArrayBuffer as is.
 *
 * Client -> server: JSON text, checked by `parseClientMessage` (value or reason, never throws).
 */
import type { VehicleState } from '../api.ts';
import { TRANSPORT_MODES, type TransportMode } from '../position.ts';
import type { BatchMessage, ClientMessage, ServerMessage, SnapshotMessage } from './messages.ts';
import { PROTOCOL_VERSION } from './messages.ts';
import {
  ByteReader,
  ByteWriter,
  encodeRemovedId,
  encodeVehicleRecord,
  readVehicleRecord,
} from './vehicle-record.ts';

export type Frame = string | Uint8Array | ArrayBuffer;

export const FRAME_TAG_BATCH = 1;
export const FRAME_TAG_SNAPSHOT = 2;
export const FRAME_HEADER_BYTES = 18;

/**
 * Builds one binary frame from already-encoded parts: one allocation, then copies. `removed` parts
 * hold u8-length-prefixed ids, `updates` parts hold vehicle records; the counts are the totals.
 * `alloc` may hand out uninitialised or pooled memory (the server's fan-out uses Node's Buffer pool).
 */
export function assembleFrame(
  tag: typeof FRAME_TAG_BATCH | typeof FRAME_TAG_SNAPSHOT,
  serverTime: number,
  removed: readonly Uint8Array[],
  removedCount: number,
  updates: readonly Uint8Array[],
  updateCount: number,
  alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
): Uint8Array {
  let size = FRAME_HEADER_BYTES;
  for (const p of removed) size += p.length;
  for (const p of updates) size += p.length;
  const out = alloc(size);
  const view = new DataView(out.buffer, out.byteOffset, size);
  view.setUint8(0, tag);
  view.setUint8(1, PROTOCOL_VERSION);
  view.setFloat64(2, serverTime, true);
  view.setUint32(10, removedCount, true);
  view.setUint32(14, updateCount, true);
  let o = FRAME_HEADER_BYTES;
  for (const p of removed) {
    out.set(p, o);
    o += p.length;
  }
  for (const p of updates) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encodeServerMessage(message: ServerMessage): string | Uint8Array {
  if (message.type === 'batch') {
    const writer = new ByteWriter(64);
    return assembleFrame(
      FRAME_TAG_BATCH,
      message.serverTime,
      message.removed.map((id) => encodeRemovedId(id, writer)),
      message.removed.length,
      message.updates.map((v) => encodeVehicleRecord(v, writer)),
      message.updates.length,
    );
  }
  if (message.type === 'snapshot') {
    const writer = new ByteWriter(128);
    return assembleFrame(
      FRAME_TAG_SNAPSHOT,
      message.serverTime,
      [],
      0,
      message.vehicles.map((v) => encodeVehicleRecord(v, writer)),
      message.vehicles.length,
    );
  }
  return JSON.stringify(message);
}

export class ProtocolDecodeError extends Error {
  readonly code = 'PROTOCOL_DECODE_FAILED';
}

function decodeBinary(bytes: Uint8Array): BatchMessage | SnapshotMessage {
  if (bytes.length < FRAME_HEADER_BYTES) throw new ProtocolDecodeError(`frame of ${bytes.length} bytes`);
  const r = new ByteReader(bytes);
  const tag = r.u8();
  const version = r.u8();
  if (version !== PROTOCOL_VERSION) {
    throw new ProtocolDecodeError(`protocol version ${version}, expected ${PROTOCOL_VERSION}`);
  }
  const serverTime = r.f64();
  const removedCount = r.u32();
  const updateCount = r.u32();
  const removed: string[] = [];
  for (let i = 0; i < removedCount; i++) removed.push(r.str() ?? '');
  const updates: VehicleState[] = [];
  for (let i = 0; i < updateCount; i++) updates.push(readVehicleRecord(r));
  if (tag === FRAME_TAG_SNAPSHOT) return { type: 'snapshot', serverTime, vehicles: updates };
  if (tag !== FRAME_TAG_BATCH) throw new ProtocolDecodeError(`unknown frame tag ${tag}`);
  const updated = new Set(updates.map((u) => u.vehicleId));
  return { type: 'batch', serverTime, updates, removed: removed.filter((id) => !updated.has(id)) };
}

export function decodeServerMessage(frame: Frame): ServerMessage {
  if (typeof frame === 'string') return JSON.parse(frame) as ServerMessage;
  return decodeBinary(frame instanceof Uint8Array ? frame : new Uint8Array(frame));
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

export type ParsedClientMessage =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly reason: string };

const fail = (reason: string): ParsedClientMessage => ({ ok: false, reason });
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 1000 && v.every((s) => typeof s === 'string' && s.length <= 64);

/** Pure check of a client frame: the message, or why it is not one. */
export function parseClientMessage(frame: Frame): ParsedClientMessage {
  if (typeof frame !== 'string') return fail('client messages are JSON text frames');
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return fail('not JSON');
  }
  if (typeof raw !== 'object' || raw === null) return fail('not an object');
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'viewport': {
      const b = m.bbox;
      if (!Array.isArray(b) || b.length !== 4 || !b.every(isNum)) return fail('viewport.bbox: 4 numbers');
      const [w, s, e, n] = b as [number, number, number, number];
      if (s > n || s < -90 || n > 90 || w < -180 || e > 180 || w > 180 || e < -180) {
        return fail('viewport.bbox: [west, south, east, north] in WGS84 degrees');
      }
      if (!isNum(m.zoom) || m.zoom < 0 || m.zoom > 24) return fail('viewport.zoom: a number 0..24');
      return { ok: true, message: { type: 'viewport', bbox: [w, s, e, n], zoom: m.zoom } };
    }
    case 'filter': {
      if (m.modes !== undefined && !isStringList(m.modes)) return fail('filter.modes: a list of modes');
      if (m.routes !== undefined && !isStringList(m.routes)) return fail('filter.routes: a list of strings');
      const modes = m.modes as string[] | undefined;
      if (modes?.some((x) => !TRANSPORT_MODES.includes(x as TransportMode))) {
        return fail(`filter.modes: one of ${TRANSPORT_MODES.join(', ')}`);
      }
      return {
        ok: true,
        message: {
          type: 'filter',
          ...(modes ? { modes: modes as TransportMode[] } : {}),
          ...(m.routes ? { routes: m.routes as string[] } : {}),
        },
      };
    }
    case 'follow':
      if (m.vehicleId !== null && (typeof m.vehicleId !== 'string' || m.vehicleId.length > 64)) {
        return fail('follow.vehicleId: a vehicle id or null');
      }
      return { ok: true, message: { type: 'follow', vehicleId: m.vehicleId } };
    case 'ping':
      if (!isNum(m.t)) return fail('ping.t: a number');
      return { ok: true, message: { type: 'ping', t: m.t } };
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

/** Throwing form of parseClientMessage. */
export function decodeClientMessage(frame: Frame): ClientMessage {
  const parsed = parseClientMessage(frame);
  if (!parsed.ok) throw new ProtocolDecodeError(parsed.reason);
  return parsed.message;
}

export { ByteWriter, encodeRemovedId, encodeVehicleRecord } from './vehicle-record.ts';
