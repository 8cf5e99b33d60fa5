import { defineProject, mergeConfig } from 'vitest/config';
import { clusterFilesInParallel, sourceResolution } from '../../vitest.shared.js';
import { envtestPinsDefine } from './envtest/pins.js';

// Tests against a real etcd + kube-apiserver + kwok started by the harness. They never skip: a
// missing binary fails the run with the command that builds it.
export default mergeConfig(
  sourceResolution,
  defineProject({
    define: envtestPinsDefine(),
    test: {
      name: 'k8s-adapter:e2e',
      include: ['test/e2e/**/*.test.ts'],
      globalSetup: ['test/e2e/globalSetup.ts'],
      testTimeout: 120_000,
      hookTimeout: 300_000,
      pool: 'forks',
      ...clusterFilesInParallel,
    },
  }),
);
