import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'rules/**/*.test.ts'],
    pool: 'forks',
    // Each file opens its own database (a PGlite, or a schema on PostgreSQL),
    // which takes seconds; the budget is for that, not for the assertions.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
