import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  test: { name: 'k8s-adapter', include: ['src/**/*.test.ts'] },
});
