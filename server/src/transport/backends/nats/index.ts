/** The NATS backend (core NATS + JetStream, @nats-io v3). See README.md for the design. */
import { NatsBroker } from './nats-broker.ts';
import type { NatsBrokerOptions } from './options.ts';

export {
  capabilitiesByMode,
  capabilitiesFor,
  coreCapabilities,
  jetstreamCapabilities as capabilities,
} from './capabilities.ts';
export { MaxDeliveriesError, NatsSubscribeError } from './errors.ts';
export { NatsBroker } from './nats-broker.ts';
export { KEY_HEADER, TIMESTAMP_HEADER } from './nats-headers.ts';
export type { NatsBrokerOptions, NatsStreamOptions, ResolvedNatsOptions } from './options.ts';

/** Validates the options (throws InvalidOptionError listing every problem); connects on connect(). */
export function createNatsBroker(options: NatsBrokerOptions = {}): NatsBroker {
  return new NatsBroker(options);
}
