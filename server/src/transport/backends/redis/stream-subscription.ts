/**
 * One Redis Streams subscription: a consumer in a consumer group (the subscription's own group for
 * fan-out), reading with XREADGROUP on a dedicated blocking connection.
 *
 * - ack: XACK after the handler succeeded (or after the message was dead-lettered).
 * - retry: the message stays pending; after the backoff delay it is XCLAIMed again by this consumer,
 *   which bumps the server's delivery count, so the attempt number survives a crash.
 * - crash recovery: every claimIntervalMs, XAUTOCLAIM takes pending messages idle longer than
 *   claimIdleMs (from any consumer of the group); their attempt is the server's delivery count.
 *   Messages this consumer holds (queued, running, waiting to retry) have their idle time reset
 *   (XCLAIM JUSTID) on the same tick, so a slow handler is not stolen.
 * - close: stop reading, let running handlers finish and ack, leave the rest pending for the group.
 * - replay (`from`): a new group starts just before `<time>-0` (ids are storage times); `caughtUp`
 *   resolves once the read has reached the stream's last id as of subscribe() and every entry up to
 *   it has been settled. A group that already existed keeps its position and is caught up at once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Redis from 'ioredis';
import {
  attemptHandler,
  backoffDelay,
  type Codec,
  DecodeError,
  type DeliveryPolicy,
  type Handler,
  HEADER,
  KeyedScheduler,
  type Message,
  publishDeadLetter,
  runHandler,
  type Subscription,
  sleep,
  withAttempt,
} from '../../internal.ts';
import type { TransportLogger } from '../../logger.ts';
import { CodecMemo } from './codec-memo.ts';
import { RedeliveryLimitError } from './errors.ts';
import { redisCommand, redisCommandBuffer } from './redis-command.ts';
import { parseEntries, parseReadReply, type StreamEntry } from './stream-entry.ts';
import { compareStreamIds, groupStartIdForTime } from './stream-id.ts';

export interface StreamSubscriptionDeps<T> {
  readonly topic: string;
  readonly streamKey: string;
  /** undefined = fan-out (a group of its own, destroyed on close). */
  readonly group: string | undefined;
  readonly handler: Handler<T>;
  readonly codec: Codec<T> | undefined;
  readonly fallbackCodec: Codec | undefined;
  readonly policy: DeliveryPolicy;
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  /** Shared command connection (XACK, XCLAIM, XAUTOCLAIM, XGROUP). */
  readonly commands: Redis;
  /** Dedicated connection for the blocking XREADGROUP; this subscription owns and closes it. */
  readonly blocking: Redis;
  readonly publisher: Parameters<typeof publishDeadLetter>[0];
  readonly logger: TransportLogger;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
  readonly blockMs: number;
  readonly readCount: number;
  /** Replay: a new group starts at the first entry stored at or after this time. */
  readonly from: { readonly time: number } | undefined;
}

export class StreamSubscription<T> implements Subscription {
  readonly topic: string;
  readonly group: string | undefined;
  readonly closed: Promise<Error | undefined>;
  readonly caughtUp: Promise<void> | undefined;
  readonly #d: StreamSubscriptionDeps<T>;
  readonly #groupName: string;
  readonly #consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #scheduler: KeyedScheduler;
  readonly #codecs: CodecMemo<T>;
  readonly #held = new Set<string>();
  readonly #acks = new Set<Promise<void>>();
  #ackBatch: StreamEntry[] = [];
  readonly #abort = new AbortController();
  readonly #highWater: number;
  #resolveClosed!: (error: Error | undefined) => void;
  #loop: Promise<void> = Promise.resolve();
  #claimTimer: ReturnType<typeof setInterval> | undefined;
  #claiming = false;
  #closing: Promise<void> | undefined;
  /** Replaying: the stream's last id as of subscribe() (cleared once caught up). */
  #endId: string | undefined;
  #readPastEnd = false;
  /** Replaying: entries up to #endId dispatched and not yet settled. */
  readonly #replaying = new Set<string>();
  #resolveCaughtUp: (() => void) | undefined;

  constructor(deps: StreamSubscriptionDeps<T>) {
    this.#d = deps;
    this.topic = deps.topic;
    this.group = deps.group;
    this.#groupName = deps.group ?? `fanout.${randomUUID()}`;
    this.#scheduler = new KeyedScheduler({ maxInFlight: deps.maxInFlight, orderedByKey: deps.orderedByKey });
    this.#codecs = new CodecMemo(deps.codec, deps.fallbackCodec);
    this.#highWater = Math.max(deps.readCount, deps.maxInFlight * 2);
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.caughtUp = deps.from
      ? new Promise<void>((resolve) => {
          this.#resolveCaughtUp = resolve;
        })
      : undefined;
    void this.closed.then(() => this.#caughtUp());
  }

  get #stopping(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Creates the group (new groups start at the stream's end, or at `from`) and starts reading and claiming. */
  async start(): Promise<void> {
    const from = this.#d.from;
    if (from === undefined) await this.#ensureGroup('$');
    else {
      const startId = groupStartIdForTime(from.time);
      const endId = await this.#lastId();
      const created = await this.#ensureGroup(startId);
      // Nothing stored since `from`, or a group that kept its position: nothing to replay.
      if (created && endId !== undefined && compareStreamIds(endId, startId) > 0) this.#endId = endId;
      else this.#caughtUp();
    }
    this.#loop = this.#readLoop();
    this.#claimTimer = setInterval(() => void this.#claimTick(), this.#d.claimIntervalMs);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown(undefined);
    return this.#closing;
  }

  async #shutdown(error: Error | undefined): Promise<void> {
    this.#abort.abort();
    clearInterval(this.#claimTimer);
    // Rejects the blocked XREADGROUP; entries it had not returned stay with the server.
    this.#d.blocking.disconnect();
    await this.#loop;
    await this.#scheduler.onIdle();
    this.#flushAcks();
    await Promise.allSettled([...this.#acks]);
    try {
      if (this.group === undefined)
        await redisCommand(this.#d.commands, 'XGROUP', 'DESTROY', this.#d.streamKey, this.#groupName);
      else if (this.#held.size === 0) await this.#deleteConsumerIfIdle();
    } catch (cause) {
      this.#d.logger.debug({ err: cause, stream: this.#d.streamKey }, 'redis: group cleanup on close failed');
    }
    this.#resolveClosed(error);
  }

  async #deleteConsumerIfIdle(): Promise<void> {
    const pending = await redisCommand(
      this.#d.commands,
      'XPENDING',
      this.#d.streamKey,
      this.#groupName,
      '-',
      '+',
      '1',
      this.#consumer,
    );
    if (Array.isArray(pending) && pending.length === 0) {
      await redisCommand(
        this.#d.commands,
        'XGROUP',
        'DELCONSUMER',
        this.#d.streamKey,
        this.#groupName,
        this.#consumer,
      );
    }
  }

  /** The id of the stream's last entry, undefined when it is empty or missing. */
  async #lastId(): Promise<string | undefined> {
    const reply = await redisCommand(
      this.#d.commands,
      'XREVRANGE',
      this.#d.streamKey,
      '+',
      '-',
      'COUNT',
      '1',
    );
    const last = Array.isArray(reply) ? (reply[0] as unknown[] | undefined) : undefined;
    return last === undefined ? undefined : String(last[0]);
  }

  #caughtUp(): void {
    this.#endId = undefined;
    this.#replaying.clear();
    this.#resolveCaughtUp?.();
    this.#resolveCaughtUp = undefined;
  }

  #checkCaughtUp(): void {
    if (this.#endId !== undefined && this.#readPastEnd && this.#replaying.size === 0) this.#caughtUp();
  }

  /** True when this call created the group (false: it existed, with its own position). */
  async #ensureGroup(startId: string): Promise<boolean> {
    try {
      await redisCommand(
        this.#d.commands,
        'XGROUP',
        'CREATE',
        this.#d.streamKey,
        this.#groupName,
        startId,
        'MKSTREAM',
      );
      return true;
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
      return false;
    }
  }

  async #readLoop(): Promise<void> {
    const { blocking, streamKey, blockMs } = this.#d;
    while (!this.#stopping) {
      // Refill only once half the window has drained: topping up one message at a time would cost a
      // round trip per message.
      await this.#scheduler.whenBelow(Math.ceil(this.#highWater / 2) + 1);
      if (this.#stopping) break;
      try {
        const count = Math.max(1, this.#highWater - this.#scheduler.size);
        const reply = await redisCommandBuffer(
          blocking,
          'XREADGROUP',
          'GROUP',
          this.#groupName,
          this.#consumer,
          'COUNT',
          String(count),
          'BLOCK',
          String(blockMs),
          'STREAMS',
          streamKey,
          '>',
        );
        const entries = parseReadReply(reply);
        for (const entry of entries) this.#dispatch(entry, 1);
        if (this.#endId !== undefined) this.#notePastEnd(entries);
      } catch (error) {
        if (this.#stopping) break;
        await this.#onReadError(error as Error);
      }
    }
  }

  async #onReadError(error: Error): Promise<void> {
    if (error.message.startsWith('NOGROUP')) {
      // The stream or group vanished (a Redis restart without persistence, or someone deleted it):
      // recreate from the start of whatever the stream now holds, so nothing published since is missed.
      this.#d.logger.warn(
        { stream: this.#d.streamKey, group: this.#groupName },
        'redis: consumer group missing, recreating',
      );
      try {
        await this.#ensureGroup('0');
      } catch (cause) {
        this.#d.logger.warn({ err: cause }, 'redis: recreating consumer group failed');
        await sleep(500, this.#abort.signal);
      }
      return;
    }
    if (error.message.startsWith('WRONGTYPE')) {
      this.#d.logger.error(
        { err: error, stream: this.#d.streamKey },
        'redis: key is not a stream; subscription ends',
      );
      this.#closing ??= this.#shutdown(error);
      this.#abort.abort();
      return;
    }
    this.#d.logger.debug({ err: error }, 'redis: XREADGROUP failed, retrying');
    await sleep(250, this.#abort.signal);
  }

  /** Replaying: an empty read (nothing left) or one reaching the end id means the history is read. */
  #notePastEnd(entries: readonly StreamEntry[]): void {
    const last = entries[entries.length - 1];
    if (last === undefined || compareStreamIds(last.id, this.#endId as string) >= 0) this.#readPastEnd = true;
    this.#checkCaughtUp();
  }

  /** No longer held by this consumer: settled, or left pending for the group. */
  #release(entry: StreamEntry): void {
    if (!entry.tracked) return;
    entry.tracked = false;
    this.#held.delete(entry.id);
    if (this.#replaying.delete(entry.id)) this.#checkCaughtUp();
  }

  /**
   * Runs the entry now or queues it. Only an entry still in hand after that (queued, or running
   * asynchronously) joins #held, whose ids have their lease refreshed and are not claimed again: one
   * handled within the dispatch is acked in this turn (measured: a Set add and delete per message).
   */
  #dispatch(entry: StreamEntry, attempt: number): void {
    entry.attempt = attempt;
    entry.settledAtOnce = false;
    const replaying = this.#endId !== undefined && compareStreamIds(entry.id, this.#endId) <= 0;
    this.#scheduler.post(entry.key, this.#run, entry);
    if (entry.settledAtOnce && !replaying) return;
    entry.tracked = true;
    if (!entry.settledAtOnce) this.#held.add(entry.id);
    if (replaying) this.#replaying.add(entry.id);
  }

  /** The scheduled task: never throws (a failure is logged; the entry stays pending for the group). */
  readonly #run = (entry: StreamEntry): Promise<void> | undefined => {
    try {
      const running = this.#process(entry, entry.attempt);
      if (running === undefined) {
        entry.settledAtOnce = true;
        return undefined;
      }
      return running.catch((error: unknown) => this.#failed(entry, error));
    } catch (error) {
      this.#failed(entry, error);
      return undefined;
    }
  };

  #failed(entry: StreamEntry, error: unknown): void {
    this.#d.logger.error({ err: error, id: entry.id }, 'redis: delivery failed');
  }

  /** Synchronous when the handler is and succeeds (no promise on that path). */
  #process(entry: StreamEntry, attempt: number): Promise<void> | undefined {
    // Queued when close() began: leave it pending for another member of the group.
    if (this.#stopping) return;
    const { policy } = this.#d;
    if (attempt > policy.maxAttempts)
      return this.#deadLetter(entry, new RedeliveryLimitError(attempt - 1), attempt - 1);
    const codec = this.#codecs.for(entry.headers);
    // Decoded and built inline: decodeMessage's result and buildMessage's fields were two objects per
    // message that the common path never needs (measured with the bench's --cpu-prof).
    let value: T;
    try {
      value = codec.decode(entry.payload);
    } catch (cause) {
      return this.#deadLetter(entry, new DecodeError(codec.contentType, cause), attempt);
    }
    const message: Message<T> = {
      // A foreign entry without a message id: the entry id, which a redelivery keeps.
      id: entry.headers[HEADER.messageId] ?? entry.id,
      topic: this.topic,
      key: entry.key,
      headers: entry.headers,
      value,
      raw: entry.payload,
      timestamp: entry.timestamp,
      attempt,
      // The entry as read (its id is the stream entry id); no object of its own per message.
      native: entry,
    };
    const first = attemptHandler(this.#d.handler, message, policy);
    if (!(first instanceof Promise)) {
      if (!first.ok) return this.#retry(entry, message, first.error);
      this.#ack(entry);
      return;
    }
    return first.then((result) => {
      if (!result.ok) return this.#retry(entry, message, result.error);
      this.#ack(entry);
      return undefined;
    });
  }

  /** After a failed attempt: backoff, reclaim (bumps the server's count), run again, or dead letter. */
  async #retry(entry: StreamEntry, failed: Message<T>, failure: Error): Promise<void> {
    const { policy } = this.#d;
    let message = failed;
    let error = failure;
    for (;;) {
      if (message.attempt >= policy.maxAttempts) {
        await this.#deadLetter(entry, error, message.attempt);
        return;
      }
      const waited = await sleep(backoffDelay(policy, message.attempt), this.#abort.signal);
      // Closing, or the entry was trimmed / taken by another consumer: leave it to the group.
      if (!waited || !(await this.#reclaim(entry.id))) {
        this.#release(entry);
        return;
      }
      message = withAttempt(message, message.attempt + 1);
      const result = await runHandler(this.#d.handler, message, policy);
      if (result.ok) {
        this.#ack(entry);
        return;
      }
      error = result.error;
    }
  }

  /** XCLAIM by this consumer (not JUSTID, so the delivery count goes up); false when the entry is gone. */
  async #reclaim(id: string): Promise<boolean> {
    try {
      const reply = await redisCommandBuffer(
        this.#d.commands,
        'XCLAIM',
        this.#d.streamKey,
        this.#groupName,
        this.#consumer,
        '0',
        id,
      );
      return parseEntries(Array.isArray(reply) ? reply : []).length > 0;
    } catch (error) {
      this.#d.logger.debug({ err: error, id }, 'redis: XCLAIM before retry failed');
      return false;
    }
  }

  /** Queues an XACK; ids acked in the same turn of the event loop go out as one command. */
  #ack(entry: StreamEntry): void {
    this.#ackBatch.push(entry);
    if (this.#ackBatch.length === 1) setImmediate(() => this.#flushAcks());
  }

  #flushAcks(): void {
    const entries = this.#ackBatch;
    this.#ackBatch = [];
    if (entries.length === 0) return;
    const ids = entries.map((e) => e.id);
    const ack = redisCommand(this.#d.commands, 'XACK', this.#d.streamKey, this.#groupName, ...ids)
      .then(
        () => undefined,
        (error: unknown) =>
          this.#d.logger.warn(
            { err: error, count: ids.length },
            'redis: XACK failed (messages will be redelivered)',
          ),
      )
      .finally(() => {
        this.#acks.delete(ack);
        for (const entry of entries) this.#release(entry);
      });
    this.#acks.add(ack);
  }

  async #deadLetter(entry: StreamEntry, error: Error, attempts: number): Promise<void> {
    try {
      const outcome = await publishDeadLetter(
        this.#d.publisher,
        this.#d.policy,
        { topic: this.topic, key: entry.key, headers: entry.headers, raw: entry.payload },
        error,
        attempts,
      );
      if (outcome.type === 'dropped') {
        this.#d.logger.warn(
          { topic: this.topic, id: entry.id, err: error },
          'redis: message dropped (no dead-letter topic)',
        );
      }
      this.#ack(entry);
    } catch (cause) {
      // Not acked: it stays pending and is claimed again later, then dead-lettered again.
      this.#d.logger.error({ err: cause, id: entry.id }, 'redis: dead-letter publish failed');
      this.#release(entry);
    }
  }

  async #claimTick(): Promise<void> {
    if (this.#claiming || this.#stopping) return;
    this.#claiming = true;
    try {
      await this.#refreshLeases();
      await this.#claimIdle();
    } catch (error) {
      this.#d.logger.debug({ err: error, stream: this.#d.streamKey }, 'redis: claim tick failed');
    } finally {
      this.#claiming = false;
    }
  }

  async #refreshLeases(): Promise<void> {
    const ids = [...this.#held];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await redisCommand(
        this.#d.commands,
        'XCLAIM',
        this.#d.streamKey,
        this.#groupName,
        this.#consumer,
        '0',
        ...chunk,
        'JUSTID',
      );
    }
  }

  async #claimIdle(): Promise<void> {
    const { commands, streamKey, claimIdleMs } = this.#d;
    let cursor = '0-0';
    do {
      if (this.#stopping || this.#scheduler.size >= this.#highWater) return;
      const reply = (await redisCommandBuffer(
        commands,
        'XAUTOCLAIM',
        streamKey,
        this.#groupName,
        this.#consumer,
        String(claimIdleMs),
        cursor,
        'COUNT',
        '100',
      )) as unknown[];
      cursor = String(reply[0]);
      const entries = parseEntries((reply[1] as unknown[]) ?? []).filter((e) => !this.#held.has(e.id));
      for (const entry of entries) {
        const deliveries = await this.#deliveryCount(entry.id);
        this.#d.logger.info(
          { stream: streamKey, id: entry.id, deliveries },
          'redis: claimed an idle pending message',
        );
        this.#dispatch(entry, deliveries);
      }
    } while (cursor !== '0-0');
  }

  async #deliveryCount(id: string): Promise<number> {
    const reply = await redisCommand(
      this.#d.commands,
      'XPENDING',
      this.#d.streamKey,
      this.#groupName,
      id,
      id,
      '1',
    );
    const row = Array.isArray(reply) ? (reply[0] as unknown[] | undefined) : undefined;
    const count = Number(row?.[3]);
    return Number.isFinite(count) && count > 0 ? count : 1;
  }
}
