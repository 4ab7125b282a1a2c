import { createMemoryBroker, MemoryHub } from '../../../src/transport/backends/memory/index.ts';
import { describeConformance } from '../conformance/suite.ts';

// One hub for the file: brokers made for a test talk to each other, like clients of one real server.
const hub = new MemoryHub();

describeConformance('memory', {
  makeBroker: async () => {
    const broker = createMemoryBroker({ hub });
    await broker.connect();
    return broker;
  },
});
