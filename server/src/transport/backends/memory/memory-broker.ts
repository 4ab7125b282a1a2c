import type {
  Broker,
  BrokerStatus,
  Capabilities,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { jsonCodec } from '../../codecs/json-codec.ts';
import { buildPublishHeaders } from '../../delivery/headers.ts';
import { resolvePolicy } from '../../delivery/policy.ts';
import { BrokerClosedError, DeadlineError, InvalidOptionError, PublishError } from '../../errors.ts';
import { silentLogger, type TransportLogger } from '../../logger.ts';
import type { Handler } from '../../message.ts';
import { StatusEmitter } from '../../status-emitter.ts';
import { PublishTopicCheck } from '../../topics/publish-topic.ts';
import { patternProblem } from '../../topics/wildcards.ts';
import { MemoryHub } from './memory-hub.ts';
import { MemorySubscription } from './memory-subscription.ts';

export const capabilities: Capabilities = Object.freeze({
  persistent: false,
  orderedByKey: true,
  redelivery: true,
  groups: true,
  requestReply: false,
  headers: true,
  wildcards: true,
});

export interface MemoryBrokerOptions {
  /** Share one in-process bus between brokers (default: a private one). */
  readonly hub?: MemoryHub;
  /** Codec for publishes and for subscriptions that name none and get an unknown content type. */
  readonly codec?: Codec;
  /** Messages waiting to start, per subscription (default 1,000). */
  readonly queueCapacity?: number;
  /**
   * When a subscription's queue is full: 'wait' (default) makes publish wait for room, so a slow
   * consumer slows its producers; 'reject' fails the publish with QueueFullError.
   */
  readonly overflow?: 'wait' | 'reject';
  /** close() deadline when the call gives none (default 30 s). */
  readonly closeDeadlineMs?: number;
  readonly logger?: TransportLogger;
}

/** A copy of the bytes, of the same kind (Buffer#slice would share memory, Uint8Array#slice copies). */
function copyBytes(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? Buffer.from(bytes) : bytes.slice();
}

const NO_OPTIONS: PublishOptions = Object.freeze({});
const RESOLVED = Promise.resolve();

/** The in-process backend: the default, and the reference every other backend is compared with. */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): Broker {
  return new MemoryBroker(options);
}

class MemoryBroker implements Broker {
  readonly name = 'memory';
  readonly capabilities = capabilities;
  private readonly hub: MemoryHub;
  private readonly codec: Codec;
  private readonly queueCapacity: number;
  private readonly overflow: 'wait' | 'reject';
  private readonly closeDeadlineMs: number;
  private readonly logger: TransportLogger;
  private readonly statusEmitter = new StatusEmitter();
  private readonly publishTopics = new PublishTopicCheck();
  private readonly subs = new Set<{ close(): Promise<void>; abandon(): void }>();
  private closing: Promise<void> | undefined;

  constructor(o: MemoryBrokerOptions) {
    this.hub = o.hub ?? new MemoryHub();
    this.codec = o.codec ?? jsonCodec;
    this.queueCapacity = o.queueCapacity ?? 1_000;
    if (!Number.isInteger(this.queueCapacity) || this.queueCapacity < 1) {
      throw new InvalidOptionError('queueCapacity must be an integer >= 1');
    }
    this.overflow = o.overflow ?? 'wait';
    this.closeDeadlineMs = o.closeDeadlineMs ?? 30_000;
    this.logger = o.logger ?? silentLogger;
  }

  get status(): BrokerStatus {
    return this.statusEmitter.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.statusEmitter.on(listener);
  }

  async connect(): Promise<void> {
    if (this.closing) throw new BrokerClosedError('memory connect');
    if (this.status.type !== 'connected') this.statusEmitter.set({ type: 'connected' });
  }

  publish<T>(topic: string, value: T, options: PublishOptions = NO_OPTIONS): Promise<void> {
    // Dead letters of draining subscriptions still go out while close() runs; users' publishes do not.
    if (this.closing) return Promise.reject(new BrokerClosedError(`memory publish to "${topic}"`));
    return this.send(topic, value, options);
  }

  /** Synchronous up to the hub: a message every inbox took at once resolves with no further turn. */
  private send<T>(topic: string, value: T, options: PublishOptions): Promise<void> {
    try {
      return this.dispatch(topic, value, options) ?? RESOLVED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private dispatch<T>(topic: string, value: T, options: PublishOptions): Promise<void> | undefined {
    const problem = this.publishTopics.problem(topic);
    if (problem) throw new PublishError('memory', topic, new InvalidOptionError(problem));
    const codec = options.codec ?? this.codec;
    let raw: Uint8Array;
    try {
      // A copy: the caller may reuse its buffer once publish resolves (jsonCodec returns a new buffer
      // every time, so its output needs none).
      const encoded = codec.encode(value);
      raw = codec === jsonCodec ? encoded : copyBytes(encoded);
    } catch (cause) {
      throw new PublishError('memory', topic, cause);
    }
    const headers = buildPublishHeaders(codec, options.headers);
    return this.hub.dispatch({ topic, key: options.key, headers, raw, timestamp: Date.now() });
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    if (this.closing) throw new BrokerClosedError(`memory subscribe to "${topic}"`);
    const problem = patternProblem(topic);
    if (problem) throw new InvalidOptionError(problem);
    if (options.group !== undefined && options.group.length === 0)
      throw new InvalidOptionError('group is empty');
    const sub = new MemorySubscription<T>({
      hub: this.hub,
      broker: { publish: (t, v, o) => this.send(t, v, o ?? {}) },
      pattern: topic,
      group: options.group,
      handler,
      policy: resolvePolicy(options.policy),
      codec: options.codec,
      defaultCodec: this.codec,
      maxInFlight: options.maxInFlight ?? 1,
      orderedByKey: options.orderedByKey ?? true,
      queueCapacity: this.queueCapacity,
      overflow: this.overflow,
      logger: this.logger,
      onClosed: () => this.subs.delete(sub),
    });
    this.hub.add(sub);
    this.subs.add(sub);
    if (this.status.type === 'idle') this.statusEmitter.set({ type: 'connected' });
    return sub;
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.closing ??= this.drain(options.deadlineMs ?? this.closeDeadlineMs);
    return this.closing;
  }

  private async drain(deadlineMs: number): Promise<void> {
    const subs = [...this.subs];
    const drained = Promise.all(subs.map((s) => s.close()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const result = await Promise.race([drained, late]);
    clearTimeout(timer);
    if (result === 'late') {
      for (const s of subs) s.abandon();
      this.statusEmitter.set({ type: 'closed', error: new DeadlineError('memory close', deadlineMs) });
      throw new DeadlineError('memory close', deadlineMs);
    }
    this.statusEmitter.set({ type: 'closed' });
  }

  native(): MemoryHub {
    return this.hub;
  }
}
