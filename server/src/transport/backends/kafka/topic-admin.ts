/**
 * The topology calls the backend makes through the Kafka admin API: create topics (once per topic per
 * broker instance, with the configured partition count), read a group's committed offsets and a
 * topic's end offsets (where a brand-new group starts) or offsets by time (replay), delete a fan-out subscription's group.
 */
import type { Admin } from 'kafkajs';
import { sleep, type TransportLogger } from '../../internal.ts';

export interface TopicAdminOptions {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly maxMessageBytes: number;
  readonly logger: TransportLogger;
}

export class TopicAdmin {
  readonly #admin: Admin;
  readonly #options: TopicAdminOptions;
  /** Topics known to exist (or being created): concurrent first publishes share one creation. */
  readonly #ensured = new Map<string, Promise<void>>();
  /** Topics whose creation (or existence) is confirmed. */
  readonly #known = new Set<string>();

  constructor(admin: Admin, options: TopicAdminOptions) {
    this.#admin = admin;
    this.#options = options;
  }

  /** True once ensureTopic(topic) has succeeded: publishes may skip the wait. */
  isKnown(topic: string): boolean {
    return this.#known.has(topic);
  }

  /** Creates `topic` unless it exists (an existing topic keeps its partition count). */
  ensureTopic(topic: string): Promise<void> {
    let ensured = this.#ensured.get(topic);
    if (!ensured) {
      ensured = this.#admin
        .createTopics({
          topics: [
            {
              topic,
              numPartitions: this.#options.partitions,
              replicationFactor: this.#options.replicationFactor,
              configEntries: [{ name: 'max.message.bytes', value: String(this.#options.maxMessageBytes) }],
            },
          ],
          waitForLeaders: true,
        })
        .then((created) => {
          this.#known.add(topic);
          if (created)
            this.#options.logger.debug(
              { topic, partitions: this.#options.partitions },
              'kafka: topic created',
            );
        });
      this.#ensured.set(topic, ensured);
      // A failure is not cached: the next call tries again.
      ensured.catch(() => this.#ensured.delete(topic));
    }
    return ensured;
  }

  /** True when `groupId` has committed an offset for some partition of `topic`. */
  async groupHasOffsets(groupId: string, topic: string): Promise<boolean> {
    const committed = await retryTransient(() => this.#admin.fetchOffsets({ groupId, topics: [topic] }));
    const partitions = committed.find((t) => t.topic === topic)?.partitions ?? [];
    return partitions.some((p) => Number(p.offset) >= 0);
  }

  /** The next offset to be written, per partition of `topic` (where a brand-new group starts). */
  async endOffsets(topic: string): Promise<{ partition: number; offset: string }[]> {
    const ends = await retryTransient(() => this.#admin.fetchTopicOffsets(topic));
    return ends.map((p) => ({ partition: p.partition, offset: p.high }));
  }

  /** Per partition of `topic`: the first offset stored at or after `time` (the end where none is). */
  async offsetsAt(topic: string, time: number): Promise<{ partition: number; offset: string }[]> {
    const at = await retryTransient(() => this.#admin.fetchTopicOffsetsByTimestamp(topic, time));
    return at.map((p) => ({ partition: p.partition, offset: p.offset }));
  }

  /** Removes a consumer group (a closed fan-out subscription's). Failures are logged, not thrown. */
  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.#admin.deleteGroups([groupId]);
    } catch (error) {
      this.#options.logger.debug({ groupId, error }, 'kafka: could not delete consumer group');
    }
  }
}

/**
 * Right after a topic is created the broker may briefly answer "not the leader" (its metadata lags
 * the controller's), and kafkajs's admin gives up on that at once: retry retriable errors a little.
 */
async function retryTransient<R>(call: () => Promise<R>, budgetMs = 10_000): Promise<R> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 50; ; delay = Math.min(1_000, delay * 2)) {
    try {
      return await call();
    } catch (error) {
      const retriable = (error as { retriable?: unknown }).retriable === true;
      if (!retriable || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}
