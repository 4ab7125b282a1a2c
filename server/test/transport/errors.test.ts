import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/transport/errors.ts';

const root = fileURLToPath(new URL('../../src/transport/', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// The core's own files; each backend documents its extra codes in its own README.
const OWN = ['', 'codecs', 'delivery', 'topics', 'app', 'websocket', 'backends/memory', 'backends/mqtt'];

function codesUsedInSource(): Set<string> {
  const codes = new Set<string>();
  for (const dir of OWN) {
    for (const f of readdirSync(join(root, dir))) {
      const p = join(root, dir, f);
      if (!f.endsWith('.ts') || !statSync(p).isFile()) continue;
      for (const m of readFileSync(p, 'utf8').matchAll(/'(TRANSPORT_[A-Z_]+)'/g)) codes.add(m[1]!);
    }
  }
  return codes;
}

describe('transport errors', () => {
  const samples: errors.TransportError[] = [
    new errors.BrokerClosedError('x'),
    new errors.ConnectError('mqtt', new Error('refused')),
    new errors.PublishError('mqtt', 't', 'nope'),
    new errors.DecodeError('application/json', new SyntaxError('bad')),
    new errors.HandlerTimeoutError(10),
    new errors.InvalidOptionError('bad'),
    new errors.UnsupportedError('memory', 'request-reply'),
    new errors.QueueFullError('sub', 10),
    new errors.DeadlineError('close', 5),
  ];

  it('errors: every class has its own TRANSPORT_ code, name and cause', () => {
    const codes = samples.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of samples) {
      expect(e.code).toMatch(/^TRANSPORT_[A-Z_]+$/);
      expect(e).toBeInstanceOf(errors.TransportError);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(samples[1]!.cause).toBeInstanceOf(Error);
  });

  it('errors: every code used by the core is documented in the README', () => {
    const used = codesUsedInSource();
    for (const e of samples) used.add(e.code);
    const missing = [...used].filter((c) => !readme.includes(`\`${c}\``));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(13);
  });
});
