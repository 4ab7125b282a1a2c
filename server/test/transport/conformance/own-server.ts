/**
 * A server process of the test's own (redis-server, nats-server) on a free loopback port, for the
 * conformance cases the machine's shared server cannot serve: Redis there keeps nothing on disk, and
 * NATS there caps payload + headers at 1 MiB. The test restarts THIS process mid-stream, so other
 * engineers' services are left alone.
 *
 *   const redis = await ownServer({ name: 'redis-server', binary: '/usr/bin/redis-server',
 *     args: (port, dir) => ['--port', String(port), '--dir', dir] });
 *   if (redis.up) { ... redis.server.port ... await redis.server.restart() ... }
 *
 * A missing binary skips with a one-line reason, or fails the run under CI=true.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect } from '../../support/service.ts';

export interface OwnServer {
  readonly port: number;
  /** Its data folder (kept across restarts, removed by stop()). */
  readonly dir: string;
  /** Stops the process with `signal` (default SIGTERM), waits for it to exit, starts it again. */
  restart(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export type OwnServerCheck =
  | { readonly up: true; readonly server: OwnServer; readonly reason: '' }
  | { readonly up: false; readonly reason: string };

export interface OwnServerSpec {
  readonly name: string;
  readonly binary: string;
  /** Command-line arguments for the given port and data folder. */
  readonly args: (port: number, dir: string) => string[];
  /** Ready when this resolves true (default: the port accepts connections). */
  readonly ready?: (port: number) => Promise<boolean>;
}

/** A port the kernel just handed out and we released (good enough on a loopback-only test machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function ownServer(spec: OwnServerSpec): Promise<OwnServerCheck> {
  if (!executable(spec.binary)) {
    const why = `${spec.name} binary not found at ${spec.binary}`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${why}: a missing server fails the run`);
    console.warn(`skip: ${why}`);
    return { up: false, reason: why };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `rtm-${spec.name}-`));
  const ready = spec.ready ?? ((p: number) => canConnect(p));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    output = '';
    const proc = spawn(spec.binary, spec.args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    child = proc;
    const deadline = Date.now() + 30_000;
    while (!(await ready(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`${spec.name} on port ${port} did not start (exit ${proc.exitCode}): ${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const late = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(late);
  };

  // Never outlive the test process (a crashed worker would otherwise leave the server running).
  const reap = () => child?.kill('SIGKILL');
  process.once('exit', reap);
  await start();
  const server: OwnServer = {
    port,
    dir,
    restart: async (signal = 'SIGTERM') => {
      await halt(signal);
      await start();
    },
    stop: async () => {
      process.off('exit', reap);
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { up: true, server, reason: '' };
}
