/**
 * Docker cannot run on the development machines, so this keeps docker-compose.yml honest against the
 * code: every app service runs a real CLI role with variables the config knows, the images match the
 * versions the tests use, and the load balancer points at the gateways' port.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROLES } from '../../src/config/load-config.ts';
import { OPTIONS } from '../../src/config/options.ts';
import { BACKENDS } from '../../src/transport/create-broker.ts';

const root = resolve(import.meta.dirname, '../../..');

interface Service {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly healthcheck?: { readonly test?: unknown };
  readonly ports?: readonly string[];
}

const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);
const appServices = services.filter(([, s]) => s.image === 'realtimemap:local');
const knownEnv = new Set(Object.values(OPTIONS).map((o) => o.env));
/** `${NAME:-default}` -> default; plain values unchanged. */
const effective = (value: string) => /^\$\{\w+:-(.*)\}$/.exec(value)?.[1] ?? value;

describe('deploy: docker-compose.yml agrees with the CLI', () => {
  it('deploy: every app service runs a CLI role, and roles ingest + gateway + sim + start are all there', () => {
    expect(appServices.length).toBeGreaterThanOrEqual(5);
    const roles = appServices.map(([, s]) => s.command?.[0]);
    for (const role of roles) expect(ROLES).toContain(role);
    for (const role of ['start', 'sim', 'ingest', 'gateway']) expect(roles).toContain(role);
    expect(roles.filter((r) => r === 'gateway').length).toBe(2);
  });

  it('deploy: every RTM_* variable is one the config reads, with a valid value', () => {
    for (const [name, s] of appServices) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        expect(knownEnv, `${name}: ${key}`).toContain(key);
        if (key === 'RTM_BROKER') expect(BACKENDS).toContain(effective(value));
        if (key === 'RTM_PORT') expect(Number(effective(value))).toBeGreaterThan(0);
      }
    }
  });

  it('deploy: role processes talk to a real backend (memory is all-in-one only)', () => {
    for (const [name, s] of appServices) {
      const role = s.command?.[0];
      if (role === 'ingest' || role === 'gateway') {
        expect(effective(s.environment?.RTM_BROKER ?? 'memory'), name).not.toBe('memory');
      }
    }
  });

  it('deploy: Kafka is the version scripts/kafka.sh runs in the tests', () => {
    const script = readFileSync(resolve(root, 'scripts/kafka.sh'), 'utf8');
    const version = /VERSION="\$\{KAFKA_VERSION:-([\d.]+)\}"/.exec(script)?.[1];
    expect(version).toMatch(/^3\.9\./);
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${version}`);
  });

  it('deploy: every service has a health check', () => {
    for (const [name, s] of services) expect(s.healthcheck?.test, name).toBeDefined();
  });

  it('deploy: the load balancer passes WebSocket upgrades to both gateways on their RTM_PORT', () => {
    const nginx = readFileSync(resolve(root, 'deploy/nginx.conf'), 'utf8');
    for (const [name, s] of appServices.filter(([, x]) => x.command?.[0] === 'gateway')) {
      expect(nginx).toContain(`server ${name}:${effective(s.environment?.RTM_PORT ?? '8080')}`);
    }
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });
});
