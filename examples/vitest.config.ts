import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution, unitProject } from '../vitest.shared.js';

export default mergeConfig(
  mergeConfig(sourceResolution, unitProject),
  defineProject({ test: { name: 'examples', include: ['**/*.test.ts'], exclude: ['**/node_modules/**'] } }),
);
