import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests talk to shared real servers (and restart some of them): files run one at a time.
    fileParallelism: false,
  },
});
