/** Test support for the NATS backend: the machine's nats-server, its restart, and stream clean-up. */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { waitFor } from '../conformance/support.ts';

export const NATS_URL = '127.0.0.1:4222';

/** A stream prefix unique to one test file run, so its streams can be found and deleted afterwards. */
export function testStreamPrefix(): string {
  return `rtmtest_${randomUUID().slice(0, 8)}`;
}

/** Deletes every stream whose name starts with `prefix`. */
export async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(prefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** True once JetStream on `servers` answers API requests. */
export async function jetstreamReady(servers: string = NATS_URL): Promise<boolean> {
  try {
    const nc = await connect({ servers, timeout: 1_000, maxReconnectAttempts: 0 });
    try {
      await (await jetstreamManager(nc, { timeout: 1_000 })).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

/**
 * Restarts the machine's nats-server with the command from the env notes (JetStream data in
 * /var/lib/nats-server survives). The running server is stopped by its pid, and we wait for it to
 * exit before starting again, so start-stop-daemon does not find the old one still running.
 */
export async function restartNatsServer(): Promise<void> {
  const pids = spawnSync('pgrep', ['-x', 'nats-server'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((p) => p.length > 0);
  for (const pid of pids) process.kill(Number(pid), 'SIGTERM');
  await waitFor(() => pids.every((pid) => !alive(Number(pid))), 'nats-server to exit', 20_000);
  execFileSync('start-stop-daemon', [
    '--start',
    '--oknodo',
    '--background',
    '--exec',
    '/usr/sbin/nats-server',
    '--',
    ...[
      '-a',
      '127.0.0.1',
      '-p',
      '4222',
      '-js',
      '-sd',
      '/var/lib/nats-server',
      '-l',
      '/var/log/nats-server.log',
    ],
  ]);
  const deadline = Date.now() + 30_000;
  while (!(await jetstreamReady())) {
    if (Date.now() > deadline) throw new Error('nats-server did not come back within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
