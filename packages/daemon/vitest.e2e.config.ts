import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../../vitest.shared.js';
import { envtestPinsDefine } from '../k8s-adapter/envtest/pins.js';

// The daemon against a real containerd (CRI), a loopback registry and, where a test needs one, a
// real etcd + kube-apiserver + kwok. The global setups install the runtime (scripts/runtime/install.sh)
// and build the envtest binaries when missing; nothing skips.
export default mergeConfig(
  sourceResolution,
  defineProject({
    define: envtestPinsDefine(),
    test: {
      name: 'daemon:e2e',
      include: ['test/e2e/**/*.test.ts'],
      globalSetup: ['test/runtime/globalSetup.ts', '../k8s-adapter/test/e2e/globalSetup.ts'],
      testTimeout: 180_000,
      hookTimeout: 300_000,
      pool: 'forks',
      fileParallelism: false,
    },
  }),
);
