import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One project per package (and an e2e project for the tests that start a real cluster).
export default defineConfig({
  test: {
    // vitest's default is one fewer worker than CPUs: one on a 2-core machine, so every unit file
    // ran after the other. Two at least (the e2e projects set their own; see vitest.shared.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: ['packages/*/vitest.config.ts', 'packages/*/vitest.e2e.config.ts', 'examples/vitest.config.ts', 'scripts/vitest.config.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.testkit.ts', '**/testing/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
