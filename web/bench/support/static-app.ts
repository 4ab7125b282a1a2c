/**
 * Serves the built page (dist/) on a loopback port with a minimal fake /api, so the benchmark (and a
 * quick screenshot) needs no real server. The WebSocket is mocked in the browser (routeWebSocket).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { ClientConfig } from '@realtimemap/shared';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.map': 'application/json',
};

export interface StaticApp {
  readonly url: string;
  close(): Promise<void>;
}

export async function startStaticApp(dist: string, config: ClientConfig): Promise<StaticApp> {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${dist}/index.html missing: run \`pnpm --filter @realtimemap/web build\` first`);
  }
  const api: Record<string, unknown> = {
    '/api/config': config,
    '/api/network': { type: 'FeatureCollection', features: [] },
    '/api/geofences': [],
    '/api/routes': [],
    '/api/organizations': [],
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      const body = api[path];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { code: 'NOT_FOUND' }));
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
