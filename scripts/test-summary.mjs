#!/usr/bin/env node
// Prints one "N passed, N failed, N skipped" line from a Vitest JSON report (for CI's log).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed, 0 skipped');
  console.error(`no test report at ${file}: the test run did not get as far as Vitest`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A file that failed to load counts as a failure even though it ran no test.
const brokenFiles = (r.testResults ?? []).filter(
  (t) => t.status === 'failed' && t.assertionResults.length === 0,
).length;
const failed = (r.numFailedTests ?? 0) + brokenFiles;
console.log(`${r.numPassedTests ?? 0} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
