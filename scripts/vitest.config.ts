import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution } from '../vitest.shared.js';

// Tests of the repository's own tooling (CRD generation, lint rules).
export default mergeConfig(sourceResolution, defineProject({ test: { name: 'tooling', include: ['scripts/**/*.test.ts'], root: '..' } }));
