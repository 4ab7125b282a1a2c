import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../../../src/transport/backends/memory/index.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';
import { gate, settle, waitFor } from '../conformance/support.ts';

describe('memory backend options', () => {
  it('memory: a full queue makes publish wait (overflow wait), and frees it as handlers run', async () => {
    const broker = createMemoryBroker({ queueCapacity: 2 });
    const hold = gate();
    const got: number[] = [];
    await broker.subscribe<number>('q.wait', async (m) => {
      await hold.promise;
      got.push(m.value);
    });
    // 1 runs, 2 and 3 wait in the queue; 4 cannot be taken yet.
    for (const n of [1, 2, 3]) await broker.publish('q.wait', n);
    let fourth = false;
    const p4 = broker.publish('q.wait', 4).then(() => {
      fourth = true;
    });
    await settle(30);
    expect(fourth).toBe(false);
    hold.open();
    await p4;
    await waitFor(() => got.length === 4, 'all four');
    expect(got).toEqual([1, 2, 3, 4]);
    await broker.close();
  });

  it('memory: overflow reject fails the publish with TRANSPORT_QUEUE_FULL', async () => {
    const broker = createMemoryBroker({ queueCapacity: 1, overflow: 'reject' });
    const hold = gate();
    await broker.subscribe('q.reject', () => hold.promise);
    await broker.publish('q.reject', 1);
    await broker.publish('q.reject', 2);
    await expect(broker.publish('q.reject', 3)).rejects.toMatchObject({ code: 'TRANSPORT_QUEUE_FULL' });
    hold.open();
    await broker.close();
  });

  it('memory: close past its deadline rejects with TRANSPORT_DEADLINE_EXCEEDED and ends closed', async () => {
    const broker = createMemoryBroker();
    await broker.subscribe('q.stuck', () => new Promise<void>(() => {}));
    await broker.publish('q.stuck', 1);
    await expect(broker.close({ deadlineMs: 50 })).rejects.toMatchObject({
      code: 'TRANSPORT_DEADLINE_EXCEEDED',
    });
    expect(broker.status.type).toBe('closed');
  });

  it('memory: publish copies bytes the caller may reuse (a Buffer as well as a Uint8Array)', async () => {
    const broker = createMemoryBroker();
    const hold = gate();
    const got: string[] = [];
    await broker.subscribe<Uint8Array>(
      'q.copy',
      async (m) => {
        await hold.promise;
        got.push(Buffer.from(m.value).toString());
      },
      { codec: rawCodec },
    );
    const buffer = Buffer.from('aaa');
    const array = new Uint8Array([0x62, 0x62, 0x62]);
    await broker.publish('q.copy', Buffer.from('first'), { codec: rawCodec }); // holds the handler
    await broker.publish('q.copy', buffer, { codec: rawCodec });
    await broker.publish('q.copy', array, { codec: rawCodec });
    buffer.fill(0x78);
    array.fill(0x78);
    hold.open();
    await waitFor(() => got.length === 3, 'three messages');
    expect(got).toEqual(['first', 'aaa', 'bbb']);
    await broker.close();
  });

  it('memory: an idle subscription runs a synchronous handler before publish resolves (no queue hop); an asynchronous one drains on close', async () => {
    const broker = createMemoryBroker();
    const seen: number[] = [];
    await broker.subscribe<number>('q.sync', (m) => {
      seen.push(m.value);
    });
    await broker.publish('q.sync', 1);
    expect(seen).toEqual([1]);
    const hold = gate();
    let finished = false;
    await broker.subscribe<number>('q.async', async () => {
      await hold.promise;
      finished = true;
    });
    await broker.publish('q.async', 1);
    const closing = broker.close();
    hold.open();
    await closing;
    expect(finished).toBe(true);
  });
});
