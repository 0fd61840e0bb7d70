import { defineConfig } from 'vitest/config';

// The workspace packages are run from their TypeScript sources (their `source` export condition),
// in the test files and in everything Vite loads for them.
const fromSources = { resolve: { conditions: ['source'] }, ssr: { resolve: { conditions: ['source'] } } };

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores: servers and clients in the tests need room too.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 20_000,
    // `vitest run` runs both; `--project unit` or `--project e2e` one of them.
    projects: [
      // Next to the code of each package; no servers, child processes or compilers: seconds.
      { extends: true, ...fromSources, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
      // Across packages: real servers, the client, child processes, builds, compile-time checks.
      { extends: true, ...fromSources, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
    ],
  },
});
