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
  #lastChannel: string | undefined;
  #lastTopic = '';

  constructor(connection: Redis, prefix: string) {
    this.#connection = connection;
    this.#prefix = prefix;
    connection.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      const set = this.#channels.get(name);
      if (set) this.#route(set, this.#topicOf(name), message);
    });
    connection.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => {
      const set = this.#patterns.get(pattern.toString());
      if (set) this.#route(set, channel.toString().slice(this.#prefix.length), message);
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

  /** The topic of a subscribed channel (the last one remembered: one slice per channel, not per message). */
  #topicOf(channel: string): string {
    if (channel !== this.#lastChannel) {
      this.#lastChannel = channel;
      this.#lastTopic = channel.slice(this.#prefix.length);
    }
    return this.#lastTopic;
  }

  #route(set: Set<PubsubSubscription<unknown>>, topic: string, message: Buffer): void {
    const envelope = decodeEnvelope(topic, message);
    for (const subscription of set) subscription.deliver(envelope);
  }
}
