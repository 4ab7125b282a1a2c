/** The chat page over Fastify, as an App Server: start() listens, stop() closes. */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Server } from '../../src/transport/index.ts';

const PAGE = new URL('./page.html', import.meta.url);

export class ChatHttpServer implements Server {
  readonly name = 'http';
  readonly fastify: FastifyInstance;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.fastify = Fastify();
    this.fastify.get('/', async (_req, reply) => reply.type('text/html').send(await readFile(PAGE)));
  }

  get url(): string {
    const address = this.fastify.server.address() as AddressInfo;
    return `http://${this.host}:${address.port}`;
  }

  async start(): Promise<void> {
    await this.fastify.listen({ host: this.host, port: this.port });
  }

  async stop(): Promise<void> {
    await this.fastify.close();
  }
}
