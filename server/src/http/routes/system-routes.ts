import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.ts';
import { statusSchema } from '../schemas.ts';

export function systemRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Alive',
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    async () => ({ ok: true }),
  );

  const readySchema = {
    type: 'object',
    properties: {
      ready: { type: 'boolean' },
      checks: { type: 'object', additionalProperties: { type: 'boolean' } },
    },
  } as const;
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Feed and broker connected (503 when not)',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_req, reply) => {
      const r = deps.readiness();
      return reply.code(r.ready ? 200 : 503).send(r);
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: false } }, async (_req, reply) => {
    reply.type(deps.metrics.contentType);
    return deps.metrics.metrics();
  });

  app.get(
    '/api/status',
    { schema: { summary: 'Feed, broker and clients', response: { 200: statusSchema } } },
    async () => deps.status(),
  );

  app.get(
    '/api/config',
    {
      schema: {
        summary: 'What the web app needs before drawing',
        response: {
          200: {
            type: 'object',
            properties: {
              styleUrl: { type: ['string', 'null'] },
              feedMode: { type: 'string' },
              protocolVersion: { type: 'integer' },
              center: { type: 'array', items: { type: 'number' } },
              zoom: { type: 'number' },
            },
          },
        },
      },
    },
    async () => deps.clientConfig,
  );

  // GeoJSON passes through unserialized by schema: its properties are open-ended.
  app.get(
    '/api/network',
    { schema: { summary: 'Simulated network lines and stops (GeoJSON)' } },
    async (_req, reply) => {
      reply.type('application/geo+json');
      return deps.network();
    },
  );
}
