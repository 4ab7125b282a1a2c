/** The PostgreSQL side as an App Server: start() creates the table; stop() flushes the writer, then closes the pool. */
import type { Pool } from 'pg';
import type { Server } from '../../src/transport/index.ts';
import type { BatchWriter } from './batch-writer.ts';
import type { ReadingsTable } from './readings-table.ts';

export class DatabaseServer implements Server {
  readonly name = 'postgres';

  constructor(
    private readonly pool: Pool,
    private readonly table: ReadingsTable,
    private readonly writer: BatchWriter,
  ) {}

  async start(): Promise<void> {
    await this.table.ensure();
  }

  async stop(): Promise<void> {
    await this.writer.flush();
    await this.pool.end();
  }
}
