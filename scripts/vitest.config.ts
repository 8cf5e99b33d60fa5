import { defineProject } from 'vitest/config';

// Tests of the repository's own tooling (CRD generation, lint rules, bootstrap).
export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  test: { name: 'tooling', include: ['scripts/**/*.test.ts'], root: '..' },
});
