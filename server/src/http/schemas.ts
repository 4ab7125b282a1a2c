/** JSON schemas of the REST shapes (shared/src/api.ts), for validation, serialization and OpenAPI. */
import { TRANSPORT_MODES } from '@realtimemap/shared';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const num = { type: 'number' } as const;
const nnum = { type: ['number', 'null'] } as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: { type: str, title: str, status: { type: 'integer' }, detail: str, code: str },
} as const;

export const vehicleSchema = {
  $id: 'Vehicle',
  type: 'object',
  required: [
    'vehicleId',
    'operatorId',
    'vehicleNumber',
    'mode',
    'lat',
    'lon',
    'eventTime',
    'stale',
    'lastSeen',
  ],
  properties: {
    vehicleId: str,
    operatorId: str,
    vehicleNumber: str,
    mode: { type: 'string', enum: TRANSPORT_MODES },
    eventType: str,
    journeyType: str,
    routeId: nstr,
    line: nstr,
    direction: { type: ['integer', 'null'] },
    headsign: nstr,
    startTime: nstr,
    operatingDay: nstr,
    lat: num,
    lon: num,
    heading: nnum,
    speed: nnum,
    acceleration: nnum,
    delay: nnum,
    odometer: nnum,
    doorsOpen: { type: ['boolean', 'null'] },
    occupancy: nnum,
    eventTime: num,
    source: nstr,
    nextStop: nstr,
    stop: nstr,
    stale: { type: 'boolean' },
    lastSeen: num,
  },
} as const;

export const trailSchema = {
  type: 'object',
  required: ['vehicleId', 'points'],
  properties: {
    vehicleId: str,
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['t', 'lat', 'lon'],
        properties: { t: num, lat: num, lon: num, heading: nnum, speed: nnum },
      },
    },
  },
} as const;

export const geofenceSchema = {
  $id: 'Geofence',
  type: 'object',
  required: ['id', 'name', 'geometry', 'vehicleIds'],
  properties: {
    id: str,
    name: str,
    geometry: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['circle', 'polygon'] },
        center: { type: 'array', items: num },
        radiusMeters: num,
        coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', items: num } } },
      },
    },
    vehicleIds: { type: 'array', items: str },
  },
} as const;

export const organizationSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: str, name: str },
} as const;

export const vehicleIdParams = {
  type: 'object',
  required: ['id'],
  // `0022/01216` arrives URL-encoded as one segment; also accepted as `0022-01216`... kept strict.
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const statusSchema = {
  type: 'object',
  required: ['feedMode', 'vehicles', 'messagesPerSecond', 'feed', 'broker', 'clients', 'uptimeSeconds'],
  properties: {
    feedMode: str,
    vehicles: { type: 'integer' },
    messagesPerSecond: num,
    feed: {
      type: ['object', 'null'],
      properties: {
        connected: { type: 'boolean' },
        received: num,
        accepted: num,
        upcoming: num,
        duplicates: num,
        outOfOrder: num,
        rejected: { type: 'object', additionalProperties: num },
      },
    },
    broker: {
      type: 'object',
      properties: { backend: str, status: str, healthy: { type: 'boolean' } },
    },
    clients: { type: 'integer' },
    uptimeSeconds: num,
  },
} as const;

export const problemResponses = {
  400: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
} as const;
