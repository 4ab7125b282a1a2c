/**
 * Acks of one consumer channel, sent once per turn instead of once per message: amqplib writes each
 * frame to the socket on its own and RabbitMQ handles each ack frame, so on a busy 2-core machine
 * per-message acks cost both processes CPU. A burst of deliveries read together is acked by one
 * `multiple: true` frame.
 *
 * A multiple ack settles every unacked delivery up to its tag, so it may only name a tag below the
 * oldest delivery still being handled (tags of a channel count up from 1, in delivery order).
 * Deliveries settled above such a gap (a slower handler of another key) are acked one by one at the
 * same flush, so a gap never holds prefetch slots. A requeue goes out at once, before any later
 * multiple ack could cover its tag. Memory is bounded by the prefetch: only unsettled tags are kept.
 */
import type { Channel, ConsumeMessage } from 'amqplib';

export class AckBatcher {
  readonly channel: Channel;
  readonly #onError: (error: unknown) => void;
  /** Delivered and not settled, in delivery (= tag) order: a Set iterates in insertion order. */
  readonly #unsettled = new Set<number>();
  /** Acked since the last flush, in the order they were acked. */
  #pending: ConsumeMessage[] = [];

  constructor(channel: Channel, onError: (error: unknown) => void) {
    this.channel = channel;
    this.#onError = onError;
  }

  /** Every delivery passes here first. */
  delivered(msg: ConsumeMessage): void {
    this.#unsettled.add(msg.fields.deliveryTag);
  }

  /** Acks `msg` at the end of this turn, with the others acked meanwhile. */
  ack(msg: ConsumeMessage): void {
    this.#unsettled.delete(msg.fields.deliveryTag);
    if (this.#pending.push(msg) === 1) queueMicrotask(this.flush);
  }

  /** Gives `msg` back to the queue now. */
  requeue(msg: ConsumeMessage): void {
    this.#unsettled.delete(msg.fields.deliveryTag);
    try {
      this.channel.nack(msg, false, true);
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Sends the acks queued (also called before the channel closes). */
  readonly flush = (): void => {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const oldest = this.#unsettled.values().next();
    const below = oldest.done ? Number.POSITIVE_INFINITY : oldest.value;
    let multiple: ConsumeMessage | undefined;
    for (const msg of pending) {
      const tag = msg.fields.deliveryTag;
      if (tag < below && (multiple === undefined || tag > multiple.fields.deliveryTag)) multiple = msg;
    }
    try {
      if (multiple) this.channel.ack(multiple, true);
      if (below !== Number.POSITIVE_INFINITY)
        for (const msg of pending) if (msg.fields.deliveryTag > below) this.channel.ack(msg);
    } catch (error) {
      // The channel closed: RabbitMQ redelivers what was not acked.
      this.#onError(error);
    }
  };
}
