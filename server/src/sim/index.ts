// Public entry of the sim area: what the CLI and the HTTP layer import.
export { network } from './builtin-network.ts';
export { type EmbeddedBroker, type EmbeddedBrokerOptions, startEmbeddedBroker } from './embedded-broker.ts';
export { SIM_ERROR, SimError, type SimErrorCode } from './errors.ts';
export { createFleet, type Fleet, type FleetOptions, type FleetStats, type SimMessage } from './fleet.ts';
export { loadGtfsNetwork } from './gtfs-network.ts';
export type { Network, NetworkRoute, NetworkStop, RouteDirection } from './network.ts';
export { networkGeoJson } from './network-geojson.ts';
export { DEFAULT_QUIRKS, NO_QUIRKS, type QuirkRates, quirkRates } from './quirks.ts';
export { type Recording, type RecordOptions, type RecordStats, recordCapture } from './record.ts';
export { type ReplayOptions, type ReplayProgress, type ReplayStats, replayCapture } from './replay.ts';
export { buildSimulator, type Simulator, type SimulatorOptions, type SimulatorStats } from './simulator.ts';
