import { defineProject, mergeConfig } from 'vitest/config';
import { sourceResolution, unitProject } from '../vitest.shared.js';

// Tests of the repository's own tooling (CRD generation, lint rules).
export default mergeConfig(mergeConfig(sourceResolution, unitProject), defineProject({ test: { name: 'tooling', include: ['scripts/**/*.test.ts'], root: '..' } }));
