import { execSync } from 'node:child_process';
import { createMqttBroker } from '../../../src/transport/backends/mqtt/index.ts';
import { canConnect, service } from '../../support/service.ts';
import { describeConformance } from '../conformance/suite.ts';
import { waitFor } from '../conformance/support.ts';

const mosquitto = await service('mosquitto', 1883);

/** The brief's restart command; waits until the port accepts connections again. */
async function restartMosquitto(): Promise<void> {
  execSync('pkill -x mosquitto; sleep 0.2; mosquitto -d -c /etc/mosquitto/mosquitto.conf', {
    stdio: 'ignore',
    shell: '/bin/sh',
  });
  let up = false;
  const deadline = Date.now() + 20_000;
  while (!up && Date.now() < deadline) {
    up = await canConnect(1883);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  await waitFor(() => up, 'mosquitto to come back', 1);
}

describeConformance('mqtt', {
  ...(mosquitto.up ? {} : { skip: mosquitto.reason.replace(/^ \(skipped: |\)$/g, '') }),
  makeBroker: async () => {
    const broker = createMqttBroker({
      url: 'mqtt://127.0.0.1:1883',
      reconnect: { initialDelayMs: 50, maxDelayMs: 1_000 },
    });
    await broker.connect();
    return broker;
  },
  restartServer: restartMosquitto,
});
