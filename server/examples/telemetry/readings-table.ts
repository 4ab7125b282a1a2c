/**
 * The readings table in PostgreSQL: one row per message id, so writing a redelivered message again
 * is a no-op (INSERT ... ON CONFLICT DO NOTHING) and the averages never count it twice.
 */
import type { Pool } from 'pg';
import type { TelemetryReading } from './telemetry-reading.ts';

export interface ReadingRow extends TelemetryReading {
  readonly messageId: string;
}

export interface Bucket {
  /** Bucket start, ISO 8601. */
  readonly start: string;
  readonly count: number;
  readonly humidity: number;
  readonly temperature: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export class ReadingsTable {
  readonly qualifiedName: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    // Identifiers cannot be query parameters: accept only plain lower-case names.
    if (!IDENTIFIER.test(schema)) throw new Error(`schema "${schema}" must match ${IDENTIFIER}`);
    this.qualifiedName = `"${schema}".readings`;
  }

  async ensure(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.qualifiedName} (
      message_id  text PRIMARY KEY,
      sensor_id   text NOT NULL,
      taken_at    timestamptz NOT NULL,
      humidity    double precision NOT NULL,
      temperature double precision NOT NULL
    )`);
    await this.pool.query(
      `CREATE INDEX IF NOT EXISTS readings_sensor_time ON ${this.qualifiedName} (sensor_id, taken_at)`,
    );
  }

  /** Inserts a batch in one statement; returns how many rows were new (duplicates are skipped). */
  async insert(rows: readonly ReadingRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.pool.query(
      `INSERT INTO ${this.qualifiedName} (message_id, sensor_id, taken_at, humidity, temperature)
       SELECT id, sensor, to_timestamp(at_ms / 1000.0), h, t
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[]) AS r(id, sensor, at_ms, h, t)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        rows.map((r) => r.messageId),
        rows.map((r) => r.sensorId),
        rows.map((r) => r.at),
        rows.map((r) => r.humidity),
        rows.map((r) => r.temperature),
      ],
    );
    return result.rowCount ?? 0;
  }

  /** Per-bucket averages of one sensor, oldest first; buckets are `bucketSeconds` wide, aligned to the epoch. */
  async averages(sensorId: string, bucketSeconds: number, fromMs: number, toMs: number): Promise<Bucket[]> {
    const result = await this.pool.query<{
      start: Date;
      count: string;
      humidity: number;
      temperature: number;
    }>(
      `SELECT to_timestamp(floor(extract(epoch FROM taken_at) / $2) * $2) AS start,
              count(*) AS count, avg(humidity) AS humidity, avg(temperature) AS temperature
         FROM ${this.qualifiedName}
        WHERE sensor_id = $1 AND taken_at >= to_timestamp($3 / 1000.0) AND taken_at < to_timestamp($4 / 1000.0)
        GROUP BY 1 ORDER BY 1`,
      [sensorId, bucketSeconds, fromMs, toMs],
    );
    return result.rows.map((r) => ({
      start: r.start.toISOString(),
      count: Number(r.count),
      humidity: r.humidity,
      temperature: r.temperature,
    }));
  }
}
