/**
 * Coalesces publishes into produce requests. A publish waits at most `lingerMs` for company; while a
 * request is in flight, new publishes pile up and leave together as soon as it returns (one request
 * in flight: the idempotent producer serializes per broker anyway, and bigger batches are what make
 * Kafka fast). Each publish's promise settles with its own request's outcome, so nothing is
 * fire-and-forget.
 */
import { Fifo } from '../../internal.ts';

export interface Outgoing<R> {
  readonly topic: string;
  readonly record: R;
}

/** Sends one batch: records grouped by topic. Resolves once the broker acknowledged all of them. */
export type SendBatch<R> = (batch: ReadonlyMap<string, R[]>) => Promise<void>;

interface Pending<R> extends Outgoing<R> {
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface ProduceBatcherOptions {
  readonly lingerMs: number;
  readonly maxBatchMessages: number;
  /** A request is closed once it holds this many payload bytes (a bigger single message goes alone). */
  readonly maxBatchBytes: number;
  /** What a publish of `topic` rejects with when its request failed (default: the request's error). */
  readonly wrapError?: (error: unknown, topic: string) => unknown;
}

export class ProduceBatcher<R> {
  readonly #send: SendBatch<R>;
  readonly #options: ProduceBatcherOptions;
  readonly #pending = new Fifo<Pending<R>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #pendingBytes = 0;

  constructor(send: SendBatch<R>, options: ProduceBatcherOptions) {
    this.#send = send;
    this.#options = options;
  }

  /** Messages waiting for a request (not counting the one in flight). */
  get pending(): number {
    return this.#pending.length;
  }

  /** Queues `record` (`bytes` = its payload size); resolves when the broker acknowledged it. */
  add(topic: string, record: R, bytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ topic, record, bytes, resolve, reject });
      this.#pendingBytes += bytes;
      if (this.#inFlight) return; // leaves when the current request returns
      if (
        this.#pending.length >= this.#options.maxBatchMessages ||
        this.#pendingBytes >= this.#options.maxBatchBytes ||
        this.#options.lingerMs === 0
      ) {
        this.#sendNow();
      } else {
        this.#timer ??= setTimeout(() => this.#sendNow(), this.#options.lingerMs);
      }
    });
  }

  /** Sends everything queued and resolves once nothing is pending or in flight (publish errors stay with their publishers). */
  async flush(): Promise<void> {
    while (this.#inFlight || this.#pending.length > 0) {
      if (!this.#inFlight) this.#sendNow();
      await this.#inFlight;
    }
  }

  #sendNow(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#inFlight || this.#pending.length === 0) return;
    const taken: Pending<R>[] = [];
    const byTopic = new Map<string, R[]>();
    let bytes = 0;
    while (taken.length < this.#options.maxBatchMessages) {
      const peeked = this.#pending.peek();
      if (!peeked || (taken.length > 0 && bytes + peeked.bytes > this.#options.maxBatchBytes)) break;
      const next = this.#pending.shift()!;
      bytes += next.bytes;
      this.#pendingBytes -= next.bytes;
      taken.push(next);
      const list = byTopic.get(next.topic);
      if (list) list.push(next.record);
      else byTopic.set(next.topic, [next.record]);
    }
    this.#inFlight = this.#send(byTopic).then(
      () => {
        for (const p of taken) p.resolve();
      },
      (error: unknown) => {
        const wrap = this.#options.wrapError;
        for (const p of taken) p.reject(wrap ? wrap(error, p.topic) : error);
      },
    );
    void this.#inFlight.then(() => {
      this.#inFlight = undefined;
      // What piled up meanwhile has waited long enough: no second linger.
      if (this.#pending.length > 0) this.#sendNow();
    });
  }
}
