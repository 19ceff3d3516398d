import { defineConfig } from 'vitest/config';

// Two phases: everything else, then test/chaos alone and one file at a time (its faults hit proxies
// that every process shares). `npm test` runs both; ORDERFLOW_TEST_PHASE=chaos selects the second.
const chaos = process.env.ORDERFLOW_TEST_PHASE === 'chaos';

export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.orderflow/**', ...(chaos ? [] : ['test/chaos/**'])],
    include: chaos ? ['test/chaos/**/*.test.ts'] : ['**/*.test.ts'],
    // Tests talk to the real stack: generous timeouts, and at most two files at once on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: chaos ? 1 : 2,
  },
});
