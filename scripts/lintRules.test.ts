import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the flat config is plain JS without type declarations
import { corePurity, webhookBoundaries } from '../eslint.config.js';

const linter = new Linter({ configType: 'flat' });
const verify = (code: string): string[] =>
  linter
    .verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: corePurity as Linter.RulesRecord }], 'packages/core/src/x.ts')
    .map((m) => m.message);

describe('core purity lint (ARCHITECTURE.md)', () => {
  it.each([
    ["import { Observable } from 'rxjs';", 'may import only zod'],
    ["import { readFile } from 'node:fs';", 'may import only zod'],
    ["import { KubeConfig } from '@kubernetes/client-node';", 'may import only zod'],
    ["import { container } from 'tsyringe';", 'may import only zod'],
    ['export const t = Date.now();', 'instead of Date.now()'],
    ['export const t = new Date();', 'instead of new Date()'],
    ['export const r = Math.random();', 'instead of Math.random()'],
    ['export const e = process.env.HOME;', '`process` is I/O'],
    ["console.log('x');", '`console` is I/O'],
    ['setTimeout(() => 1, 5);', '`setTimeout` is I/O'],
    ["export const m = await import('./x.js');", 'no dynamic imports'],
  ])('rejects %s', (code, message) => {
    expect(verify(code).join('\n')).toContain(message);
  });

  it.each([
    ["import { z } from 'zod';\nexport const s = z.string();"],
    ["import { x } from './local.js';\nexport const y = x;"],
    ["import { y } from '../api/labels.js';\nexport const z = y;"],
    ['export const d = new Date(1_700_000_000_000).toISOString();'],
  ])('accepts %s', (code) => {
    expect(verify(code)).toEqual([]);
  });

  it('applies the purity rules to core sources but not to core tests or other packages', async () => {
    const eslint = new ESLint();
    const ruleOf = async (file: string): Promise<unknown> => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-globals'];
    expect(await ruleOf('packages/core/src/index.ts')).toBeDefined();
    expect(await ruleOf('packages/core/src/cloneset/planScale.test.ts')).toBeUndefined();
    expect(await ruleOf('packages/k8s-adapter/src/index.ts')).toBeUndefined();
  });
});

describe('webhook/ never imports a workload folder', () => {
  const boundaries: Linter.Config[] = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...(webhookBoundaries as Linter.Config[])];
  const lint = (file: string, specifier: string): string[] =>
    linter.verify(`import { x } from '${specifier}';\nexport const y = x;`, boundaries, file).map((m) => m.message);

  it.each([
    ['packages/controllers/src/webhook/createBuiltinWebhooks.ts', '../sidecarset/sidecarSetAdmission.js'],
    ['packages/controllers/src/webhook/createBuiltinWebhooks.ts', '../cloneset/createCloneSetController.js'],
    ['packages/controllers/src/webhook/createManagerWebhooks.ts', '../sidecarset'],
    ['packages/controllers/src/webhook/sidecarset/sidecarSetCache.ts', '../../sidecarset/observeSidecarSet.js'],
    ['packages/controllers/src/webhook/cloneset/cloneSetAdmission.test.ts', '../../cloneset/cloneSetController.testkit.js'],
    ['packages/controllers/src/webhook/certificates/x/y.ts', '../../../cloneset/observeCloneSet.js'],
  ])('rejects %s importing %s', (file, specifier) => {
    expect(lint(file, specifier).join('\n')).toContain('webhook/ may not import a workload folder');
  });

  it.each([
    ['packages/controllers/src/webhook/createBuiltinWebhooks.ts', './sidecarset/sidecarSetAdmission.js'],
    ['packages/controllers/src/webhook/createManagerWebhooks.ts', '../runtime/logger.js'],
    ['packages/controllers/src/webhook/cloneset/cloneSetAdmission.ts', '../sidecarset/sidecarSetSource.js'],
    ['packages/controllers/src/webhook/sidecarset/sidecarSetCache.ts', '../../runtime/logger.js'],
    ['packages/controllers/src/webhook/sidecarset/sidecarSetSource.ts', '@kruise-ts/k8s-adapter'],
    ['packages/controllers/src/sidecarset/createSidecarSetController.ts', '../webhook/sidecarset/sidecarSetSource.js'],
    ['packages/controllers/src/manager/createManager.ts', '../cloneset/createCloneSetController.js'],
  ])('accepts %s importing %s', (file, specifier) => {
    expect(lint(file, specifier)).toEqual([]);
  });

  it('is part of the configuration of every webhook file, at its depth, and of no other controllers file', async () => {
    const eslint = new ESLint();
    const regexOf = async (file: string): Promise<string[] | undefined> => {
      const rule = ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-imports'] as [unknown, { patterns: { regex: string }[] }] | undefined;
      return rule?.[1].patterns.map((p) => p.regex);
    };
    expect(await regexOf('packages/controllers/src/webhook/createBuiltinWebhooks.ts')).toEqual(['^(\\.\\./){1}(cloneset|sidecarset)(/|$)']);
    expect(await regexOf('packages/controllers/src/webhook/sidecarset/sidecarSetAdmission.test.ts')).toEqual(['^(\\.\\./){2}(cloneset|sidecarset)(/|$)']);
    expect(await regexOf('packages/controllers/src/sidecarset/createSidecarSetController.ts')).toBeUndefined();
  });
});
