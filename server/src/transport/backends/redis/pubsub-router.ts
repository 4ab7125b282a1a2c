/**
 * Routes messages from the broker's one subscriber connection to pub/sub subscriptions. Literal
 * topics use SUBSCRIBE, wildcard patterns PSUBSCRIBE with a glob (a superset, filtered by each
 * subscription's matcher). ioredis re-subscribes every channel and pattern after a reconnect.
 */
import type Redis from 'ioredis';
import { isPattern, toRedisGlob } from '../../internal.ts';
import { decodeEnvelope } from './pubsub-envelope.ts';
import type { PubsubSubscription } from './pubsub-subscription.ts';

export class PubsubRouter {
  readonly #connection: Redis;
  readonly #prefix: string;
  readonly #channels = new Map<string, Set<PubsubSubscription<unknown>>>();
  readonly #patterns = new Map<string, Set<PubsubSubscription<unknown>>>();

  constructor(connection: Redis, prefix: string) {
    this.#connection = connection;
    this.#prefix = prefix;
    connection.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      this.#route(this.#channels.get(name), name, message);
    });
    connection.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => {
      this.#route(this.#patterns.get(pattern.toString()), channel.toString(), message);
    });
  }

  get connection(): Redis {
    return this.#connection;
  }

  async add(subscription: PubsubSubscription<unknown>): Promise<void> {
    const pattern = isPattern(subscription.topic);
    const name = this.#nameFor(subscription.topic, pattern);
    const map = pattern ? this.#patterns : this.#channels;
    let set = map.get(name);
    if (!set) {
      set = new Set();
      map.set(name, set);
      if (pattern) await this.#connection.psubscribe(name);
      else await this.#connection.subscribe(name);
    }
    set.add(subscription);
  }

  async remove(subscription: PubsubSubscription<unknown>): Promise<void> {
    const pattern = isPattern(subscription.topic);
    const name = this.#nameFor(subscription.topic, pattern);
    const map = pattern ? this.#patterns : this.#channels;
    const set = map.get(name);
    if (!set?.delete(subscription) || set.size > 0) return;
    map.delete(name);
    if (this.#connection.status !== 'ready') return;
    if (pattern) await this.#connection.punsubscribe(name);
    else await this.#connection.unsubscribe(name);
  }

  #nameFor(topic: string, pattern: boolean): string {
    if (!pattern) return this.#prefix + topic;
    return this.#prefix.replace(/[*?[\]\\]/g, '\\$&') + toRedisGlob(topic);
  }

  #route(set: Set<PubsubSubscription<unknown>> | undefined, channel: string, message: Buffer): void {
    if (!set) return;
    const topic = channel.slice(this.#prefix.length);
    const envelope = decodeEnvelope(message, Date.now());
    for (const subscription of set) subscription.deliver(topic, envelope);
  }
}
