import { defineConfig } from 'vitest/config';

// The console in a real browser (`npm run test:browser`): the machine's
// Chromium, driven by playwright-core, against the service started in the
// test on an in-memory PGlite. Not part of `npm test`: it needs Chromium,
// which .ci/run installs when missing.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
