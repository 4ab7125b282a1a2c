import type { GeofenceOccupancy, OrganizationDetails } from '@realtimemap/shared';
import type { FastifyInstance } from 'fastify';
import { ORGANIZATIONS, organizationById } from '../../state/organizations.ts';
import type { HttpDeps } from '../deps.ts';
import { HttpProblem } from '../errors.ts';
import { organizationSchema, problemResponses } from '../schemas.ts';

export function organizationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { store, tracker, geofences } = deps;
  const occupancy = (keep: (vehicleId: string) => boolean): GeofenceOccupancy[] =>
    geofences.map((g) => ({ ...g, vehicleIds: tracker.vehiclesIn(g.id).filter(keep) }));

  app.get(
    '/api/organizations',
    {
      schema: { summary: "HSL's operators", response: { 200: { type: 'array', items: organizationSchema } } },
    },
    async () => ORGANIZATIONS,
  );

  app.get<{ Params: { id: string } }>(
    '/api/organizations/:id',
    {
      schema: {
        summary: 'An operator, with the geofences and its vehicles inside each',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^[0-9]{1,8}$' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              ...organizationSchema.properties,
              vehicles: { type: 'integer' },
              geofences: { type: 'array', items: { $ref: 'Geofence#' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (req): Promise<OrganizationDetails> => {
      // Accept 22 as well as 0022: HFP pads operator ids to four digits.
      const id = req.params.id.padStart(4, '0');
      const org = organizationById(id);
      if (!org) throw new HttpProblem('HTTP_ORGANIZATION_NOT_FOUND', `no organization "${req.params.id}"`);
      let vehicles = 0;
      for (const v of store.values()) if (v.operatorId === id) vehicles++;
      return { ...org, vehicles, geofences: occupancy((vehicleId) => vehicleId.startsWith(`${id}/`)) };
    },
  );

  app.get(
    '/api/geofences',
    {
      schema: {
        summary: 'Geofences with the vehicles inside each',
        response: { 200: { type: 'array', items: { $ref: 'Geofence#' } } },
      },
    },
    async () => occupancy(() => true),
  );
}
