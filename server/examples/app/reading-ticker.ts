/**
 * A Server that publishes a sample reading every `everyMs` (so the example has traffic on the
 * in-process memory backend). Started after the subscriber server, so it stops first.
 */
import type { Broker, Server, TransportLogger } from '../../src/transport/index.ts';
import { readingCodec, sampleReading } from '../sensor/reading.ts';

export class ReadingTicker implements Server {
  readonly name = 'reading-ticker';
  private timer: ReturnType<typeof setInterval> | undefined;
  private sent = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly broker: Broker,
    private readonly topic: string,
    private readonly everyMs: number,
    private readonly logger: TransportLogger,
  ) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => this.tick(), this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private tick(): void {
    const sensor = `sensor-${(this.sent++ % 3) + 1}`;
    this.inFlight = this.broker
      .publish(this.topic, sampleReading(), { key: sensor, codec: readingCodec })
      .catch((error: unknown) => this.logger.error({ err: error }, 'ticker: publish failed'));
  }
}
