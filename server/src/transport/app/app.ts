import { DeadlineError, errorMessage, TransportError } from '../errors.ts';
import { silentLogger, type TransportLogger } from '../logger.ts';
import type { Server } from '../server.ts';

/** The process events the App listens to; `process` fits, tests pass an EventEmitter. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface AppOptions {
  readonly servers: readonly Server[];
  readonly logger?: TransportLogger;
  /** Total time stop() gives all servers (default 30 s); a server still stopping then is abandoned. */
  readonly stopDeadlineMs?: number;
  /** Where SIGINT/SIGTERM come from (default `process`); false = do not listen. */
  readonly signals?: SignalSource | false;
  /** Called on a second signal while stopping (default: process.exit(130)). */
  readonly forceExit?: (code: number) => void;
}

export type AppState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Raised by start() when a server fails to start (the ones already started are stopped first). */
export class AppStartError extends TransportError {
  constructor(server: string, cause: unknown) {
    super('TRANSPORT_APP_START_FAILED', `server "${server}" failed to start: ${errorMessage(cause)}`, {
      cause,
    });
  }
}

/** Raised by stop() with every server that failed (or missed the deadline) while stopping. */
export class AppStopError extends TransportError {
  readonly failures: readonly { readonly server: string; readonly error: Error }[];
  constructor(failures: readonly { server: string; error: Error }[]) {
    super(
      'TRANSPORT_APP_STOP_FAILED',
      `stop failed: ${failures.map((f) => `${f.server}: ${f.error.message}`).join('; ')}`,
    );
    this.failures = failures;
  }
}

/**
 * Composes servers like kratos' App: starts them in order, stops them in reverse (each drains: in-flight
 * work finishes, then connections close), on SIGINT/SIGTERM or stop(), within one overall deadline.
 */
export class App {
  private readonly servers: readonly Server[];
  private readonly logger: TransportLogger;
  private readonly stopDeadlineMs: number;
  private readonly signals: SignalSource | false;
  private readonly forceExit: (code: number) => void;
  private started: Server[] = [];
  private stateValue: AppState = 'idle';
  private stopping: Promise<void> | undefined;
  private markStopped!: () => void;
  /** Resolves when stop() has finished (whatever its outcome). */
  readonly stopped: Promise<void> = new Promise((resolve) => {
    this.markStopped = resolve;
  });
  private readonly onSignal = () => {
    if (this.stopping) {
      this.logger.warn({}, 'app: second signal while stopping, exiting now');
      this.forceExit(130);
      return;
    }
    this.logger.info({}, 'app: signal received, stopping');
    this.stop().catch((error: unknown) => this.logger.error({ err: error }, 'app: stop failed'));
  };

  constructor(options: AppOptions) {
    const names = options.servers.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new TransportError('TRANSPORT_INVALID_OPTION', `app: two servers are named "${dup}"`);
    this.servers = [...options.servers];
    this.logger = options.logger ?? silentLogger;
    this.stopDeadlineMs = options.stopDeadlineMs ?? 30_000;
    this.signals = options.signals ?? process;
    this.forceExit = options.forceExit ?? ((code) => process.exit(code));
  }

  get state(): AppState {
    return this.stateValue;
  }

  /** Starts every server in order. If one fails, those already started are stopped (reverse) and it rejects. */
  async start(): Promise<void> {
    if (this.stateValue !== 'idle')
      throw new TransportError('TRANSPORT_INVALID_OPTION', `app: start() when ${this.stateValue}`);
    this.stateValue = 'starting';
    if (this.signals) {
      this.signals.on('SIGINT', this.onSignal);
      this.signals.on('SIGTERM', this.onSignal);
    }
    for (const server of this.servers) {
      try {
        await server.start();
        this.started.push(server);
        this.logger.info({ server: server.name }, 'app: server started');
      } catch (error) {
        this.logger.error({ server: server.name, err: error }, 'app: server failed to start');
        await this.stop().catch(() => {});
        throw new AppStartError(server.name, error);
      }
    }
    this.stateValue = 'running';
  }

  /** Stops started servers in reverse order within the deadline. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  /** start(), then resolve once stopped (by a signal or stop()); rejects if stopping failed. */
  async run(): Promise<void> {
    await this.start();
    await this.stopped;
    await this.stopping;
  }

  private async stopAll(): Promise<void> {
    this.stateValue = 'stopping';
    const deadline = Date.now() + this.stopDeadlineMs;
    const failures: { server: string; error: Error }[] = [];
    for (const server of [...this.started].reverse()) {
      const left = Math.max(0, deadline - Date.now());
      try {
        await withDeadline(server.stop(), left, server.name);
        this.logger.info({ server: server.name }, 'app: server stopped');
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        failures.push({ server: server.name, error: e });
        this.logger.error({ server: server.name, err: e }, 'app: server stop failed');
      }
    }
    this.started = [];
    if (this.signals) {
      this.signals.off('SIGINT', this.onSignal);
      this.signals.off('SIGTERM', this.onSignal);
    }
    this.stateValue = 'stopped';
    this.markStopped();
    if (failures.length > 0) throw new AppStopError(failures);
  }
}

function withDeadline(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`stopping "${what}"`, ms)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
