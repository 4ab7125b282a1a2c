import type { VehiclePosition } from '@realtimemap/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFeed, type Feed } from '../../src/feed/feed.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../src/sim/embedded-broker.ts';
import { buildSimulator } from '../../src/sim/simulator.ts';
import { createMemoryBroker } from '../../src/transport/backends/memory/index.ts';
import type { Broker } from '../../src/transport/broker.ts';
import { connectClient, silent, waitFor } from '../sim/helpers.ts';
import { miniNetwork } from '../sim/mini-network.ts';

const TOPIC = '/hfp/v2/journey/ongoing/vp/bus/0018/00679/1064/1/Itä-Pakila/21:12/1353117/4/60;24/29/56/00';

function vp(tst: string, lat = 60.250574): string {
  return `{"VP":{"desi":"64","dir":"1","oper":6,"veh":679,"tst":"${tst}","tsi":${Math.floor(Date.parse(tst) / 1000)},"spd":10.19,"hdg":38,"lat":${lat},"long":24.960863,"acc":-0.15,"dl":-399,"odo":10689,"drst":0,"oday":"2023-10-29","jrn":513,"line":80,"start":"21:12","loc":"GPS","stop":null,"route":"1064","occu":0}}`;
}

describe('feed ingest', () => {
  let mqttBroker: EmbeddedBroker;
  let broker: Broker;
  let feed: Feed | undefined;
  const received: { key: string | undefined; value: VehiclePosition }[] = [];

  beforeEach(async () => {
    received.length = 0;
    mqttBroker = await startEmbeddedBroker({ logger: silent });
    broker = createMemoryBroker();
    await broker.connect();
    await broker.subscribe<VehiclePosition>('vehicle-positions', (m) => {
      received.push({ key: m.key, value: m.value });
    });
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await broker.close();
    await mqttBroker.close();
  });

  it('feed: publishes normalized positions keyed by vehicle id, drops exact duplicates, marks late ones, counts rejects', async () => {
    feed = buildFeed({ mqttUrl: mqttBroker.url, broker, logger: silent });
    await feed.start();
    expect(feed.stats().connected).toBe(true);
    const pub = await connectClient(mqttBroker.url);
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:47:07.344Z'));
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:47:07.344Z')); // exact repeat
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:47:08.344Z', 60.2506));
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:46:30.000Z', 60.2501)); // from a backlog
    await pub.publishAsync(TOPIC, '{"VP":{"lat":');
    await pub.publishAsync('/hfp/v2/nonsense', vp('2023-10-29T19:47:09.344Z'));
    await waitFor(() => feed!.stats().received === 6, 'six messages');
    await feed.flush();
    await waitFor(() => received.length === 3, 'three positions');
    await pub.endAsync();

    const s = feed.stats();
    expect(s).toMatchObject({ received: 6, accepted: 3, duplicates: 1, outOfOrder: 1, publishErrors: 0 });
    expect(s.rejected).toEqual({ bad_json: 1, bad_topic: 1 });
    expect(received.map((r) => r.key)).toEqual(['0018/00679', '0018/00679', '0018/00679']);
    expect(received.map((r) => r.value.outOfOrder ?? false)).toEqual([false, false, true]);
    expect(received[0]!.value).toMatchObject({
      vehicleId: '0018/00679',
      routeId: '1064',
      line: '64',
      lat: 60.250574,
      speed: 10.19,
    });
  });

  it('feed: counts upcoming-journey messages without publishing them as positions', async () => {
    feed = buildFeed({ mqttUrl: mqttBroker.url, broker, logger: silent });
    await feed.start();
    const pub = await connectClient(mqttBroker.url);
    await pub.publishAsync(TOPIC.replace('/ongoing/', '/upcoming/'), vp('2023-10-29T19:47:07.344Z'));
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:47:08.344Z'));
    await waitFor(() => feed!.stats().received === 2, 'two messages');
    await feed.flush();
    await waitFor(() => received.length === 1, 'one position');
    await pub.endAsync();
    expect(feed.stats()).toMatchObject({ received: 2, accepted: 1, upcoming: 1 });
    expect(received[0]!.value.eventTime).toBe(Date.parse('2023-10-29T19:47:08.344Z'));
  });

  it('feed: reconnects with backoff when the MQTT broker comes back, and ingests again', async () => {
    feed = buildFeed({
      mqttUrl: mqttBroker.url,
      broker,
      logger: silent,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
    });
    await feed.start();
    const port = mqttBroker.port;
    await mqttBroker.close();
    await waitFor(() => !feed!.stats().connected, 'the feed to notice');
    mqttBroker = await startEmbeddedBroker({ logger: silent, port });
    await waitFor(() => feed!.stats().connected && feed!.stats().connects === 2, 'the feed to reconnect');
    const pub = await connectClient(mqttBroker.url);
    await pub.publishAsync(TOPIC, vp('2023-10-29T19:47:07.344Z'));
    await waitFor(() => received.length === 1, 'a position after the reconnect');
    await pub.endAsync();
  });

  it('feed: start() gives up waiting when nothing listens, and keeps retrying in the background', async () => {
    const port = mqttBroker.port;
    await mqttBroker.close();
    feed = buildFeed({
      mqttUrl: `mqtt://127.0.0.1:${port}`,
      broker,
      logger: silent,
      connectTimeoutMs: 300,
      reconnectMinMs: 50,
      reconnectMaxMs: 100,
    });
    await feed.start();
    expect(feed.stats().connected).toBe(false);
    mqttBroker = await startEmbeddedBroker({ logger: silent, port });
    await waitFor(() => feed!.stats().connected, 'the first connection');
  });

  it('feed: simulator -> embedded broker -> feed -> memory broker carries every vehicle, quirks counted', async () => {
    const sim = buildSimulator({
      mqttUrl: mqttBroker.url,
      vehicles: 10,
      seed: 3,
      timeScale: 10,
      network: miniNetwork(),
      quirks: { duplicate: 0.2 },
      logger: silent,
    });
    feed = buildFeed({ mqttUrl: mqttBroker.url, broker, logger: silent });
    await feed.start();
    await sim.start();
    try {
      await waitFor(
        () => new Set(received.map((r) => r.key)).size === 10 && feed!.stats().duplicates > 5,
        'all ten vehicles',
      );
    } finally {
      await sim.stop();
    }
    await waitFor(() => feed!.stats().received === sim.stats().published, 'everything published to arrive');
    await feed.flush();
    const s = feed.stats();
    expect(s.rejected).toEqual({});
    expect(s.accepted + s.upcoming + s.duplicates).toBe(s.received);
    expect(received.length).toBe(s.accepted);
    expect(s.duplicates).toBe(sim.stats().duplicates);
  });
});
