import type { Capabilities } from '../../internal.ts';

/** JetStream (default mode): stored streams, durable consumers, server-side redelivery. */
export const jetstreamCapabilities: Capabilities = Object.freeze({
  persistent: true,
  // Within a subscription (its KeyedScheduler); across group members only with maxAckPending 1.
  orderedByKey: true,
  redelivery: true,
  groups: true,
  // Through native(): NatsConnection.request / subscribe + msg.respond (Broker has no request method).
  requestReply: true,
  headers: true,
  wildcards: true,
  // DeliverPolicy.ByStartTime over the stored stream.
  replay: true,
});

/** Core NATS: nothing stored; a nack is retried in-process, so redelivery holds but not across a crash. */
export const coreCapabilities: Capabilities = Object.freeze({
  ...jetstreamCapabilities,
  persistent: false,
  replay: false,
});

export function capabilitiesFor(mode: 'jetstream' | 'core'): Capabilities {
  return mode === 'core' ? coreCapabilities : jetstreamCapabilities;
}

/** Both modes, for capability tables. */
export const capabilitiesByMode: Readonly<Record<'jetstream' | 'core', Capabilities>> = Object.freeze({
  jetstream: jetstreamCapabilities,
  core: coreCapabilities,
});
