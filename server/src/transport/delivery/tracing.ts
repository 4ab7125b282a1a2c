import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  Broker,
  BrokerStatus,
  Capabilities,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from '../broker.ts';
import { type Handler, HEADER } from '../message.ts';
import { newTraceparent, parseTraceparent, type TraceContext } from './traceparent.ts';

/** Created on first use (nothing is set up when the module is imported). */
let storage: AsyncLocalStorage<TraceContext | undefined> | undefined;

/** The trace context of the message whose handler is running (through any await), if any. */
export function currentTraceContext(): TraceContext | undefined {
  return storage?.getStore();
}

/**
 * Tracing middleware: a Broker that propagates W3C trace context through messages.
 *
 * - publish: a `traceparent` the caller gave is kept as is; otherwise, inside a handler of a traced
 *   subscription, the message gets a child of the handled message's context (same trace id, new span
 *   id); otherwise a new trace starts. So every message published through it carries a traceparent.
 * - subscribe: each handler runs with its message's context current (`currentTraceContext()`), which
 *   is how a publish from inside it finds its parent, on this broker or any other traced one.
 *
 * Opt-in, because it costs per message (random span ids, a context switch per delivery); a plain
 * broker carries a caller's `traceparent` unchanged and generates none.
 */
export function withTracing(broker: Broker): Broker {
  storage ??= new AsyncLocalStorage();
  return new TracingBroker(broker, storage);
}

class TracingBroker implements Broker {
  constructor(
    private readonly inner: Broker,
    private readonly storage: AsyncLocalStorage<TraceContext | undefined>,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get capabilities(): Capabilities {
    return this.inner.capabilities;
  }

  get status(): BrokerStatus {
    return this.inner.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.inner.onStatus(listener);
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    const given = options.headers;
    if (given && hasTraceparent(given)) return this.inner.publish(topic, value, options);
    const traceparent = newTraceparent(this.storage.getStore());
    return this.inner.publish(topic, value, {
      ...options,
      headers: { ...given, [HEADER.traceparent]: traceparent },
    });
  }

  subscribe<T>(topic: string, handler: Handler<T>, options?: SubscribeOptions<T>): Promise<Subscription> {
    const traced: Handler<T> = (message) =>
      this.storage.run(parseTraceparent(message.headers[HEADER.traceparent]), handler, message);
    return this.inner.subscribe(topic, traced, options);
  }

  close(options?: { readonly deadlineMs?: number }): Promise<void> {
    return this.inner.close(options);
  }

  native(): unknown {
    return this.inner.native();
  }
}

/** Header names may come in any case (backends lower-case them). */
function hasTraceparent(headers: Readonly<Record<string, string>>): boolean {
  for (const name in headers) if (name.toLowerCase() === HEADER.traceparent) return true;
  return false;
}
