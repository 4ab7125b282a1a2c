/**
 * `replay`: publishes a capture (../shared/hfp-samples line format) to an MQTT URL with its original
 * timing, faster by a factor, or as fast as the connection takes it. Streams the file, so captures of
 * any size replay in constant memory; reports progress by bytes read.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCaptureLine } from '@realtimemap/shared';
import mqtt from 'mqtt';
import { SIM_ERROR, SimError } from './errors.ts';
import type { Logger } from './logger.ts';

export interface ReplayProgress {
  readonly sent: number;
  readonly skipped: number;
  /** 0..1 of the file read. */
  readonly fraction: number;
  readonly elapsedMs: number;
  /** Receive time of the last line sent, ms (capture time). */
  readonly captureTime: number;
}

export interface ReplayOptions {
  readonly file: string;
  readonly mqttUrl: string;
  /** 1 = original timing, 10 = ten times faster, 'max' = no waiting. */
  readonly speed: number | 'max';
  readonly logger: Logger;
  readonly onProgress?: (p: ReplayProgress) => void;
  /** How often onProgress is called, ms; default 1,000. */
  readonly progressEveryMs?: number;
  readonly signal?: AbortSignal;
}

export interface ReplayStats {
  readonly sent: number;
  /** Lines that are not capture lines (blank, comments, malformed). */
  readonly skipped: number;
  readonly durationMs: number;
}

export async function replayCapture(options: ReplayOptions): Promise<ReplayStats> {
  const { speed, logger: log } = options;
  if (speed !== 'max' && !(speed > 0))
    throw new SimError(SIM_ERROR.captureInvalid, `replay speed must be > 0 or 'max'`);
  let size: number;
  try {
    size = statSync(options.file).size;
  } catch (cause) {
    throw new SimError(SIM_ERROR.captureInvalid, `replay: cannot read ${options.file}`, { cause });
  }
  const client = mqtt.connect(options.mqttUrl, { reconnectPeriod: 1000, connectTimeout: 10_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  } catch (cause) {
    client.end(true);
    throw new SimError(SIM_ERROR.mqtt, `replay: cannot connect to ${options.mqttUrl}`, { cause });
  }
  client.on('error', (err) => log.warn({ err: err.message }, 'replay mqtt error'));
  const started = performance.now();
  const stream = createReadStream(options.file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let sent = 0;
  let skipped = 0;
  let first: number | undefined;
  let lastProgress = started;
  let captureTime = 0;
  let pending: Promise<void> = Promise.resolve();
  const every = options.progressEveryMs ?? 1000;
  const progress = () =>
    options.onProgress?.({
      sent,
      skipped,
      fraction: size > 0 ? Math.min(1, stream.bytesRead / size) : 1,
      elapsedMs: performance.now() - started,
      captureTime,
    });
  try {
    for await (const text of lines) {
      if (options.signal?.aborted) break;
      const line = parseCaptureLine(text);
      if (!line) {
        if (text.trim().length > 0) skipped++;
        continue;
      }
      first ??= line.receivedAt;
      captureTime = line.receivedAt;
      if (speed !== 'max') {
        const due = started + (line.receivedAt - first) / speed;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
      }
      pending = new Promise<void>((resolve) => {
        client.publish(line.topic, line.payload, { qos: 0 }, (err) => {
          if (err) log.warn({ err: err.message }, 'replay publish failed');
          resolve();
        });
      });
      sent++;
      // At 'max', let the socket drain now and then so memory stays flat.
      if (sent % 1000 === 0) await pending;
      if (performance.now() - lastProgress >= every) {
        lastProgress = performance.now();
        progress();
      }
    }
    await pending;
  } finally {
    lines.close();
    stream.destroy();
    await client.endAsync();
  }
  progress();
  const durationMs = performance.now() - started;
  log.info({ file: options.file, sent, skipped, durationMs: Math.round(durationMs) }, 'replay finished');
  return { sent, skipped, durationMs };
}
