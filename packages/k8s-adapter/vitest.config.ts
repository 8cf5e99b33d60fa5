import { defineProject } from 'vitest/config';
import { envtestPinsDefine } from './envtest/pins.js';

export default defineProject({
  resolve: { conditions: ['@kruise-ts/source'] },
  define: envtestPinsDefine(),
  test: { name: 'k8s-adapter', include: ['src/**/*.test.ts'] },
});
