import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../src/sim/embedded-broker.ts';
import { SimError } from '../../src/sim/errors.ts';
import { collect, connectClient, silent, waitFor } from './helpers.ts';

describe('sim embedded broker', () => {
  it('sim: embedded broker listens on a free port and routes MQTT messages', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    try {
      expect(broker.port).toBeGreaterThan(0);
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
      const sub = await collect(broker.url, '/hfp/v2/#');
      const pub = await connectClient(broker.url);
      await pub.publishAsync('/hfp/v2/journey/ongoing/vp/bus/0018/00679', '{"VP":{}}');
      await waitFor(() => sub.messages.length === 1, 'the message');
      expect(sub.messages[0]).toEqual({
        topic: '/hfp/v2/journey/ongoing/vp/bus/0018/00679',
        payload: '{"VP":{}}',
      });
      await pub.endAsync();
      await sub.client.endAsync();
    } finally {
      await broker.close();
    }
  });

  it('sim: embedded broker close releases the port and drops clients', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    const client = await connectClient(broker.url);
    let closed = false;
    client.on('close', () => {
      closed = true;
    });
    await broker.close();
    await waitFor(() => closed, 'the client to be disconnected');
    client.end(true);
    const again = await startEmbeddedBroker({ logger: silent, port: broker.port });
    expect(again.port).toBe(broker.port);
    await again.close();
  });

  it('sim: embedded broker reports a taken port as SIM_BROKER_LISTEN', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    try {
      const err = await startEmbeddedBroker({ logger: silent, port: broker.port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SimError);
      expect((err as SimError).code).toBe('SIM_BROKER_LISTEN');
    } finally {
      await broker.close();
    }
  });

  it('sim: in-process publishes reach subscribers in order, none lost, however many in one turn', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    try {
      const sub = await collect(broker.url, '/hfp/v2/#');
      // One burst far larger than a socket buffer: the writes are coalesced and must all arrive.
      const n = 5000;
      for (let i = 0; i < n; i++)
        broker.publish(
          `/hfp/v2/journey/ongoing/vp/bus/0018/${String(i % 100).padStart(5, '0')}`,
          `{"n":${i}}`,
        );
      await waitFor(() => sub.messages.length === n, `${n} messages`);
      expect(sub.messages.map((m) => JSON.parse(m.payload).n)).toEqual([...Array(n).keys()]);
      await sub.client.endAsync();
    } finally {
      await broker.close();
    }
  });

  it('sim: a burst past the socket high-water mark arrives complete and in order (backpressure)', async () => {
    const broker = await startEmbeddedBroker({ logger: silent });
    try {
      const sub = await collect(broker.url, '/hfp/v2/#');
      // ~6 MB in one turn: several times the 1 MiB mark, so writes flush early, report a full
      // socket, and aedes must wait for 'drain' before it writes more.
      const n = 3000;
      const pad = 'x'.repeat(2000);
      for (let i = 0; i < n; i++)
        broker.publish(
          `/hfp/v2/journey/ongoing/vp/bus/0018/${String(i % 100).padStart(5, '0')}`,
          `{"n":${i},"pad":"${pad}","u":"äö€"}`,
        );
      await waitFor(() => sub.messages.length === n, `${n} messages`, 30_000);
      expect(sub.messages.map((m) => JSON.parse(m.payload).n)).toEqual([...Array(n).keys()]);
      expect(sub.messages.every((m) => JSON.parse(m.payload).u === 'äö€')).toBe(true);
      await sub.client.endAsync();
    } finally {
      await broker.close();
    }
  });
});
