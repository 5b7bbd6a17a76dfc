import { defineConfig } from 'vitest/config';

// The reliability suite (`npm run test:reliability`): slower, randomised
// checks of the whole service that `npm test` does not run; CI runs it on
// PostgreSQL. Bounded: each file stops after a fixed number of runs.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.reliability.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
