#!/usr/bin/env node
// `pnpm bench [filter]`: runs every <package>/bench/*.bench.ts one after another (each in its own
// process, so one benchmark's heap and JIT state do not colour the next). Each benchmark prints its
// own figures beside a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ?? '';
const files = [];
for (const pkg of ['shared', 'server', 'web', 'e2e']) {
  const dir = join(root, pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.bench.ts') && join(pkg, f).includes(filter)) files.push({ pkg, file: join(dir, f) });
  }
}
if (files.length === 0) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const { pkg, file } of files) {
  console.log(`\n=== ${pkg}/bench/${file.split('/').pop()} ===`);
  const r = spawnSync(join(root, 'server/node_modules/.bin/tsx'), [file], {
    stdio: 'inherit',
    cwd: join(root, pkg),
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
