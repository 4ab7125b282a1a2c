/**
 * The Fastify app: REST API with schemas on every route, OpenAPI at /docs, problem+json errors,
 * health/readiness/metrics, and the built web app. Never listens: the CLI calls listen(), tests
 * use app.inject().
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { HttpDeps } from './deps.ts';
import { HttpProblem, type ProblemCode, problem } from './errors.ts';
import { organizationRoutes } from './routes/organization-routes.ts';
import { systemRoutes } from './routes/system-routes.ts';
import { vehicleRoutes } from './routes/vehicle-routes.ts';
import { webRoutes } from './routes/web-routes.ts';
import { geofenceSchema, problemSchema, vehicleSchema } from './schemas.ts';

export async function buildHttp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ area: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Unknown query parameters are an error (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    // Vehicle ids contain a slash; clients send it as %2F inside one path segment.
    routerOptions: { maxParamLength: 200 },
  });
  app.addSchema(problemSchema);
  app.addSchema(vehicleSchema);
  app.addSchema(geofenceSchema);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'realtimemap',
        version: '1',
        description: 'Live HSL vehicles: REST API. WebSocket at /ws.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const sendProblem = (reply: import('fastify').FastifyReply, code: ProblemCode, detail: string) =>
    reply.code(problem(code, detail).status).type('application/problem+json').send(problem(code, detail));

  app.setErrorHandler((error: FastifyError | HttpProblem, _req, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error.code, error.detail);
    if ('validation' in error && error.validation)
      return sendProblem(reply, 'HTTP_BAD_REQUEST', error.message);
    const status = 'statusCode' in error ? (error.statusCode ?? 500) : 500;
    if (status === 404) return sendProblem(reply, 'HTTP_NOT_FOUND', error.message);
    if (status < 500) return sendProblem(reply, 'HTTP_BAD_REQUEST', error.message);
    deps.logger.error({ err: error }, 'request failed');
    return sendProblem(reply, 'HTTP_INTERNAL', 'internal error; see the server log');
  });

  vehicleRoutes(app, deps);
  organizationRoutes(app, deps);
  systemRoutes(app, deps);
  const webBuilt = await webRoutes(app, deps);

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    // Client-side routes of the single-page app get its index.html; API and files get a 404 problem.
    if (webBuilt && req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, 'HTTP_NOT_FOUND', `no route ${req.method} ${path}`);
  });
  return app;
}
