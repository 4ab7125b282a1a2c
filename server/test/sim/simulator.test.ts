import { parseHfp } from '@realtimemap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../src/sim/embedded-broker.ts';
import { buildSimulator } from '../../src/sim/simulator.ts';
import { collect, silent, waitFor } from './helpers.ts';
import { miniNetwork } from './mini-network.ts';

describe('sim simulator over MQTT', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ logger: silent });
  });
  afterAll(async () => {
    await broker.close();
  });

  it('sim: publishes HFP for every vehicle to the embedded broker, faster than real time with timeScale', async () => {
    const sub = await collect(broker.url, '/hfp/v2/#');
    const sim = buildSimulator({ mqttUrl: broker.url, vehicles: 12, seed: 5, timeScale: 20, logger: silent });
    await sim.start();
    try {
      await waitFor(
        // Vehicle id = operator + number (numbers repeat across operators).
        () => new Set(sub.messages.map((m) => m.topic.split('/').slice(7, 9).join('/'))).size === 12,
        'all 12 vehicles',
      );
      await waitFor(() => sub.messages.length > 12 * 20, 'many messages');
      expect(sim.stats().running).toBe(true);
      expect(sim.stats().vehicles).toBe(12);
      expect(sim.stats().published).toBeGreaterThan(12 * 20);
      const ok = sub.messages.filter((m) => parseHfp(m.topic, m.payload).ok).length;
      expect(ok).toBe(sub.messages.length);
    } finally {
      await sim.stop();
      await sub.client.endAsync();
    }
    expect(sim.stats().running).toBe(false);
  });

  it('sim: a fake clock drives simulated time; tick() publishes what is due', async () => {
    let now = Date.parse('2026-11-27T08:00:00Z');
    const sub = await collect(broker.url, '/hfp/v2/#');
    const sim = buildSimulator({
      mqttUrl: broker.url,
      vehicles: 4,
      seed: 9,
      network: miniNetwork(),
      quirks: { missingPosition: 0, duplicate: 0, backlogPerVehicleHour: 0, clockSkewVehicles: 0 },
      clock: { now: () => now },
      tickMs: 60_000, // the timer stays out of the way: the test ticks
      logger: silent,
    });
    await sim.start();
    try {
      now += 10_000;
      sim.tick();
      expect(sim.stats().simTime).toBe(now);
      expect(sim.stats().byEvent.VP).toBe(40);
      await waitFor(() => sub.messages.filter((m) => m.topic.includes('/vp/')).length === 40, '40 VPs');
      const tst = sub.messages.map((m) => Date.parse(/"tst":"([^"]+)"/.exec(m.payload)![1]!));
      expect(Math.max(...tst)).toBeLessThanOrEqual(now + 1000);
      expect(Math.min(...tst)).toBeGreaterThanOrEqual(now - 10_000);
    } finally {
      await sim.stop();
      await sub.client.endAsync();
    }
  });

  it('sim: in-process into the embedded broker, subscribers get exactly what an MQTT client would send', async () => {
    const start = Date.parse('2026-11-27T08:00:00Z');
    const run = async (inProcess: boolean) => {
      let now = start;
      const prefix = `/inproc${inProcess ? 1 : 0}/`;
      const sub = await collect(broker.url, `${prefix}hfp/v2/#`);
      const sim = buildSimulator({
        mqttUrl: broker.url,
        ...(inProcess ? { embedded: broker } : {}),
        vehicles: 6,
        seed: 3,
        network: miniNetwork(),
        clock: { now: () => now },
        tickMs: 60_000,
        topicPrefix: prefix,
        logger: silent,
      });
      await sim.start();
      try {
        now += 30_000;
        sim.tick();
        const n = sim.stats().published;
        await waitFor(() => sub.messages.length === n, `${n} messages`);
        return sub.messages.map((m) => ({ topic: m.topic.slice(prefix.length), payload: m.payload }));
      } finally {
        await sim.stop();
        await sub.client.endAsync();
      }
    };
    const direct = await run(true);
    const viaClient = await run(false);
    expect(direct.length).toBeGreaterThan(6 * 25);
    // Same messages, same order per vehicle (one connection either way).
    expect(direct).toEqual(viaClient);
  });
});
