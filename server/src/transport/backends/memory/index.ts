export { capabilities, createMemoryBroker, type MemoryBrokerOptions } from './memory-broker.ts';
export { type Envelope, MemoryHub } from './memory-hub.ts';
