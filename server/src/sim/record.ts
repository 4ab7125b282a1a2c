/**
 * `record`: subscribes to any MQTT URL (mqtt.hsl.fi live, the embedded broker, ...) and writes every
 * message as a capture line, the format of ../shared/hfp-samples: `<receive time> <topic> <payload>`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { formatCaptureLine } from '@realtimemap/shared';
import mqtt from 'mqtt';
import { SIM_ERROR, SimError } from './errors.ts';
import { type Clock, type Logger, systemClock } from './logger.ts';

export interface RecordOptions {
  readonly mqttUrl: string;
  /** Default every HFP v2 message. */
  readonly topicFilter?: string;
  readonly file: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Append to an existing file instead of replacing it. */
  readonly append?: boolean;
  /** Stop by itself after this many messages or this long (ms). */
  readonly maxMessages?: number;
  readonly durationMs?: number;
}

export interface RecordStats {
  readonly written: number;
  /** Messages that could not be a capture line (binary payload, line breaks). */
  readonly skipped: number;
}

export interface Recording {
  stats(): RecordStats;
  /** Resolves when recording ends (stop(), maxMessages or durationMs), the file flushed and closed. */
  readonly done: Promise<RecordStats>;
  stop(): Promise<RecordStats>;
}

/** Resolves once subscribed; the returned handle stops it. */
export async function recordCapture(options: RecordOptions): Promise<Recording> {
  const log = options.logger;
  const clock = options.clock ?? systemClock;
  const filter = options.topicFilter ?? '/hfp/v2/#';
  const out = createWriteStream(options.file, { flags: options.append ? 'a' : 'w' });
  await once(out, 'open');
  const client = mqtt.connect(options.mqttUrl, { reconnectPeriod: 1000, connectTimeout: 10_000 });
  let written = 0;
  let skipped = 0;
  let ending: Promise<RecordStats> | undefined;
  let resolveDone!: (s: RecordStats) => void;
  const done = new Promise<RecordStats>((r) => {
    resolveDone = r;
  });
  const stats = () => ({ written, skipped });
  const stop = () => {
    ending ??= (async () => {
      clearTimeout(timer);
      await client.endAsync();
      out.end();
      await once(out, 'close');
      log.info({ file: options.file, ...stats() }, 'recording finished');
      resolveDone(stats());
      return stats();
    })();
    return ending;
  };
  client.on('message', (topic, payload) => {
    if (ending) return;
    let line: string;
    try {
      line = formatCaptureLine(clock.now(), topic, payload.toString('utf8'));
    } catch (err) {
      skipped++;
      if (skipped <= 5) log.warn({ err, topic }, 'message cannot be a capture line; skipped');
      return;
    }
    written++;
    out.write(`${line}\n`);
    if (options.maxMessages !== undefined && written >= options.maxMessages) void stop();
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'record mqtt error'));
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => {
        client.subscribe(filter, { qos: 0 }, (err) => (err ? reject(err) : resolve()));
      });
      client.once('error', reject);
    });
  } catch (cause) {
    client.end(true);
    out.end();
    throw new SimError(SIM_ERROR.mqtt, `record: cannot subscribe to ${filter} on ${options.mqttUrl}`, {
      cause,
    });
  }
  log.info({ url: options.mqttUrl, filter, file: options.file }, 'recording');
  const timer =
    options.durationMs !== undefined ? setTimeout(() => void stop(), options.durationMs) : undefined;
  return { stats, done, stop };
}
