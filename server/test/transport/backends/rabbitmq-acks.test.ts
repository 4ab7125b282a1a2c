/**
 * AckBatcher and the frame-write coalescing against a real RabbitMQ: what is acked is read back from
 * the broker (a closed channel gives back exactly its unacked deliveries), so a multiple ack that
 * covered a delivery still being handled, or a lost single ack, shows as a wrong redelivery set.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { AckBatcher } from '../../../src/transport/backends/rabbitmq/ack-batcher.ts';
import { coalesceFrameWrites } from '../../../src/transport/backends/rabbitmq/frame-writes.ts';
import { service } from '../../support/service.ts';
import { waitFor } from '../conformance/support.ts';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const rabbit = await service('rabbitmq', 5672);

describe.skipIf(!rabbit.up)(`rabbitmq ack batching${rabbit.reason}`, () => {
  const connections: ChannelModel[] = [];
  afterEach(async () => {
    await Promise.allSettled(connections.splice(0).map((c) => c.close()));
  });

  /** A fresh queue holding messages "0".."n-1", and a connection to use. */
  async function queueWith(n: number): Promise<{ connection: ChannelModel; queue: string }> {
    const connection = await amqp.connect(URL);
    connections.push(connection);
    const queue = `rtmtest-acks-${randomUUID().slice(0, 8)}`;
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { exclusive: true });
    for (let i = 0; i < n; i++) channel.sendToQueue(queue, Buffer.from(String(i)));
    await channel.waitForConfirms();
    await channel.close();
    return { connection, queue };
  }

  /** Consumes until `n` deliveries are in; they are not settled. */
  async function deliveries(channel: Channel, queue: string, n: number): Promise<ConsumeMessage[]> {
    const got: ConsumeMessage[] = [];
    await channel.consume(queue, (m) => m && got.push(m));
    await waitFor(() => got.length >= n, `${n} deliveries`, 5_000);
    return got;
  }

  /** The bodies still in the queue (after the consuming channel closed and RabbitMQ requeued). */
  async function left(connection: ChannelModel, queue: string): Promise<string[]> {
    const channel = await connection.createChannel();
    const out: string[] = [];
    for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true }))
      out.push(m.content.toString());
    await channel.close();
    return out.sort();
  }

  it('rabbitmq acks: a burst goes out as one multiple ack, and every delivery is acked', async () => {
    const { connection, queue } = await queueWith(20);
    const channel = await connection.createChannel();
    const sent: { tag: number; multiple: boolean }[] = [];
    const ack = channel.ack.bind(channel);
    channel.ack = (m, multiple) => {
      sent.push({ tag: m.fields.deliveryTag, multiple: multiple === true });
      ack(m, multiple);
    };
    const acks = new AckBatcher(channel, (e) => {
      throw e;
    });
    const got = await deliveries(channel, queue, 20);
    for (const m of got) acks.delivered(m);
    for (const m of got) acks.ack(m);
    await Promise.resolve();
    expect(sent).toEqual([{ tag: 20, multiple: true }]);
    await channel.close();
    expect(await left(connection, queue)).toEqual([]);
  });

  it('rabbitmq acks: a delivery still being handled is not covered; those above it are acked singly', async () => {
    const { connection, queue } = await queueWith(5);
    const channel = await connection.createChannel();
    const acks = new AckBatcher(channel, (e) => {
      throw e;
    });
    const got = await deliveries(channel, queue, 5);
    for (const m of got) acks.delivered(m);
    // "2" (tag 3) is still being handled when the others finish.
    for (const i of [0, 1, 3, 4]) acks.ack(got[i]!);
    await Promise.resolve();
    await channel.close();
    expect(await left(connection, queue)).toEqual(['2']);
  });

  it('rabbitmq acks: a requeued delivery comes back and a later multiple ack does not fail on it', async () => {
    const { connection, queue } = await queueWith(3);
    const channel = await connection.createChannel();
    await channel.prefetch(3);
    let closed = false;
    channel.on('close', () => {
      closed = true;
    });
    const acks = new AckBatcher(channel, (e) => {
      throw e;
    });
    const got: ConsumeMessage[] = [];
    await channel.consume(queue, (m) => {
      if (!m) return;
      acks.delivered(m);
      got.push(m);
    });
    await waitFor(() => got.length >= 3, '3 deliveries', 5_000);
    acks.requeue(got[0]!);
    acks.ack(got[1]!);
    acks.ack(got[2]!);
    await waitFor(() => got.length >= 4, 'the requeued delivery again', 5_000);
    expect(got[3]!.content.toString()).toBe('0');
    expect(got[3]!.fields.redelivered).toBe(true);
    acks.ack(got[3]!);
    await Promise.resolve();
    // A bad tag would close the channel with PRECONDITION_FAILED; check it survived a round trip.
    await channel.checkQueue(queue);
    expect(closed).toBe(false);
    await channel.close();
    expect(await left(connection, queue)).toEqual([]);
  });

  it('rabbitmq frame writes: the pinned amqplib has the internals coalescing needs', async () => {
    const { connection, queue } = await queueWith(0);
    // A false here means an amqplib upgrade changed its Mux: the backend still works, unbatched.
    expect(coalesceFrameWrites(connection)).toBe(true);
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < 100; i++) channel.sendToQueue(queue, Buffer.from(String(i)));
    await channel.waitForConfirms();
    expect((await channel.checkQueue(queue)).messageCount).toBe(100);
  });
});
