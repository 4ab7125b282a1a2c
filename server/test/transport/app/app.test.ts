import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { App, AppStartError, AppStopError } from '../../../src/transport/app/app.ts';
import type { Server } from '../../../src/transport/server.ts';
import { waitFor } from '../conformance/support.ts';

function recorder(
  log: string[],
  name: string,
  behaviour: { failStart?: boolean; stop?: () => Promise<void> } = {},
): Server {
  return {
    name,
    async start() {
      if (behaviour.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    async stop() {
      await behaviour.stop?.();
      log.push(`stop ${name}`);
    },
  };
}

describe('app', () => {
  it('app: starts in order and stops in reverse', async () => {
    const log: string[] = [];
    const app = new App({ servers: ['a', 'b', 'c'].map((n) => recorder(log, n)), signals: false });
    await app.start();
    expect(app.state).toBe('running');
    await app.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    expect(app.state).toBe('stopped');
  });

  it('app: a failed start stops the servers already started, then rejects', async () => {
    const log: string[] = [];
    const app = new App({
      servers: [recorder(log, 'a'), recorder(log, 'b'), recorder(log, 'c', { failStart: true })],
      signals: false,
    });
    await expect(app.start()).rejects.toBeInstanceOf(AppStartError);
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('app: SIGTERM stops and drains; run() resolves afterwards', async () => {
    const log: string[] = [];
    const signals = new EventEmitter();
    let release!: () => void;
    const draining = new Promise<void>((r) => {
      release = r;
    });
    const app = new App({
      servers: [recorder(log, 'a'), recorder(log, 'b', { stop: () => draining })],
      signals,
    });
    const running = app.run();
    await waitFor(() => app.state === 'running', 'the app to run');
    signals.emit('SIGTERM');
    await waitFor(() => app.state === 'stopping', 'stopping');
    expect(log).not.toContain('stop a');
    release();
    await running;
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('app: a server past the deadline is abandoned, the rest still stop, stop() reports it', async () => {
    const log: string[] = [];
    const app = new App({
      servers: [recorder(log, 'a'), recorder(log, 'stuck', { stop: () => new Promise(() => {}) })],
      signals: false,
      stopDeadlineMs: 50,
    });
    await app.start();
    const error = await app.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppStopError);
    expect((error as AppStopError).failures.map((f) => f.server)).toEqual(['stuck']);
    expect((error as AppStopError).failures[0]!.error).toMatchObject({ code: 'TRANSPORT_DEADLINE_EXCEEDED' });
    expect(log).toContain('stop a');
  });

  it('app: a second signal while stopping forces exit', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const app = new App({
      servers: [recorder([], 'stuck', { stop: () => new Promise(() => {}) })],
      signals,
      stopDeadlineMs: 60_000,
      forceExit: (code) => exits.push(code),
    });
    await app.start();
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(exits).toEqual([130]);
  });

  it('app: duplicate server names are refused', () => {
    expect(() => new App({ servers: [recorder([], 'x'), recorder([], 'x')], signals: false })).toThrow(
      /two servers/,
    );
  });
});
