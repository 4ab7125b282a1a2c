import {
  decodeServerMessage,
  encodeClientMessage,
  type ServerMessage,
  type VehicleState,
} from '@realtimemap/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type AllInOne, allInOne } from '../../src/cli/all-in-one.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { App } from '../../src/transport/app/app.ts';
import { waitUntil } from '../gateway/harness.ts';

let app: AllInOne;
let running: App;
let base: string;

beforeAll(async () => {
  const config = loadConfig(
    [
      'start',
      '--port',
      '0',
      '--sim-vehicles',
      '30',
      '--sim-seed',
      '7',
      '--tick-ms',
      '100',
      '--style-url',
      'offline',
      '--web-dist',
      '/nonexistent',
    ],
    {},
  );
  const logger = pino({ level: 'silent' });
  app = await allInOne(config, logger);
  running = new App({ servers: app.servers, logger, signals: false });
  await running.start();
  base = `http://127.0.0.1:${app.serving.address().port}`;
});
afterAll(async () => {
  await running?.stop();
});

describe('cli: all-in-one start', () => {
  it('cli: simulator -> embedded MQTT -> feed -> state: vehicles over REST', async () => {
    await waitUntil(() => app.serving.store.size >= 20, 'simulated vehicles in the store', 20_000);
    const vehicles = (await (await fetch(`${base}/api/vehicles`)).json()) as VehicleState[];
    expect(vehicles.length).toBeGreaterThanOrEqual(20);
    expect(vehicles[0]!.vehicleId).toMatch(/^\d{4}\/\d{5}$/);
    const status = await (await fetch(`${base}/api/status`)).json();
    expect(status).toMatchObject({
      feedMode: 'simulated',
      broker: { backend: 'memory', healthy: true },
      feed: { connected: true },
    });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const config = await (await fetch(`${base}/api/config`)).json();
    expect(config).toMatchObject({ styleUrl: null, feedMode: 'simulated', protocolVersion: 1 });
    const network = (await (await fetch(`${base}/api/network`)).json()) as { features: unknown[] };
    expect(network.features.length).toBeGreaterThan(25);
  });

  it('cli: WebSocket clients get a snapshot, then batches of moving vehicles', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const messages: ServerMessage[] = [];
    ws.on('message', (data, isBinary) =>
      messages.push(decodeServerMessage(isBinary ? new Uint8Array(data as Buffer) : data.toString())),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(encodeClientMessage({ type: 'viewport', bbox: [24.5, 59.9, 25.5, 60.5], zoom: 10 }));
    await waitUntil(() => messages.some((m) => m.type === 'snapshot'), 'snapshot');
    const snap = messages.find((m) => m.type === 'snapshot');
    expect(snap?.type === 'snapshot' && snap.vehicles.length).toBeGreaterThanOrEqual(20);
    await waitUntil(() => messages.filter((m) => m.type === 'batch').length >= 3, 'batches', 10_000);
    expect(messages[0]).toMatchObject({ type: 'hello', feedMode: 'simulated', tickMs: 100 });
    ws.close();
  });
});
