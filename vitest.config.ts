import { defineConfig } from 'vitest/config';

// One run over every workspace package. The JSON report is what .ci/run sums into its
// closing "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ['shared', 'server', 'web', 'e2e'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
