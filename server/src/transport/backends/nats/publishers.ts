/**
 * How a publish is "taken" per mode. JetStream: the stream's PubAck; retried on transient failures
 * (server restarting, JetStream not ready) with the same Nats-Msg-Id, so a retry that raced a lost
 * ack is dropped by the server as a duplicate. Core: a PING/PONG round trip after the message
 * (nc.flush), shared by every publish issued before it is sent.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { sleep } from '../../internal.ts';
import { CoreWriter } from './core-writer.ts';
import { isTransient, NoStreamError } from './errors.ts';
import { encodedHeaders, type PublishHeaderText } from './nats-headers.ts';
import { PubAcks } from './pub-acks.ts';
import type { StreamRegistry } from './stream-registry.ts';

/** The payload: its bytes, or its text (UTF-8; the core writer encodes it straight into its frame). */
export type PublishData = Uint8Array | string;

export interface Publisher {
  /** `block`: the whole header block (publishHeaderText), JetStream's Nats-Msg-Id included. */
  publish(subject: string, data: PublishData, block: PublishHeaderText): Promise<void>;
}

export class JetStreamPublisher implements Publisher {
  readonly #acks: PubAcks;
  readonly #streams: StreamRegistry;
  readonly #timeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #stopped: AbortSignal;

  constructor(
    nc: NatsConnection,
    streams: StreamRegistry,
    options: { publishTimeoutMs: number; requestTimeoutMs: number },
    stopped: AbortSignal,
  ) {
    this.#acks = new PubAcks(nc);
    this.#streams = streams;
    this.#timeoutMs = options.publishTimeoutMs;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#stopped = stopped;
  }

  async publish(subject: string, payload: PublishData, block: PublishHeaderText): Promise<void> {
    const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    const headers = encodedHeaders(block.text);
    const deadline = Date.now() + this.#timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        // A known stream costs no await before the send: publishes issued in one turn then leave
        // together (nats.js writes what was queued before its flush microtask in one socket write).
        if (this.#streams.known(subject) === undefined) await this.#streams.streamFor(subject);
        // `headers` already carries Nats-Msg-Id (= messageId), which the stream de-duplicates by.
        const timeout = Math.min(this.#requestTimeoutMs, Math.max(1, deadline - Date.now()));
        await this.#acks.publish(subject, data, headers, timeout);
        return;
      } catch (error) {
        // No responders: no stream captures the subject any more (deleted?) or JetStream is not up yet.
        if (error instanceof NoStreamError) this.#streams.forget(subject);
        const wait = Math.min(1_000, 25 * 2 ** attempt);
        if (!isTransient(error) || this.#stopped.aborted || Date.now() + wait >= deadline) throw error;
        await sleep(wait, this.#stopped);
      }
    }
  }
}

export class CorePublisher implements Publisher {
  readonly #nc: NatsConnection;
  readonly #writer: CoreWriter;
  #nextFlush: Promise<void> | undefined;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#writer = new CoreWriter(nc);
  }

  /** Not async: every publish of a turn gets the same flush promise (no promise of its own). */
  publish(subject: string, data: PublishData, block: PublishHeaderText): Promise<void> {
    try {
      this.#writer.publish(subject, block, data);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#flush();
  }

  /**
   * One flush covers every publish made before it was sent: join the one not yet sent. It is sent
   * from a microtask, so every publish issued in the same turn (and in the continuations that run
   * before that microtask) shares it without waiting for the next event-loop turn.
   */
  #flush(): Promise<void> {
    if (!this.#nextFlush) {
      this.#nextFlush = new Promise<void>((resolve, reject) => {
        queueMicrotask(() => {
          this.#nextFlush = undefined;
          try {
            this.#nc.flush().then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        });
      });
    }
    return this.#nextFlush;
  }
}
