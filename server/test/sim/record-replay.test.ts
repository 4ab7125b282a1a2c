import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCaptureLine, parseCaptureLine } from '@realtimemap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../src/sim/embedded-broker.ts';
import { recordCapture } from '../../src/sim/record.ts';
import { type ReplayProgress, replayCapture } from '../../src/sim/replay.ts';
import { collect, connectClient, silent, waitFor } from './helpers.ts';

describe('sim record and replay', () => {
  let broker: EmbeddedBroker;
  let dir: string;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ logger: silent });
    dir = mkdtempSync(join(tmpdir(), 'rtm-capture-'));
  });
  afterAll(async () => {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sim: record writes every message as a capture line (receive time, topic with spaces, payload)', async () => {
    const file = join(dir, 'rec.hfp');
    let now = Date.parse('2026-11-27T08:00:00.000Z');
    const rec = await recordCapture({
      mqttUrl: broker.url,
      file,
      logger: silent,
      clock: { now: () => (now += 250) },
    });
    const pub = await connectClient(broker.url);
    const topic =
      '/hfp/v2/journey/ongoing/vp/bus/0012/01124/4631/2/Tikkurila as./09:53/4810216/5/60;25/30/45/67';
    for (let i = 0; i < 5; i++) await pub.publishAsync(topic, `{"VP":{"n":${i}}}`);
    await pub.publishAsync('/other/topic', 'x'); // outside the filter
    await waitFor(() => rec.stats().written === 5, 'five lines');
    await pub.endAsync();
    const stats = await rec.stop();
    expect(stats).toEqual({ written: 5, skipped: 0 });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map(parseCaptureLine);
    expect(lines.map((l) => l?.topic)).toEqual(Array(5).fill(topic));
    expect(lines.map((l) => l?.payload)).toEqual([0, 1, 2, 3, 4].map((i) => `{"VP":{"n":${i}}}`));
    expect(lines[1]!.receivedAt - lines[0]!.receivedAt).toBe(250);
  });

  it('sim: replay publishes a capture in order, faster by a factor, keeping its relative timing', async () => {
    const file = join(dir, 'timed.hfp');
    const t0 = Date.parse('2026-11-27T08:00:00.000Z');
    const text = [0, 200, 400, 600, 800, 1000]
      .map((ms, i) =>
        formatCaptureLine(t0 + ms, `/hfp/v2/journey/ongoing/vp/bus/0018/0067${i}`, `{"VP":{"i":${i}}}`),
      )
      .join('\n');
    writeFileSync(file, `${text}\nnot a capture line\n`);
    const sub = await collect(broker.url, '/hfp/v2/#');
    const arrivals: number[] = [];
    sub.client.on('message', () => arrivals.push(performance.now()));
    const stats = await replayCapture({ file, mqttUrl: broker.url, speed: 2, logger: silent });
    await waitFor(() => sub.messages.length === 6, 'six messages');
    await sub.client.endAsync();
    expect(stats.sent).toBe(6);
    expect(stats.skipped).toBe(1);
    expect(sub.messages.map((m) => m.payload)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `{"VP":{"i":${i}}}`));
    // 1 s of capture at speed 2 takes at least ~0.5 s (a lower bound only: no upper timing assertion).
    expect(stats.durationMs).toBeGreaterThanOrEqual(450);
  });

  it('sim: replay at max speed streams a long capture and reports progress', async () => {
    const file = join(dir, 'long.hfp');
    const t0 = Date.parse('2026-11-27T08:00:00.000Z');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++)
      lines.push(
        formatCaptureLine(t0 + i * 1000, `/hfp/v2/journey/ongoing/vp/tram/0040/00401`, `{"VP":{"i":${i}}}`),
      );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const sub = await collect(broker.url, '/hfp/v2/#');
    const progress: ReplayProgress[] = [];
    const stats = await replayCapture({
      file,
      mqttUrl: broker.url,
      speed: 'max',
      logger: silent,
      progressEveryMs: 0,
      onProgress: (p) => progress.push(p),
    });
    await waitFor(() => sub.messages.length === 5000, 'all 5,000 messages');
    await sub.client.endAsync();
    expect(stats.sent).toBe(5000);
    expect(sub.messages.at(-1)!.payload).toBe('{"VP":{"i":4999}}');
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(progress.at(-1)!.sent).toBe(5000);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.sent).toBeGreaterThanOrEqual(progress[i - 1]!.sent);
  });
});
