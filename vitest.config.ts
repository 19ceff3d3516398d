import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      '{stack,services,workflows,events,consumers,observability,alerts,load,chaos}/**/*.test.ts',
    ],
    // Tests talk to the real stack: generous timeouts, and at most two files at once on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
