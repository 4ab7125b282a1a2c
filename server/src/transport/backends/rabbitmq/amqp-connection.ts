/**
 * Owns the AMQP connection and the confirm channel used for publishing, and reconnects forever with
 * capped exponential backoff when the connection drops (amqplib has no reconnect of its own).
 * After every (re)connect it declares the exchange, then runs the `onConnected` hooks, which
 * re-declare each subscription's queues and restart its consumer.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { ConnectError, sleep } from '../../internal.ts';
import type { StatusEmitter } from '../../status-emitter.ts';
import { coalesceFrameWrites } from './frame-writes.ts';
import type { ResolvedRabbitmqOptions } from './options.ts';

export interface Live {
  readonly connection: ChannelModel;
  readonly publisher: ConfirmChannel;
}

export class AmqpConnection {
  readonly #o: ResolvedRabbitmqOptions;
  readonly #status: StatusEmitter;
  readonly #hooks = new Set<(live: Live) => Promise<void>>();
  readonly #abort = new AbortController();
  #live: Live | undefined;
  #waiters: (() => void)[] = [];

  constructor(options: ResolvedRabbitmqOptions, status: StatusEmitter) {
    this.#o = options;
    this.#status = status;
  }

  /** The current connection, or undefined while (re)connecting. */
  get live(): Live | undefined {
    return this.#live;
  }

  /** Runs after every reconnect (not the first connect). Returns the unregister function. */
  onReconnected(hook: (live: Live) => Promise<void>): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  async start(): Promise<void> {
    this.#status.set({ type: 'connecting' });
    try {
      this.#live = await this.#open();
    } catch (cause) {
      this.#status.set({ type: 'idle' });
      throw new ConnectError('rabbitmq', cause);
    }
    this.#status.set({ type: 'connected' });
  }

  /** The live connection, waiting through a reconnect for at most `timeoutMs`. */
  async ready(timeoutMs: number): Promise<Live | undefined> {
    if (this.#live || this.#abort.signal.aborted) return this.#live;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    return this.#live;
  }

  async close(): Promise<void> {
    this.#abort.abort();
    const live = this.#live;
    this.#live = undefined;
    this.#wake();
    if (!live) return;
    try {
      await live.publisher.waitForConfirms();
    } catch {
      // Unconfirmed publishes have already rejected their callers.
    }
    await live.connection.close().catch(() => {});
  }

  /** Closes the socket without the AMQP handshake (tests use it to simulate a dropped link). */
  kill(): void {
    const stream = (this.#live?.connection as unknown as { connection?: { stream?: { destroy(): void } } })
      ?.connection?.stream;
    stream?.destroy();
  }

  async #open(): Promise<Live> {
    const connection = await amqp.connect(this.#o.url, this.#o.socketOptions);
    if (!coalesceFrameWrites(connection))
      this.#o.logger.debug({}, 'rabbitmq: amqplib internals differ; frames are written one by one');
    try {
      connection.on('error', (error: Error) =>
        this.#o.logger.warn({ err: error }, 'rabbitmq: connection error'),
      );
      const publisher = await connection.createConfirmChannel();
      publisher.on('error', (error: Error) =>
        this.#o.logger.warn({ err: error }, 'rabbitmq: publish channel error'),
      );
      await publisher.assertExchange(this.#o.exchange, 'topic', { durable: true });
      const live: Live = { connection, publisher };
      connection.once('close', (error?: Error) => this.#onClose(live, error));
      // A channel error (e.g. publishing to a deleted exchange) closes only the channel: reconnect anyway,
      // it re-declares the topology.
      publisher.once('close', () => {
        if (this.#live === live) void connection.close().catch(() => {});
      });
      return live;
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  #onClose(live: Live, error: Error | undefined): void {
    if (this.#live !== live) return;
    this.#live = undefined;
    if (this.#abort.signal.aborted) return;
    this.#o.logger.warn({ err: error }, 'rabbitmq: connection lost, reconnecting');
    void this.#reconnect(error);
  }

  async #reconnect(firstError: Error | undefined): Promise<void> {
    let delay = this.#o.reconnectInitialDelayMs;
    let lastError = firstError;
    for (let attempt = 1; !this.#abort.signal.aborted; attempt++) {
      this.#status.set({ type: 'reconnecting', attempt, ...(lastError ? { error: lastError } : {}) });
      if (!(await sleep(delay, this.#abort.signal))) return;
      delay = Math.min(this.#o.reconnectMaxDelayMs, delay * 2);
      let live: Live;
      try {
        live = await this.#open();
      } catch (error) {
        lastError = error as Error;
        this.#o.logger.debug({ err: error, attempt }, 'rabbitmq: reconnect failed');
        continue;
      }
      if (this.#abort.signal.aborted) {
        await live.connection.close().catch(() => {});
        return;
      }
      this.#live = live;
      // Restore every subscription before reporting connected, so "connected" means "consuming again".
      for (const hook of [...this.#hooks]) {
        try {
          await hook(live);
        } catch (error) {
          this.#o.logger.error({ err: error }, 'rabbitmq: restoring a subscription failed');
        }
      }
      // Dropped again while restoring: its close handler has started a fresh loop.
      if (this.#live !== live) return;
      this.#status.set({ type: 'connected' });
      this.#wake();
      return;
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
