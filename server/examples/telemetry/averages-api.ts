/**
 * The read side: `GET /sensors/:sensorId/averages?bucket=<s>&from=<ms>&to=<ms>` serves per-bucket
 * averages from the readings table. A Fastify app wrapped as an App Server.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Server } from '../../src/transport/index.ts';
import type { ReadingsTable } from './readings-table.ts';

const querySchema = z.object({
  bucket: z.coerce.number().int().min(1).max(86_400).default(60),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

const HOUR_MS = 3_600_000;

export function buildAveragesApi(table: ReadingsTable): FastifyInstance {
  const app = Fastify();
  app.get<{ Params: { sensorId: string } }>('/sensors/:sensorId/averages', async (request, reply) => {
    const query = querySchema.safeParse(request.query);
    if (!query.success) {
      return reply.code(400).send({
        error: 'bad query',
        problems: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const to = query.data.to ?? Date.now();
    const from = query.data.from ?? to - HOUR_MS;
    const buckets = await table.averages(request.params.sensorId, query.data.bucket, from, to);
    return { sensorId: request.params.sensorId, bucketSeconds: query.data.bucket, from, to, buckets };
  });
  return app;
}

export class AveragesServer implements Server {
  readonly name = 'http';

  constructor(
    readonly fastify: FastifyInstance,
    private readonly host: string,
    private readonly port: number,
  ) {}

  get url(): string {
    return `http://${this.host}:${(this.fastify.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    await this.fastify.listen({ host: this.host, port: this.port });
  }

  async stop(): Promise<void> {
    await this.fastify.close();
  }
}
