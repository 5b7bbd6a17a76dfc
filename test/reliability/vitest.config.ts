import { defineConfig } from 'vitest/config';

// The reliability suite (`npm run test:reliability`): slower, randomised
// checks of the whole service that `npm test` does not run; CI runs it on
// PostgreSQL. Bounded: each file stops after a fixed number of runs.
// The log scan of `npm test` runs here too, so CI's PostgreSQL run of this
// suite scans the logs once more.
//
// A `*.postgres.reliability.ts` file drills what only a PostgreSQL server
// has (a restart of the server): it runs when DATABASE_URL names one, and
// alone, after every other file, since a restart cuts the connections of
// whatever else runs.
const onPostgres = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
const shared = {
  pool: 'forks' as const,
  testTimeout: 300_000,
  hookTimeout: 120_000,
  globalSetup: ['test/support/global-setup.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'reliability',
          include: ['test/reliability/**/*.reliability.ts', 'test/http/personal-data-logs.test.ts'],
          exclude: ['test/reliability/**/*.postgres.reliability.ts'],
        },
      },
      ...(onPostgres
        ? [
            {
              test: {
                ...shared,
                name: 'postgres-restart',
                include: ['test/reliability/**/*.postgres.reliability.ts'],
                sequence: { groupOrder: 1 },
              },
            },
          ]
        : []),
    ],
  },
});
