/**
 * The subscriber-server example (examples/app/main.ts): SIGINT while a handler is running lets it
 * finish, then the app stops and the process exits 0.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { readingCodec } from '../../examples/sensor/reading.ts';
import { createBroker } from '../../src/transport/index.ts';
import { service } from '../support/service.ts';
import { type Program, runExample, stop } from './support.ts';

const mqtt = await service('mqtt', 1883);
let program: Program | undefined;

afterEach(() => stop(program));

/** Sends SIGINT while the handler of `id` is in flight; checks it finished before a clean exit. */
async function interruptMidHandler(p: Program, id: string): Promise<void> {
  p.child.kill('SIGINT');
  const code = await p.exited;
  const out = p.stdout();
  expect(code, p.stderr()).toBe(0);
  const finished = out.indexOf(`[${id}]`);
  expect(finished, out).toBeGreaterThan(out.indexOf(`app handling ${id}`));
  // The handler's last line comes before the app reports it stopped.
  expect(out.indexOf('stopped cleanly')).toBeGreaterThan(finished);
}

describe('examples: subscriber server in an app', () => {
  it('examples: SIGINT drains the in-flight handler and exits 0 (memory, in-process publisher)', async () => {
    program = runExample('app/main.ts', [
      '--backend',
      'memory',
      '--publish-every',
      '100',
      '--work-ms',
      '1500',
    ]);
    const [, id] = await program.waitFor(/^app handling (\S+)/m, 'a handler in flight');
    await interruptMidHandler(program, id ?? '');
  }, 90_000);

  it.skipIf(!mqtt.up)(
    `examples: SIGINT drains the in-flight handler and exits 0 (mqtt)${mqtt.reason}`,
    async () => {
      const topic = `rtm.examples.app.${randomUUID().slice(0, 8)}`;
      program = runExample('app/main.ts', [
        '--backend',
        'mqtt',
        '--topic',
        topic,
        '--publish-every',
        '0',
        '--work-ms',
        '1500',
      ]);
      await program.waitFor(/^ready:/m, 'the app to start');
      const broker = await createBroker({ backend: 'mqtt', url: 'mqtt://127.0.0.1:1883' });
      await broker.connect();
      try {
        await broker.publish(
          topic,
          { humidity: 44.5, temperature: 21.5 },
          { key: 'sensor-9', codec: readingCodec },
        );
      } finally {
        await broker.close();
      }
      const [, id] = await program.waitFor(/^app handling (\S+)/m, 'the published reading in flight');
      await interruptMidHandler(program, id ?? '');
      expect(program.stdout()).toContain('app got sensor-9: humidity 44.5 %, temperature 21.5 °C');
    },
    90_000,
  );
});
