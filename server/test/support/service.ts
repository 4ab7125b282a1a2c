/**
 * Test support: is a real service reachable? Under CI=true a missing service is a failure;
 * elsewhere the caller's tests skip with a one-line reason.
 *
 *   const redis = await service('redis', 6379);
 *   describe.skipIf(!redis.up)(`redis backend${redis.reason}`, () => { ... });
 */
import { Socket } from 'node:net';

export interface ServiceCheck {
  readonly up: boolean;
  /** Empty when up; otherwise " (skipped: redis not reachable on 127.0.0.1:6379)". */
  readonly reason: string;
}

export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

export async function service(name: string, port: number, host = '127.0.0.1'): Promise<ServiceCheck> {
  if (await canConnect(port, host)) return { up: true, reason: '' };
  const why = `${name} not reachable on ${host}:${port}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${why}: a missing service fails the run`);
  console.warn(`skip: ${why}`);
  return { up: false, reason: ` (skipped: ${why})` };
}
