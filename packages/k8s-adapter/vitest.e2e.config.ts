import { defineProject } from 'vitest/config';

// Tests against a real etcd + kube-apiserver + kwok started by the harness. They never skip: a
// missing binary fails the test with the command that builds it.
export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  test: {
    name: 'k8s-adapter:e2e',
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
