import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  test: { name: 'daemon', include: ['src/**/*.test.ts'] },
});
