import { describe, expect, it } from 'vitest';
import { App } from '../../../src/transport/app/app.ts';
import { SubscriberServer } from '../../../src/transport/app/subscriber-server.ts';
import { createMemoryBroker } from '../../../src/transport/backends/memory/index.ts';
import { gate, waitFor } from '../conformance/support.ts';

describe('subscriber server', () => {
  it('subscriber server: registered handlers consume once started, and stop drains them', async () => {
    const broker = createMemoryBroker();
    const server = new SubscriberServer({ broker });
    const got: unknown[] = [];
    const hold = gate();
    let finished = false;
    await server.register('orders.created', (m) => {
      got.push(m.value);
    });
    await server.register('orders.slow', async () => {
      await hold.promise;
      finished = true;
    });
    expect(server.registered.map((r) => r.topic)).toEqual(['orders.created', 'orders.slow']);
    const app = new App({ servers: [server], signals: false });
    await app.start();
    await broker.publish('orders.created', { id: 1 });
    await broker.publish('orders.slow', {});
    await waitFor(() => got.length === 1, 'the handler');
    const stopping = app.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(finished).toBe(false);
    hold.open();
    await stopping;
    expect(finished).toBe(true);
    expect(got).toEqual([{ id: 1 }]);
    expect(broker.status.type).toBe('closed');
  });

  it('subscriber server: registering after start subscribes at once', async () => {
    const broker = createMemoryBroker();
    const server = new SubscriberServer({ broker, closeBroker: false });
    await server.start();
    const got: unknown[] = [];
    await server.register('late.topic', (m) => {
      got.push(m.value);
    });
    await broker.publish('late.topic', 'x');
    await waitFor(() => got.length === 1, 'the late handler');
    await server.stop();
    expect(broker.status.type).toBe('connected');
    await broker.close();
  });
});
