import { defineConfig } from 'vitest/config';

// One project per package (and an e2e project for the tests that start a real cluster).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'packages/*/vitest.e2e.config.ts', 'examples/vitest.config.ts', 'scripts/vitest.config.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.testkit.ts', '**/testing/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
