import { defineConfig } from 'tsup';
import { envtestPinsDefine } from './envtest/pins.js';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  platform: 'node',
  define: envtestPinsDefine(),
});
