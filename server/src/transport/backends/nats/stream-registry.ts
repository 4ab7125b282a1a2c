/**
 * Finds or creates the JetStream stream that stores a subject. Declared subject sets
 * (options.streams) are created or updated on connect; any other topic gets a stream of its own,
 * `<prefix>_<topic>`, created on first use. Both are idempotent, so many processes may race.
 */
import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { InvalidOptionError, isPattern, matchTopic } from '../../internal.ts';
import { streamNameFor } from './names.ts';
import type { ResolvedNatsOptions } from './options.ts';

/** JetStream API error: stream name already in use with a different configuration. */
const STREAM_NAME_IN_USE = 10058;

export class StreamRegistry {
  readonly #jsm: JetStreamManager;
  readonly #options: ResolvedNatsOptions;
  readonly #bySubject = new Map<string, Promise<string>>();
  /** Subjects whose stream is known (resolved), for the publish path's synchronous check. */
  readonly #known = new Map<string, string>();

  constructor(jsm: JetStreamManager, options: ResolvedNatsOptions) {
    this.#jsm = jsm;
    this.#options = options;
  }

  /** Creates or updates every declared stream. */
  async declareAll(): Promise<void> {
    for (const s of this.#options.streams) await this.#upsert(s.name, [...s.subjects]);
  }

  /** The stream that stores `subject` (created when no stream captures it yet). */
  streamFor(subject: string): Promise<string> {
    let found = this.#bySubject.get(subject);
    if (!found) {
      found = this.#resolve(subject);
      this.#bySubject.set(subject, found);
      // A failed lookup is retried next time rather than cached.
      found.then(
        (stream) => {
          if (this.#bySubject.get(subject) === found) this.#known.set(subject, stream);
        },
        () => this.#bySubject.delete(subject),
      );
    }
    return found;
  }

  /** The stream of `subject` when already resolved (no promise: the publish hot path). */
  known(subject: string): string | undefined {
    return this.#known.get(subject);
  }

  /** True when `stream` is the per-topic stream of `topic` (not a declared or foreign shared one). */
  isOwnStream(topic: string, stream: string): boolean {
    return stream === streamNameFor(this.#options.streamPrefix, topic);
  }

  /** Forgets what is known about `subject` (its stream was deleted under us). */
  forget(subject: string): void {
    this.#bySubject.delete(subject);
    this.#known.delete(subject);
  }

  async #resolve(subject: string): Promise<string> {
    const declared = this.#options.streams.find((s) =>
      s.subjects.some((p) => p === subject || matchTopic(p, subject)),
    );
    if (declared) return declared.name;
    const existing = await this.#jsm.streams.find(subject).catch((error: unknown) => {
      // "no stream matches subject" is the expected miss; anything else (timeout, ...) is a failure.
      if (error instanceof Error && /no stream matches/i.test(error.message)) return undefined;
      throw error;
    });
    if (existing) return existing;
    if (!isPattern(subject)) {
      const name = streamNameFor(this.#options.streamPrefix, subject);
      await this.#upsert(name, [subject]);
      return name;
    }
    // A pattern gets one stream for everything under its literal prefix (`a.b.*.c` -> `a.b.>`), so
    // several patterns under one prefix share it and the concrete topics published there land in it.
    const prefix = literalPrefix(subject);
    if (prefix === undefined) {
      throw new InvalidOptionError(
        `nats: no JetStream stream captures "${subject}"; declare one in options.streams for this pattern`,
      );
    }
    const name = streamNameFor(this.#options.streamPrefix, `${prefix}.>`);
    await this.#upsert(name, [`${prefix}.>`]);
    return name;
  }

  async #upsert(name: string, subjects: string[]): Promise<void> {
    const o = this.#options;
    const config: Partial<StreamConfig> & { name: string } = {
      name,
      subjects,
      retention: RetentionPolicy.Limits,
      storage: o.storage === 'memory' ? StorageType.Memory : StorageType.File,
      num_replicas: 1,
      max_age: nanos(o.maxAgeMs),
      max_bytes: o.maxBytes || -1,
      max_msgs: o.maxMsgs || -1,
      duplicate_window: nanos(o.duplicateWindowMs),
    };
    try {
      await this.#jsm.streams.add(config);
    } catch (error) {
      if ((error as { code?: unknown }).code !== STREAM_NAME_IN_USE) throw error;
      await this.#jsm.streams.update(name, config);
    }
  }
}

/** The segments before the first wildcard, or undefined when the pattern starts with one. */
function literalPrefix(pattern: string): string | undefined {
  const segments = pattern.split('.');
  const first = segments.findIndex((s) => s === '*' || s === '>');
  return first <= 0 ? undefined : segments.slice(0, first).join('.');
}
