/**
 * The entry for backends and other parts of the transport layer (not for the app: it uses index.ts).
 * One import gives a backend the contract, the errors, the codecs and the shared delivery pieces.
 */
export type * from './broker.ts';
export type { Codec } from './codec.ts';
export * from './codecs/index.ts';
export * from './delivery/index.ts';
export * from './errors.ts';
export { silentLogger, type TransportLogger } from './logger.ts';
export * from './message.ts';
export type { Server } from './server.ts';
export { StatusEmitter } from './status-emitter.ts';
export * from './topics/index.ts';
