import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  test: { name: 'controllers', include: ['src/**/*.test.ts'] },
});
