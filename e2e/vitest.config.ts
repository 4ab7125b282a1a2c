import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // After every other project: a browser, a server and a simulator want the machine's 2 cores to themselves.
    sequence: { groupOrder: 1 },
  },
});
