/** Test support for the sim and feed tests: a silent logger, polling with a deadline, MQTT clients. */
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';

export const silent = pino({ level: 'silent' });

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function connectClient(url: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

/** Subscribes and collects every message (topic, payload text) in arrival order. */
export async function collect(
  url: string,
  filter: string,
): Promise<{ client: MqttClient; messages: { topic: string; payload: string }[] }> {
  const client = await connectClient(url);
  const messages: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => messages.push({ topic, payload: payload.toString('utf8') }));
  await client.subscribeAsync(filter, { qos: 0 });
  return { client, messages };
}
