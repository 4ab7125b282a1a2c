/**
 * Starts the real server (`realtimemap start`) as a child process on free ports, with a seeded simulator
 * and the offline map style, and waits until /readyz says it is ready.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = resolve(REPO_ROOT, 'server/node_modules/.bin/tsx');
const MAIN = resolve(REPO_ROOT, 'server/src/cli/main.ts');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly mqttPort: number;
  /** Everything the process wrote, for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly port?: number;
  readonly mqttPort?: number;
  readonly vehicles?: number;
  readonly seed?: number;
  readonly extraArgs?: readonly string[];
}

export async function startServer(options: ServerOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const mqttPort = options.mqttPort ?? (await freePort());
  const args = [
    MAIN,
    'start',
    `--port=${port}`,
    `--mqtt-port=${mqttPort}`,
    '--style-url=offline',
    `--sim-vehicles=${options.vehicles ?? 300}`,
    `--sim-seed=${options.seed ?? 7}`,
    ...(options.extraArgs ?? []),
  ];
  let log = '';
  const child: ChildProcess = spawn(TSX, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    mqttPort,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
