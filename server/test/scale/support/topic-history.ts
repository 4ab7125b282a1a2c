/**
 * Test support: what a topic holds since a time, read back through the broker layer's replay (the
 * same `from` + `caughtUp` the gateways rebuild with), as `vehicleId eventTime` keys.
 */
import type { VehiclePosition } from '@realtimemap/shared';
import { positionsCodec } from '../../../src/state/positions-codec.ts';
import type { Codec } from '../../../src/transport/codec.ts';
import { type BackendName, createBroker } from '../../../src/transport/create-broker.ts';

export async function positionsInTopic(
  backend: BackendName,
  url: string,
  topic: string,
  since: number,
): Promise<Set<string>> {
  const broker = await createBroker({ backend, url });
  await broker.connect();
  const keys = new Set<string>();
  try {
    const sub = await broker.subscribe<VehiclePosition | VehiclePosition[]>(
      topic,
      (m) => {
        // The ingest publishes batches (arrays); other producers single positions.
        for (const p of Array.isArray(m.value) ? m.value : [m.value])
          keys.add(`${p.vehicleId} ${p.eventTime}`);
      },
      // The ingest's batches are in the positions codec (state/positions-codec.ts).
      { from: { time: since }, codec: positionsCodec as Codec<VehiclePosition | VehiclePosition[]> },
    );
    if (!sub.caughtUp) throw new Error(`${backend}: no caughtUp on a replay subscription`);
    await sub.caughtUp;
    await sub.close();
  } finally {
    await broker.close();
  }
  return keys;
}

/** Removes the run's topics / streams (best effort: a leftover costs disk, not correctness). */
export async function deleteTopics(
  backend: BackendName,
  url: string,
  topics: readonly string[],
): Promise<void> {
  const broker = await createBroker({ backend, url });
  try {
    await broker.connect();
    if (backend === 'kafka') {
      const admin = (broker.native() as import('kafkajs').Kafka).admin();
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      await admin.deleteTopics({
        topics: topics.flatMap((t) => [t, `${t}.dlq`]).filter((t) => existing.has(t)),
      });
      await admin.disconnect();
    } else if (backend === 'nats') {
      const { jetstreamManager } = await import('@nats-io/jetstream');
      const nc = broker.native() as import('@nats-io/transport-node').NatsConnection;
      const jsm = await jetstreamManager(nc);
      for (const t of topics) {
        const name = await jsm.streams.find(t).catch(() => undefined);
        if (name) await jsm.streams.delete(name).catch(() => {});
      }
    } else if (backend === 'redis') {
      const redis = broker.native() as import('ioredis').Redis;
      const keys = topics.flatMap((t) => [t, `${t}-geofences`, `${t}.dlq`]);
      if (keys.length > 0) await redis.del(...keys);
    }
  } catch {
    // best effort
  } finally {
    await broker.close().catch(() => {});
  }
}
