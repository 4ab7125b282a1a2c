/** Test support for the examples: run a program as its one command would, read its output, wait for lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface Program {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (signal deaths give 128 + n). */
  readonly exited: Promise<number>;
  /** Polls stdout until `pattern` matches; returns the match. */
  waitFor(pattern: RegExp, what: string, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** `node --import tsx examples/<path> ...args` from server/ (one process, so signals reach the program). */
export function runExample(path: string, args: readonly string[]): Program {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${path}`, ...args], {
    cwd: SERVER_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0)));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (done) throw new Error(`exited before ${what}\nstdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Runs a program to its end; returns its exit code and output. */
export async function runToEnd(
  path: string,
  args: readonly string[],
  timeoutMs = 90_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = runExample(path, args);
  const timer = setTimeout(() => program.child.kill('SIGKILL'), timeoutMs);
  const code = await program.exited.finally(() => clearTimeout(timer));
  return { code, stdout: program.stdout(), stderr: program.stderr() };
}

/** Kills a program still running (test clean-up). */
export function stop(program: Program | undefined): void {
  if (program && program.child.exitCode === null && program.child.signalCode === null)
    program.child.kill('SIGKILL');
}
