import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../vitest.shared.js';

export default mergeConfig(
  sourceResolution,
  defineProject({ test: { name: 'examples', include: ['**/*.test.ts'], exclude: ['**/node_modules/**'] } }),
);
