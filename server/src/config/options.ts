/**
 * Every setting: its flag, its environment variable, its schema and default. The one table that
 * `--help`, validation and the README agree on.
 */
import { z } from 'zod';

export interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly schema: z.ZodTypeAny;
  readonly description: string;
  /** A flag that takes no value (`--flag` = true). */
  readonly boolean?: boolean;
}

const int = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);
const num = (min: number, max: number, def: number) => z.coerce.number().min(min).max(max).default(def);

export const OPTIONS = {
  feed: {
    flag: 'feed',
    env: 'RTM_FEED',
    schema: z.string().default('sim'),
    description: 'sim | live | mqtt://host:port | mqtts://... | replay:<file>',
  },
  topicFilter: {
    flag: 'topic',
    env: 'RTM_TOPIC',
    schema: z.string().min(1).optional(),
    description: 'feed topic filter (live: /hfp/v2/journey/ongoing/vp/#, else /hfp/v2/#)',
  },
  port: {
    flag: 'port',
    env: 'RTM_PORT',
    schema: int(0, 65535, 8080),
    description: 'HTTP + WebSocket port (0 = any free port)',
  },
  host: {
    flag: 'host',
    env: 'RTM_HOST',
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'interface to listen on',
  },
  mqttPort: {
    flag: 'mqtt-port',
    env: 'RTM_MQTT_PORT',
    schema: int(0, 65535, 0),
    description: 'embedded MQTT broker port (0 = any free port)',
  },
  mqttHost: {
    flag: 'mqtt-host',
    env: 'RTM_MQTT_HOST',
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'embedded MQTT broker interface',
  },
  tickMs: {
    flag: 'tick-ms',
    env: 'RTM_TICK_MS',
    schema: int(10, 10_000, 200),
    description: 'gateway batching interval',
  },
  staleMs: {
    flag: 'stale-ms',
    env: 'RTM_STALE_MS',
    schema: int(1000, 86_400_000, 60_000),
    description: 'silent this long: stale',
  },
  removeMs: {
    flag: 'remove-ms',
    env: 'RTM_REMOVE_MS',
    schema: int(1000, 86_400_000, 180_000),
    description: 'silent this long: removed',
  },
  trailLength: {
    flag: 'trail-length',
    env: 'RTM_TRAIL_LENGTH',
    schema: int(1, 10_000, 200),
    description: 'positions kept per vehicle',
  },
  trailMaxAgeMs: {
    flag: 'trail-max-age-ms',
    env: 'RTM_TRAIL_MAX_AGE_MS',
    schema: int(1000, 86_400_000, 900_000),
    description: 'oldest trail point, behind the newest',
  },
  geofencesFile: {
    flag: 'geofences',
    env: 'RTM_GEOFENCES',
    schema: z.string().min(1).optional(),
    description: 'GeoJSON file of extra geofences',
  },
  styleUrl: {
    flag: 'style-url',
    env: 'RTM_STYLE_URL',
    schema: z
      .union([z.literal('offline'), z.string().url()])
      .default('https://tiles.openfreemap.org/styles/liberty'),
    description: "map style URL, or 'offline'",
  },
  center: {
    flag: 'center',
    env: 'RTM_CENTER',
    schema: z
      .string()
      .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'lon,lat')
      .default('24.9384,60.1699'),
    description: 'initial map centre lon,lat',
  },
  zoom: { flag: 'zoom', env: 'RTM_ZOOM', schema: num(0, 22, 13), description: 'initial map zoom' },
  simVehicles: {
    flag: 'sim-vehicles',
    env: 'RTM_SIM_VEHICLES',
    schema: int(1, 20_000, 1000),
    description: 'simulated fleet size',
  },
  simSeed: {
    flag: 'sim-seed',
    env: 'RTM_SIM_SEED',
    schema: int(0, 2 ** 31 - 1, 1),
    description: 'simulator seed',
  },
  simTimeScale: {
    flag: 'sim-time-scale',
    env: 'RTM_SIM_TIME_SCALE',
    schema: num(0.01, 100, 1),
    description: 'simulated seconds per real second',
  },
  gtfs: {
    flag: 'gtfs',
    env: 'RTM_GTFS',
    schema: z.string().min(1).optional(),
    description: 'simulate along the shapes and stop times of a GTFS feed (zip or folder)',
  },
  mqttUrl: {
    flag: 'mqtt-url',
    env: 'RTM_MQTT_URL',
    schema: z.string().url().optional(),
    description: 'sim/replay role: MQTT broker to publish to',
  },
  broker: {
    flag: 'broker',
    env: 'RTM_BROKER',
    schema: z.enum(['memory', 'mqtt', 'kafka', 'nats', 'redis', 'rabbitmq']).default('memory'),
    description: 'broker backend between roles',
  },
  brokerUrl: {
    flag: 'broker-url',
    env: 'RTM_BROKER_URL',
    schema: z.string().min(1).optional(),
    description: "backend address (the backend's default when absent)",
  },
  topicPrefix: {
    flag: 'topic-prefix',
    env: 'RTM_TOPIC_PREFIX',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
      .default(''),
    description: 'prepended to the broker topics (vehicle-positions, geofence-events)',
  },
  rebuildMs: {
    flag: 'rebuild-ms',
    env: 'RTM_REBUILD_MS',
    schema: int(0, 86_400_000, 300_000),
    description: 'gateway: history replayed from the broker before ready (Kafka, NATS; 0 = none)',
  },
  origins: {
    flag: 'origins',
    env: 'RTM_ORIGINS',
    schema: z.string().default(''),
    description: "WebSocket origins allowed besides same-origin, comma-separated ('*' = any)",
  },
  maxClients: {
    flag: 'max-clients',
    env: 'RTM_MAX_CLIENTS',
    schema: int(1, 1_000_000, 10_000),
    description: 'WebSocket connection limit',
  },
  highWaterBytes: {
    flag: 'ws-high-water',
    env: 'RTM_WS_HIGH_WATER',
    schema: int(1024, 1 << 30, 1 << 20),
    description: 'socket buffer above which updates are coalesced',
  },
  slowCloseMs: {
    flag: 'ws-slow-close-ms',
    env: 'RTM_WS_SLOW_CLOSE_MS',
    schema: int(100, 600_000, 15_000),
    description: 'a client over the high-water mark this long is closed',
  },
  maxFrameBytes: {
    flag: 'ws-max-frame',
    env: 'RTM_WS_MAX_FRAME',
    schema: int(1024, 1 << 30, 4 << 20),
    description: 'largest frame sent (snapshots are split)',
  },
  webDist: {
    flag: 'web-dist',
    env: 'RTM_WEB_DIST',
    schema: z.string().min(1).optional(),
    description: 'built web app folder (default web/dist)',
  },
  out: {
    flag: 'out',
    env: 'RTM_RECORD_OUT',
    schema: z.string().min(1).optional(),
    description: 'record role: capture file to write',
  },
  durationS: {
    flag: 'duration-s',
    env: 'RTM_RECORD_DURATION_S',
    schema: z.coerce.number().positive().optional(),
    description: 'record role: stop after this many seconds',
  },
  file: {
    flag: 'file',
    env: 'RTM_REPLAY_FILE',
    schema: z.string().min(1).optional(),
    description: 'replay role: capture file',
  },
  speed: {
    flag: 'speed',
    env: 'RTM_REPLAY_SPEED',
    schema: num(0, 10_000, 1),
    description: 'replay speed factor (0 = as fast as possible)',
  },
  logLevel: {
    flag: 'log-level',
    env: 'RTM_LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'pino log level',
  },
} satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;
