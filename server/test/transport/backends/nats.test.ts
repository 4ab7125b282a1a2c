import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createNatsBroker } from '../../../src/transport/backends/nats/index.ts';
import { ownServer } from '../conformance/own-server.ts';
import { describeConformance } from '../conformance/suite.ts';
import { jetstreamReady, testStreamPrefix } from './nats-support.ts';

const prefix = testStreamPrefix();

// The conformance suites run on a nats-server of this file's own (JetStream on, state in a temporary
// folder): the machine's server caps payload + headers at 1 MiB (max_payload), so the exact 1 MiB
// payload the suite sends cannot travel there with our headers; this one allows 2 MB. The restart
// case restarts THIS server (SIGTERM, then the same command), leaving the machine's alone.
// nats-jetstream.test.ts checks the machine server's own limit (the largest payload that fits, and
// the rejection of a larger one).
const own = await ownServer({
  name: 'nats-server',
  binary: '/usr/sbin/nats-server',
  args: (port, dir) => {
    const config = join(dir, 'nats.conf');
    writeFileSync(config, 'max_payload: 2MB\n');
    return ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'js'), '-c', config];
  },
  ready: (port) => jetstreamReady(`127.0.0.1:${port}`),
});
const servers = own.up ? `127.0.0.1:${own.server.port}` : '';
const skip = own.up ? undefined : own.reason;
const restartServer = () => (own.up ? own.server.restart('SIGTERM') : Promise.resolve());

afterAll(async () => {
  if (own.up) await own.server.stop();
});

describeConformance('nats jetstream', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createNatsBroker({ servers, streamPrefix: prefix });
    await broker.connect();
    return broker;
  },
  restartServer,
});

describeConformance('nats core', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createNatsBroker({ servers, mode: 'core' });
    await broker.connect();
    return broker;
  },
  restartServer,
});
