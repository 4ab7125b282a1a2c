/** Which Servers each role runs, in start order. All-in-one is the solid path; the rest are wired simply. */
import type { Logger } from 'pino';
import { feedModeOf } from '../config/feed-spec.ts';
import type { Config } from '../config/load-config.ts';
import { buildFeed } from '../feed/index.ts';
import { buildSimulator, type EmbeddedBroker, networkGeoJson, startEmbeddedBroker } from '../sim/index.ts';
import { type Recording, recordCapture } from '../sim/record.ts';
import type { Broker } from '../transport/broker.ts';
import { createBroker } from '../transport/create-broker.ts';
import type { Server } from '../transport/server.ts';
import { allInOne } from './all-in-one.ts';
import { lazyServer } from './lazy-server.ts';
import { batchingBroker } from './position-batcher.ts';
import { replayServer } from './replay-server.ts';
import { serveGateway, topicsFor } from './serve-gateway.ts';
import { simulationNetwork } from './sim-network.ts';

function networkBroker(config: Config, logger: Logger): Promise<Broker> {
  return createBroker({
    backend: config.broker,
    ...(config.brokerUrl ? { url: config.brokerUrl } : {}),
    logger: logger.child({ area: 'broker' }),
  });
}

const brokerServer = (broker: Broker): Server => ({
  name: 'broker',
  start: () => broker.connect(),
  stop: () => broker.close(),
});

/**
 * An embedded MQTT broker unless --mqtt-url names one; `url()` is valid once started, and `embedded()`
 * gives the broker itself so a simulator in this process can publish into it without a client socket.
 */
function mqttTarget(
  config: Config,
  logger: Logger,
): { servers: Server[]; url: () => string; embedded: () => EmbeddedBroker | undefined } {
  if (config.mqttUrl) return { servers: [], url: () => config.mqttUrl!, embedded: () => undefined };
  let url = '';
  let broker: EmbeddedBroker | undefined;
  let close: (() => Promise<void>) | undefined;
  const server: Server = {
    name: 'embedded-mqtt',
    async start() {
      const b = await startEmbeddedBroker({ port: config.mqttPort, host: config.mqttHost, logger });
      url = b.url;
      broker = b;
      close = () => b.close();
    },
    async stop() {
      broker = undefined;
      await close?.();
    },
  };
  return { servers: [server], url: () => url, embedded: () => broker };
}

export async function serversForRole(config: Config, logger: Logger): Promise<readonly Server[]> {
  switch (config.role) {
    case 'help':
    case 'start':
      return (await allInOne(config, logger)).servers;
    case 'gateway': {
      const broker = await networkBroker(config, logger);
      const net =
        config.feed.kind === 'sim'
          ? networkGeoJson(simulationNetwork(config))
          : { type: 'FeatureCollection' as const, features: [] };
      const serving = await serveGateway({
        config,
        logger,
        broker,
        feedMode: feedModeOf(config.feed),
        network: () => net,
        evaluateGeofences: true,
        scaledOut: true,
      });
      return [brokerServer(broker), ...serving.servers];
    }
    case 'ingest': {
      // Positions travel in batches across processes (position-batcher.ts: why).
      const broker = batchingBroker(await networkBroker(config, logger), {
        topic: topicsFor(config).positions,
      });
      const feedUrl =
        config.feed.kind === 'live' || config.feed.kind === 'mqtt' ? config.feed.url : config.mqttUrl;
      if (!feedUrl) throw new Error('ingest needs --feed live|mqtt://... (or --mqtt-url of a sim role)');
      const feed = buildFeed({
        mqttUrl: feedUrl,
        ...(config.topicFilter ? { topicFilter: config.topicFilter } : {}),
        broker,
        positionsTopic: topicsFor(config).positions,
        logger: logger.child({ area: 'feed' }),
      });
      return [brokerServer(broker), feed];
    }
    case 'sim': {
      const target = mqttTarget(config, logger);
      const sim = lazyServer('simulator', () =>
        buildSimulator({
          mqttUrl: target.url(),
          ...(target.embedded() ? { embedded: target.embedded()! } : {}),
          vehicles: config.simVehicles,
          seed: config.simSeed,
          timeScale: config.simTimeScale,
          network: simulationNetwork(config),
          logger: logger.child({ area: 'sim' }),
        }),
      );
      return [...target.servers, sim];
    }
    case 'replay': {
      const target = mqttTarget(config, logger);
      const file = config.file ?? (config.feed.kind === 'replay' ? config.feed.file : '');
      return [
        ...target.servers,
        lazyServer('replay', () =>
          replayServer({ file, mqttUrl: target.url(), speed: config.speed, logger }),
        ),
      ];
    }
    case 'record': {
      const url =
        config.feed.kind === 'live' || config.feed.kind === 'mqtt' ? config.feed.url : config.mqttUrl;
      if (!url) throw new Error('record needs --feed live|mqtt://... or --mqtt-url');
      let recording: Recording | undefined;
      const record: Server = {
        name: 'record',
        async start() {
          recording = await recordCapture({
            mqttUrl: url,
            file: config.out!,
            ...(config.topicFilter ? { topicFilter: config.topicFilter } : {}),
            ...(config.durationS ? { durationMs: config.durationS * 1000 } : {}),
            logger: logger.child({ area: 'record' }),
          });
          recording.done.then((stats) => logger.info({ stats, file: config.out }, 'recording finished'));
        },
        async stop() {
          await recording?.stop();
        },
      };
      return [record];
    }
  }
}
