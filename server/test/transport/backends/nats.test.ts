import { afterAll } from 'vitest';
import { createNatsBroker } from '../../../src/transport/backends/nats/index.ts';
import { service } from '../../support/service.ts';
import { describeConformance } from '../conformance/suite.ts';
import { deleteStreams, NATS_URL, restartNatsServer, testStreamPrefix } from './nats-support.ts';

const nats = await service('nats', 4222);
const skip = nats.up ? undefined : nats.reason.replace(/^ \(skipped: (.*)\)$/, '$1');
const prefix = testStreamPrefix();

// nats-server's default max_payload is 1 MiB for payload + headers together, so an exact 1 MiB
// payload cannot travel; nats-extra.test.ts checks the largest payload that fits and the rejection.
const payloadSkip = { 'payload-sizes': 'nats-server max_payload (1 MiB) counts headers too' } as const;

afterAll(async () => {
  if (nats.up) await deleteStreams(prefix);
});

describeConformance('nats jetstream', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createNatsBroker({ servers: NATS_URL, streamPrefix: prefix });
    await broker.connect();
    return broker;
  },
  restartServer: restartNatsServer,
  skipCases: payloadSkip,
});

describeConformance('nats core', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createNatsBroker({ servers: NATS_URL, mode: 'core' });
    await broker.connect();
    return broker;
  },
  restartServer: restartNatsServer,
  skipCases: payloadSkip,
});
