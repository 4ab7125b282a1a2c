import { TRANSPORT_MODES, type TransportMode } from '@realtimemap/shared';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.ts';
import { HttpProblem } from '../errors.ts';
import { problemResponses, trailSchema, vehicleIdParams } from '../schemas.ts';
import { parseBbox, queryVehicles } from '../vehicle-query.ts';

const list = (v: string | undefined) =>
  v
    ? new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : undefined;

export function vehicleRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { store } = deps;

  app.get<{
    Querystring: { bbox?: string; mode?: string; route?: string; operator?: string; limit?: number };
  }>(
    '/api/vehicles',
    {
      schema: {
        summary: 'Vehicles, filtered',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            bbox: { type: 'string', description: 'west,south,east,north' },
            mode: { type: 'string', description: `comma-separated: ${TRANSPORT_MODES.join(', ')}` },
            route: { type: 'string', description: 'comma-separated route ids or lines' },
            operator: { type: 'string', description: 'comma-separated operator ids (0022)' },
            limit: { type: 'integer', minimum: 1, maximum: 100_000, default: 10_000 },
          },
        },
        response: { 200: { type: 'array', items: { $ref: 'Vehicle#' } }, ...problemResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const bbox = q.bbox === undefined ? undefined : parseBbox(q.bbox);
      if (bbox && 'error' in bbox) throw new HttpProblem('HTTP_BAD_REQUEST', bbox.error);
      const modes = list(q.mode);
      const bad = [...(modes ?? [])].filter((m) => !TRANSPORT_MODES.includes(m as TransportMode));
      if (bad.length > 0) {
        throw new HttpProblem(
          'HTTP_BAD_REQUEST',
          `unknown mode ${bad.join(', ')}; one of ${TRANSPORT_MODES.join(', ')}`,
        );
      }
      return queryVehicles(store.values(), {
        ...(bbox ? { bbox } : {}),
        ...(modes ? { modes: modes as Set<TransportMode> } : {}),
        ...(q.route ? { routes: list(q.route)! } : {}),
        ...(q.operator ? { operators: list(q.operator)! } : {}),
        limit: q.limit ?? 10_000,
      });
    },
  );

  const vehicle = (id: string) => {
    const v = store.get(id);
    if (!v) throw new HttpProblem('HTTP_VEHICLE_NOT_FOUND', `no vehicle "${id}" (ids look like 0022/01216)`);
    return v;
  };
  const trail = (id: string) => {
    const points = store.trail(id);
    if (!points)
      throw new HttpProblem('HTTP_VEHICLE_NOT_FOUND', `no vehicle "${id}" (ids look like 0022/01216)`);
    return { vehicleId: id, points };
  };
  const one = { 200: { $ref: 'Vehicle#' }, ...problemResponses };
  const trailResponse = { 200: trailSchema, ...problemResponses };
  const pair = {
    type: 'object',
    required: ['operator', 'number'],
    properties: { operator: { type: 'string', maxLength: 16 }, number: { type: 'string', maxLength: 32 } },
  } as const;
  type Id = { Params: { id: string } };
  type Pair = { Params: { operator: string; number: string } };

  app.get<Id>(
    '/api/vehicles/:id',
    {
      schema: {
        summary: 'One vehicle; the id URL-encoded (0022%2F01216)',
        params: vehicleIdParams,
        response: one,
      },
    },
    async (req) => vehicle(req.params.id),
  );
  app.get<Id>(
    '/api/vehicles/:id/trail',
    {
      schema: { summary: 'Recent positions, oldest first', params: vehicleIdParams, response: trailResponse },
    },
    async (req) => trail(req.params.id),
  );
  app.get<Pair>(
    '/api/vehicles/:operator/:number',
    { schema: { summary: 'One vehicle, by operator and number', params: pair, response: one } },
    async (req) => vehicle(`${req.params.operator}/${req.params.number}`),
  );
  app.get<Pair>(
    '/api/vehicles/:operator/:number/trail',
    { schema: { summary: 'Trail, by operator and number', params: pair, response: trailResponse } },
    async (req) => trail(`${req.params.operator}/${req.params.number}`),
  );

  app.get(
    '/api/routes',
    {
      schema: {
        summary: 'Active routes with vehicle counts',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                routeId: { type: 'string' },
                line: { type: ['string', 'null'] },
                mode: { type: 'string' },
                vehicles: { type: 'integer' },
              },
            },
          },
        },
      },
    },
    async () => {
      const routes = new Map<
        string,
        { routeId: string; line: string | null; mode: TransportMode; vehicles: number }
      >();
      for (const v of store.values()) {
        if (v.routeId === null || v.stale) continue;
        const r = routes.get(v.routeId);
        if (r) r.vehicles++;
        else routes.set(v.routeId, { routeId: v.routeId, line: v.line, mode: v.mode, vehicles: 1 });
      }
      return [...routes.values()].sort((a, b) => a.routeId.localeCompare(b.routeId));
    },
  );
}
