/**
 * Queue names and declarations. One durable queue per (topic, group); one exclusive auto-delete
 * queue per fan-out subscription; retry queues per delay bucket that dead-letter back into their
 * queue when a message's TTL expires (RabbitMQ has no delayed delivery without a plugin).
 *
 * Why buckets: RabbitMQ expires per-message TTLs only at the head of a queue, so one queue holding
 * a 10 s retry in front of a 100 ms retry would hold the short one back. Each bucket holds one
 * base delay (`min(maxDelayMs, initialDelayMs * multiplier^(n-1))`); jitter only shortens a delay,
 * so a message waits at most its own delay plus the jitter spread of the ones ahead of it.
 */
import type { Channel, Options } from 'amqplib';
import type { DeliveryPolicy } from '../../broker.ts';
import type { RabbitmqQueueType } from './options.ts';

export function queueName(prefix: string, topic: string, group: string): string {
  return `${prefix}${topic}:${group}`;
}

/** The base delay (ms) of the retry after failed attempt `attempt`: names the bucket. */
export function retryBucket(policy: DeliveryPolicy, attempt: number): number {
  return Math.round(
    Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (Math.max(1, attempt) - 1)),
  );
}

export function retryQueueName(queue: string, bucketMs: number): string {
  return `${queue}:retry:${bucketMs}`;
}

/** A group's queue (durable, of `type`) or a fan-out subscription's (exclusive, always classic). */
export function mainQueueOptions(durable: boolean, type: RabbitmqQueueType = 'classic'): Options.AssertQueue {
  if (!durable) return { durable: false, exclusive: true, autoDelete: true };
  return type === 'quorum' ? { durable: true, arguments: { 'x-queue-type': 'quorum' } } : { durable: true };
}

export function retryQueueOptions(queue: string, durable: boolean, bucketMs: number): Options.AssertQueue {
  const options: Options.AssertQueue = {
    durable,
    deadLetterExchange: '',
    deadLetterRoutingKey: queue,
  };
  // A fan-out retry queue has no consumer, so auto-delete never fires: expire it once unused
  // (longer than any message it can hold waits).
  if (!durable) options.expires = bucketMs * 2 + 60_000;
  return options;
}

/** Declares on first use, once per channel (a new channel after a reconnect declares again). */
export class DeclaredQueues {
  readonly #channel: Channel;
  readonly #done = new Map<string, Promise<unknown>>();

  constructor(channel: Channel) {
    this.#channel = channel;
  }

  get names(): string[] {
    return [...this.#done.keys()];
  }

  ensure(
    name: string,
    options: Options.AssertQueue,
    bind?: { exchange: string; pattern: string },
  ): Promise<unknown> {
    let done = this.#done.get(name);
    if (!done) {
      done = this.#channel
        .assertQueue(name, options)
        .then(() => bind && this.#channel.bindQueue(name, bind.exchange, bind.pattern));
      done.catch(() => this.#done.delete(name));
      this.#done.set(name, done);
    }
    return done;
  }
}
