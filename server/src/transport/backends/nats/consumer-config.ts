/**
 * JetStream consumer per subscription. A group is a durable pull consumer (members pull from the same
 * one: competing consumers); a fan-out subscription gets its own named ephemeral consumer that the
 * server removes after `fanoutInactiveMs` if the process vanishes, and that we recreate from the
 * first unsettled sequence if the server lost it (restart).
 */
import { AckPolicy, type ConsumerConfig, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { DeliveryPolicy } from '../../internal.ts';
import { natsName } from './names.ts';
import type { ResolvedNatsOptions } from './options.ts';

export interface ConsumerSpec {
  readonly stream: string;
  readonly name: string;
  readonly durable: boolean;
  readonly subject: string;
}

/** Durable name for a group: the group itself on a per-topic stream; group + topic on a shared stream. */
export function durableName(group: string, topic: string, ownStream: boolean): string {
  return natsName(ownStream ? group : `${group}_${topic}`);
}

/**
 * Server-side max_deliver is a backstop above the policy's attempts: the client dead-letters at
 * maxAttempts; the extra deliveries let it do so even when the last attempt crashed, or when a
 * dead-letter publish failed once and had to be retried.
 */
export function maxDeliverFor(policy: DeliveryPolicy): number {
  return policy.maxAttempts + 2;
}

export function consumerConfig(
  spec: ConsumerSpec,
  options: ResolvedNatsOptions,
  policy: DeliveryPolicy,
  startSeq?: number,
  fromTime?: number,
): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: maxDeliverFor(policy),
    max_ack_pending: options.maxAckPending,
    filter_subject: spec.subject,
    deliver_policy:
      startSeq !== undefined
        ? DeliverPolicy.StartSequence
        : options.deliverPolicy === 'all'
          ? DeliverPolicy.All
          : DeliverPolicy.New,
  };
  if (startSeq !== undefined) config.opt_start_seq = startSeq;
  else if (fromTime !== undefined) {
    config.deliver_policy = DeliverPolicy.StartTime;
    config.opt_start_time = new Date(fromTime).toISOString();
  }
  if (spec.durable) config.durable_name = spec.name;
  else {
    config.name = spec.name;
    config.inactive_threshold = nanos(options.fanoutInactiveMs);
  }
  return config;
}

/**
 * Creates the consumer, or brings an existing durable's mutable settings up to date (adding an
 * existing durable with other settings fails on some servers; its start position is kept).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  spec: ConsumerSpec,
  config: Partial<ConsumerConfig>,
): Promise<void> {
  try {
    await jsm.consumers.add(spec.stream, config);
  } catch (error) {
    if (!spec.durable) throw error;
    await jsm.consumers.update(spec.stream, spec.name, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    });
  }
}
