/**
 * The built web app (web/dist). Vite puts hashed files under assets/: those are immutable for a year;
 * index.html is revalidated every time.
 */
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../deps.ts';

const NOT_BUILT = (dir: string) =>
  `<!doctype html><meta charset="utf-8"><title>realtimemap</title>
<h1>The web app is not built</h1><p>No <code>${dir}/index.html</code>. Run <code>pnpm build</code> (or <code>pnpm start</code>
from the repository root, which builds it first). The API is up: <a href="/docs">/docs</a>, <a href="/api/status">/api/status</a>.</p>`;

/** Returns whether the app is built (then `reply.sendFile('index.html')` is available). */
export async function webRoutes(app: FastifyInstance, deps: HttpDeps): Promise<boolean> {
  const dir = deps.webDist;
  const built = dir !== undefined && existsSync(`${dir}/index.html`);
  if (!built) {
    deps.logger.warn({ webDist: dir }, 'web app not built: / explains how to build it');
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT(dir ?? 'web/dist')),
    );
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    // Cache headers are ours (below), not the plugin's max-age=0.
    cacheControl: false,
    setHeaders(res, path) {
      const hashed = /[\\/]assets[\\/]/.test(path);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return true;
}
