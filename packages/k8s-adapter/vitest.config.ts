import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution, unitProject } from '../../vitest.shared.js';
import { envtestPinsDefine } from './envtest/pins.js';

export default mergeConfig(mergeConfig(sourceResolution, unitProject), defineProject({ define: envtestPinsDefine(), test: { name: 'k8s-adapter', include: ['src/**/*.test.ts'] } }));
