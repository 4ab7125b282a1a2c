/**
 * `start`: everything in one process. Embedded MQTT broker (unless the feed is live or an external
 * MQTT URL), simulator or replay into it, feed -> in-memory broker -> state -> gateway + REST + web.
 */

import type { NetworkGeoJson } from '@realtimemap/shared';
import type { Logger } from 'pino';
import { DEFAULT_TOPIC_FILTER, feedModeOf } from '../config/feed-spec.ts';
import type { Config } from '../config/load-config.ts';
import { buildFeed, type Feed } from '../feed/index.ts';
import {
  buildSimulator,
  type EmbeddedBroker,
  networkGeoJson as simNetworkGeoJson,
  startEmbeddedBroker,
} from '../sim/index.ts';
import { createMemoryBroker } from '../transport/backends/memory/index.ts';
import type { Server } from '../transport/server.ts';
import { lazyServer } from './lazy-server.ts';
import { replayServer } from './replay-server.ts';
import { type Serving, serveGateway, topicsFor } from './serve-gateway.ts';
import { simulationNetwork } from './sim-network.ts';

export interface AllInOne {
  readonly servers: readonly Server[];
  readonly serving: Serving;
  /** The embedded MQTT broker's URL once started (undefined for live / external feeds). */
  mqttUrl(): string | undefined;
}

const EMPTY: NetworkGeoJson = { type: 'FeatureCollection', features: [] };

export async function allInOne(config: Config, logger: Logger): Promise<AllInOne> {
  const feedSpec = config.feed;
  const broker = createMemoryBroker();
  let feed: Feed | undefined;
  let mqttUrl: string | undefined =
    feedSpec.kind === 'live' || feedSpec.kind === 'mqtt' ? feedSpec.url : undefined;
  const embedded = feedSpec.kind === 'sim' || feedSpec.kind === 'replay';
  const simNet = feedSpec.kind === 'sim' ? simulationNetwork(config) : undefined;
  const network = simNet ? simNetworkGeoJson(simNet) : EMPTY;
  const serving = await serveGateway({
    config,
    logger,
    broker,
    feedMode: feedModeOf(feedSpec),
    feedStats: () => feed?.stats(),
    network: () => network,
    evaluateGeofences: true,
  });
  const servers: Server[] = [];
  let embeddedBroker: EmbeddedBroker | undefined;
  if (embedded) {
    let close: (() => Promise<void>) | undefined;
    servers.push({
      name: 'embedded-mqtt',
      async start() {
        const b = await startEmbeddedBroker({
          port: config.mqttPort,
          host: config.mqttHost,
          logger: logger.child({ area: 'mqtt' }),
        });
        mqttUrl = b.url;
        embeddedBroker = b;
        close = () => b.close();
      },
      async stop() {
        await close?.();
      },
    });
  }
  servers.push({ name: 'broker', start: () => broker.connect(), stop: () => broker.close() });
  servers.push(...serving.servers);
  servers.push(
    lazyServer('feed', () => {
      feed = buildFeed({
        mqttUrl: mqttUrl!,
        // The live feed: positions only (bandwidth); the simulator: every event (doors, stops).
        ...(feedSpec.kind === 'live'
          ? { topicFilter: config.topicFilter ?? DEFAULT_TOPIC_FILTER }
          : config.topicFilter
            ? { topicFilter: config.topicFilter }
            : {}),
        broker,
        positionsTopic: topicsFor(config).positions,
        logger: logger.child({ area: 'feed' }),
      });
      return feed;
    }),
  );
  if (feedSpec.kind === 'sim') {
    servers.push(
      lazyServer('simulator', () =>
        buildSimulator({
          mqttUrl: mqttUrl!,
          // In-process into the embedded broker: no MQTT client on the simulator's side.
          ...(embeddedBroker ? { embedded: embeddedBroker } : {}),
          vehicles: config.simVehicles,
          seed: config.simSeed,
          timeScale: config.simTimeScale,
          ...(simNet ? { network: simNet } : {}),
          logger: logger.child({ area: 'sim' }),
        }),
      ),
    );
  } else if (feedSpec.kind === 'replay') {
    servers.push(
      lazyServer('replay', () =>
        replayServer({ file: feedSpec.file, mqttUrl: mqttUrl!, speed: config.speed, logger }),
      ),
    );
  }
  return { servers, serving, mqttUrl: () => mqttUrl };
}
