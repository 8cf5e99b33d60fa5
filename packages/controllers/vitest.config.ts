import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution, unitProject } from '../../vitest.shared.js';

export default mergeConfig(mergeConfig(sourceResolution, unitProject), defineProject({ test: { name: 'controllers', include: ['src/**/*.test.ts'] } }));
