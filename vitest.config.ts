import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['api/**/*.test.ts', 'db/**/*.test.ts', 'etl/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          // The dashboard in Debian's Chromium (test/e2e/dashboard.test.ts): a build, a server and a browser.
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // The built dashboard (web/build) is imported by Node itself, as `npm start` imports it: through Vite's
          // module runner each first import of its 3 MB chunks took seconds, and the first chart page 10–17 s.
          server: { deps: { external: [/\/web\/build\//] } },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
    // Chromium, ../shared, poppler, PostgreSQL's binaries: a missing one fails a CI run, and is said once elsewhere.
    globalSetup: ['test/support/prerequisites-setup.ts'],
    // PGlite start-up and migrations take a few seconds on a cold cache.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
