import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../../src/transport/broker.ts';
import { BACKENDS } from '../../src/transport/create-broker.ts';

const src = new URL('../../src/transport/', import.meta.url);
const readme = readFileSync(new URL('README.md', src), 'utf8');

/** Rows of the "## Capabilities" table: backend -> { column: boolean }. */
function parseTable(): Map<string, Record<string, boolean>> {
  const section = readme.split('## Capabilities')[1]?.split('\n## ')[0] ?? '';
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const [head, , ...rows] = lines;
  const columns = cells(head ?? '').slice(1);
  const out = new Map<string, Record<string, boolean>>();
  for (const row of rows) {
    const [name, ...values] = cells(row);
    out.set(name!, Object.fromEntries(columns.map((c, i) => [c, values[i] === 'yes'])));
  }
  return out;
}

describe('capability table', () => {
  const table = parseTable();

  it('capability table: lists all six backends with every capability column', () => {
    expect([...table.keys()]).toEqual([...BACKENDS]);
    const columns: (keyof Capabilities)[] = [
      'persistent',
      'orderedByKey',
      'redelivery',
      'groups',
      'requestReply',
      'headers',
      'wildcards',
      'replay',
    ];
    for (const row of table.values()) expect(Object.keys(row).sort()).toEqual([...columns].sort());
  });

  for (const backend of BACKENDS) {
    const present = existsSync(new URL(`backends/${backend}/index.ts`, src));
    it.skipIf(!present)(
      `capability table: the ${backend} row matches its exported capabilities`,
      async () => {
        const mod = (await import(`../../src/transport/backends/${backend}/index.ts`)) as {
          capabilities: Capabilities;
        };
        // An optional flag a backend leaves out reads as "no".
        expect(table.get(backend)).toEqual({ replay: false, ...mod.capabilities });
      },
    );
  }
});
