import { defineProject, mergeConfig } from 'vitest/config';
import { clusterFilesInParallel, sourceResolution } from '../../vitest.shared.js';
import { envtestPinsDefine } from '../k8s-adapter/envtest/pins.js';

// The controllers against a real etcd + kube-apiserver + kwok started by the harness.
export default mergeConfig(
  sourceResolution,
  defineProject({
    define: envtestPinsDefine(),
    test: {
      name: 'controllers:e2e',
      include: ['test/e2e/**/*.test.ts'],
      globalSetup: ['../k8s-adapter/test/e2e/globalSetup.ts'],
      testTimeout: 180_000,
      hookTimeout: 300_000,
      pool: 'forks',
      ...clusterFilesInParallel,
    },
  }),
);
