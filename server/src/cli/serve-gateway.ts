/**
 * The serving half, shared by `start` and `gateway`: state (store, geofences, staleness), the
 * WebSocket gateway and the HTTP app, as Servers in start order. Nothing listens until started.
 */
import { fileURLToPath } from 'node:url';
import type { ApiStatus, FeedMode, GeofenceEvent, NetworkGeoJson } from '@realtimemap/shared';
import { PROTOCOL_VERSION } from '@realtimemap/shared';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/load-config.ts';
import type { FeedStats } from '../feed/index.ts';
import { buildGateway, type Gateway } from '../gateway/gateway.ts';
import { buildHttp } from '../http/build-http.ts';
import { buildMetrics } from '../http/metrics.ts';
import { type Clock, systemClock } from '../state/clock.ts';
import { GeofenceTracker } from '../state/geofence-tracker.ts';
import { loadGeofences } from '../state/geofences.ts';
import { buildStateService, type StateService } from '../state/state-service.ts';
import { VehicleStore } from '../state/vehicle-store.ts';
import type { Broker } from '../transport/broker.ts';
import type { Server } from '../transport/server.ts';
import { registerStateMetrics } from './state-metrics.ts';

export const POSITIONS_TOPIC = 'vehicle-positions';
export const GEOFENCE_TOPIC = 'geofence-events';
/** The competing group whose members decide which gateway publishes each geofence event. */
export const GEOFENCE_GROUP = 'geofence';

/** The deployment's topic names (`--topic-prefix` keeps deployments, or test runs, apart). */
export function topicsFor(config: Pick<Config, 'topicPrefix'>): { positions: string; geofences: string } {
  return {
    positions: `${config.topicPrefix}${POSITIONS_TOPIC}`,
    geofences: `${config.topicPrefix}${GEOFENCE_TOPIC}`,
  };
}

export interface ServeOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly broker: Broker;
  readonly feedMode: FeedMode;
  /** Feed counters when this process runs the feed. */
  /** Present when this process runs the feed; undefined until the feed has started. */
  readonly feedStats?: () => FeedStats | undefined;
  readonly network: () => NetworkGeoJson;
  /** Evaluate geofences and publish events. */
  readonly evaluateGeofences: boolean;
  /**
   * Scaled out: publish only the events of positions this gateway's member of the geofence group
   * is handed (once per deployment), and rebuild state from the broker before ready.
   */
  readonly scaledOut?: boolean;
  readonly clock?: Clock;
}

export interface Serving {
  readonly servers: readonly Server[];
  readonly store: VehicleStore;
  readonly gateway: Gateway;
  readonly state: StateService;
  /** The bound address once started. */
  address(): { readonly host: string; readonly port: number };
}

const defaultWebDist = () => fileURLToPath(new URL('../../../web/dist', import.meta.url));

export async function serveGateway(options: ServeOptions): Promise<Serving> {
  const { config, logger, broker } = options;
  const clock = options.clock ?? systemClock;
  const started = clock();
  const store = new VehicleStore({
    clock,
    staleMs: config.staleMs,
    removeMs: config.removeMs,
    trail: { maxLength: config.trailLength, maxAgeMs: config.trailMaxAgeMs },
  });
  const geofences = await loadGeofences(config.geofencesFile);
  const tracker = new GeofenceTracker(geofences);
  const topics = topicsFor(config);
  const grouped = options.scaledOut === true && broker.capabilities.groups;
  if (options.scaledOut && !grouped)
    logger.warn({ backend: broker.name }, 'backend without groups: every gateway publishes geofence events');
  const state = buildStateService({
    broker,
    store,
    tracker,
    logger: logger.child({ area: 'state' }),
    positionsTopic: topics.positions,
    geofenceTopic: topics.geofences,
    evaluateGeofences: options.evaluateGeofences,
    ...(grouped ? { geofenceGroup: GEOFENCE_GROUP } : {}),
    ...(options.scaledOut ? { rebuildMs: config.rebuildMs } : {}),
    clock,
  });
  let gateway: Gateway | undefined;
  const metrics = buildMetrics({
    vehicles: () => store.size,
    feed: options.feedStats,
    gateway: () => gateway!.stats(),
  });
  registerStateMetrics(metrics.registry, () => state.stats());
  gateway = buildGateway({
    store,
    logger: logger.child({ area: 'gateway' }),
    clock,
    feedMode: options.feedMode,
    tickMs: config.tickMs,
    highWaterBytes: config.highWaterBytes,
    slowCloseMs: config.slowCloseMs,
    maxFrameBytes: config.maxFrameBytes,
    maxClients: config.maxClients,
    origins: config.origins,
    status: () => ({ messagesPerSecond: options.feedStats?.()?.messagesPerSecond ?? 0 }),
    onFrameLatency: metrics.observeFrameLatency,
  });
  const gw = gateway;
  const status = (): ApiStatus => {
    const f = options.feedStats?.();
    return {
      feedMode: options.feedMode,
      vehicles: store.size,
      messagesPerSecond: f?.messagesPerSecond ?? 0,
      feed: f
        ? {
            connected: f.connected,
            received: f.received,
            accepted: f.accepted,
            upcoming: f.upcoming,
            duplicates: f.duplicates,
            outOfOrder: f.outOfOrder,
            rejected: f.rejected as Record<string, number>,
          }
        : null,
      broker: {
        backend: broker.name,
        status: broker.status.type,
        healthy: broker.status.type === 'connected',
      },
      clients: gw.stats().clients,
      uptimeSeconds: Math.round((clock() - started) / 1000),
    };
  };
  let app: FastifyInstance | undefined;
  let bound = { host: config.host, port: config.port };

  // Geofence events reach every client of every gateway, whoever evaluated them.
  let geofenceSub: Awaited<ReturnType<Broker['subscribe']>> | undefined;
  const events: Server = {
    name: 'geofence-events',
    async start() {
      geofenceSub = await broker.subscribe<GeofenceEvent>(topics.geofences, (m) => {
        gw.broadcast({ type: 'geofence', event: m.value });
      });
    },
    async stop() {
      await geofenceSub?.close();
    },
  };

  const http: Server = {
    name: 'http',
    async start() {
      app = await buildHttp({
        logger,
        store,
        tracker,
        geofences,
        clientConfig: {
          styleUrl: config.styleUrl,
          feedMode: options.feedMode,
          protocolVersion: PROTOCOL_VERSION,
          center: config.center,
          zoom: config.zoom,
        },
        network: options.network,
        status,
        readiness: () => {
          const f = options.feedStats?.();
          const checks = {
            broker: broker.status.type === 'connected',
            // Scaled out: the state is rebuilt from the broker first (trails present at once).
            state: state.ready(),
            // A process that runs a feed is ready only once it is connected.
            ...(options.feedStats ? { feed: f?.connected ?? false } : {}),
          };
          return { ready: Object.values(checks).every(Boolean), checks };
        },
        metrics: metrics.registry,
        webDist: config.webDist ?? defaultWebDist(),
      });
      app.server.on('upgrade', (req, socket, head) => {
        if (!gw.handleUpgrade(req, socket, head)) socket.destroy();
      });
      await app.listen({ port: config.port, host: config.host });
      const a = app.server.address();
      if (a && typeof a === 'object') bound = { host: a.address, port: a.port };
      logger.info(
        { url: `http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}/` },
        'listening',
      );
    },
    async stop() {
      // WebSocket clients first (upgraded sockets would hold the HTTP server open), then HTTP.
      await gw.stop();
      await app?.close();
    },
  };
  const gatewayTimers: Server = { name: 'gateway', start: () => gw.start(), stop: async () => {} };

  return {
    // The gateway listens to the store before state fills it, so no change is missed.
    servers: [gatewayTimers, events, state, http],
    store,
    gateway: gw,
    state,
    address: () => bound,
  };
}
