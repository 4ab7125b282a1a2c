/**
 * JetStream publishes and their PubAcks without nats.js' request machinery. js.publish() goes through
 * nc.request(), which per publish builds a request object, a deferred, a timer (setTimeout) and, on
 * every successful reply, a RequestError it then throws away (`cancel()` rejects the settled
 * deferred with a fresh Error and stack). Here one subscription on our own inbox wildcard takes every
 * PubAck, a number in the reply subject finds the publish, and one sweep timer expires the late ones.
 *
 * On the wire nothing changes: a PUB/HPUB with a reply subject, answered by the stream's PubAck JSON.
 */
import { type JetStreamApiError as ApiError, JetStreamApiError } from '@nats-io/jetstream';
import {
  createInbox,
  errors,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription as NatsSubscription,
} from '@nats-io/transport-node';
import { NoStreamError } from './errors.ts';

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
  readonly subject: string;
}

/** How often late PubAcks are looked for: a timeout fires up to this much after its deadline. */
const SWEEP_MS = 100;

type ApiErrorBody = ConstructorParameters<typeof ApiError>[0];

export class PubAcks {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  readonly #pending = new Map<number, Pending>();
  readonly #sub: NatsSubscription;
  #next = 1;
  #sweep: NodeJS.Timeout | undefined;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#prefix = `${createInbox()}.`;
    this.#sub = nc.subscribe(`${this.#prefix}*`, { callback: (error, m) => this.#onReply(error, m) });
    // The connection closed for good: nothing pending can be answered any more.
    void this.#sub.closed.then(() => this.#failAll(new errors.ClosedConnectionError()));
  }

  /** Publishes with a reply subject; resolves on the stream's PubAck, rejects on its error or a timeout. */
  publish(subject: string, data: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<void> {
    const id = this.#next++;
    return new Promise<void>((resolve, reject) => {
      this.#nc.publish(subject, data, { headers, reply: this.#prefix + id });
      this.#pending.set(id, { resolve, reject, deadline: Date.now() + timeoutMs, subject });
      this.#sweep ??= setInterval(() => this.#expire(), SWEEP_MS);
    });
  }

  #onReply(error: Error | null, m: Msg): void {
    if (error) {
      this.#failAll(error);
      return;
    }
    const id = Number(m.subject.slice(this.#prefix.length));
    const pending = this.#pending.get(id);
    if (pending === undefined) return; // Timed out already (the retry may still be de-duplicated).
    this.#pending.delete(id);
    this.#stopSweepIfIdle();
    const failure = pubAckFailure(m, pending.subject);
    if (failure) pending.reject(failure);
    else pending.resolve();
  }

  #expire(): void {
    const now = Date.now();
    for (const [id, p] of this.#pending) {
      if (p.deadline > now) continue;
      this.#pending.delete(id);
      p.reject(new errors.TimeoutError());
    }
    this.#stopSweepIfIdle();
  }

  #stopSweepIfIdle(): void {
    if (this.#pending.size > 0 || this.#sweep === undefined) return;
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  #failAll(error: Error): void {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
    this.#stopSweepIfIdle();
  }
}

/**
 * Why a PubAck reply refuses the publish, if it does: a 503 status (no stream listens on the subject:
 * none captures it, or JetStream is not up yet) or the stream's error JSON (as js.publish reports it).
 */
function pubAckFailure(m: Msg, subject: string): Error | undefined {
  const data = m.data;
  if (data.length === 0) {
    const status = m.headers?.code;
    return status === 503 ? new NoStreamError(subject) : new Error(`nats: empty PubAck (status ${status})`);
  }
  // A PubAck is `{"stream":...,"seq":...}`; only an error reply needs parsing.
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (!text.includes('"error"')) return undefined;
  const body = JSON.parse(text) as { error?: ApiErrorBody };
  return body.error ? new JetStreamApiError(body.error) : undefined;
}
