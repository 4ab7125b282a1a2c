/**
 * Collects rows and writes them in batches: a batch goes when it holds `maxRows` or `maxDelayMs`
 * after its first row. write() resolves once the row's batch is committed, so a handler that awaits
 * it acks only what is stored (a failed batch rejects every write in it: those messages are retried).
 */
import type { TransportLogger } from '../../src/transport/index.ts';
import type { ReadingRow } from './readings-table.ts';

export interface BatchWriterOptions {
  readonly insert: (rows: readonly ReadingRow[]) => Promise<number>;
  readonly maxRows: number;
  readonly maxDelayMs: number;
  readonly logger: TransportLogger;
}

interface Pending {
  readonly row: ReadingRow;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BatchWriter {
  /** Counters: batches written, rows inserted, rows skipped as duplicates. */
  readonly stats = { batches: 0, inserted: 0, duplicates: 0 };
  private pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatchWriterOptions) {}

  write(row: ReadingRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length >= this.options.maxRows) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxDelayMs);
    });
  }

  /** Writes what is waiting now; resolves when every batch so far is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    // One batch at a time: the next waits for the previous (a bounded load on the database).
    this.writing = this.writing.then(() => (batch.length > 0 ? this.writeBatch(batch) : undefined));
    return this.writing;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      const inserted = await this.options.insert(batch.map((p) => p.row));
      this.stats.batches++;
      this.stats.inserted += inserted;
      this.stats.duplicates += batch.length - inserted;
      this.options.logger.debug({ rows: batch.length, inserted }, 'telemetry: batch written');
      for (const p of batch) p.resolve();
    } catch (error) {
      this.options.logger.error({ err: error, rows: batch.length }, 'telemetry: batch failed');
      for (const p of batch) p.reject(error);
    }
  }
}
