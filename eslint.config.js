// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Package boundaries (../ARCHITECTURE.md): core <- k8s-adapter <- controllers, core <- daemon.
 * Core is pure: it may import only zod and itself, and may not read the clock, randomness,
 * the process, the console, timers or any `node:*` module.
 */
export const corePurity = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '^(?!zod(/|$)|\\.{1,2}/|@kruise-ts/core(/|$))',
          message: 'packages/core is pure: it may import only zod and its own modules (see ARCHITECTURE.md).',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['process', 'console', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'fetch', 'performance', 'crypto', 'Buffer', 'require'].map(
      (name) => ({ name, message: `packages/core is pure: \`${name}\` is I/O, time or a global; take it as an argument.` }),
    ),
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'packages/core is pure: take the time as an argument instead of Date.now().' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'packages/core is pure: take the time as an argument instead of new Date().' },
    { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'packages/core is pure: take random suffixes as an argument instead of Math.random().' },
    { selector: "MemberExpression[object.name='globalThis']", message: 'packages/core is pure: no globals.' },
    { selector: 'ImportExpression', message: 'packages/core is pure: no dynamic imports.' },
  ],
};

const restrict = (/** @type {string[]} */ forbidden, /** @type {string} */ why) => ({
  'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group, `${group}/*`], message: why })) }],
});

/** The workload folders of packages/controllers/src: a controller each (ARCHITECTURE.md layout). */
const WORKLOAD_FOLDERS = ['cloneset', 'sidecarset'];

/**
 * `packages/controllers/src/webhook/` never imports a workload folder: admission code lives in
 * `webhook/<kind>/`, and a workload folder may import shared modules, not the other way round.
 * Specifiers are relative, so the rule is set per folder depth: from `webhook/x.ts` `../cloneset/*`
 * is forbidden, from `webhook/sidecarset/x.ts` `../../cloneset/*` is (while `../cloneset/*` there
 * is `webhook/cloneset/`, which is fine).
 */
export const webhookBoundaries = [0, 1, 2, 3].map((depth) => ({
  files: [`packages/controllers/src/webhook/${'*/'.repeat(depth)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./){${String(depth + 1)}}(${WORKLOAD_FOLDERS.join('|')})(/|$)`,
            message: 'webhook/ may not import a workload folder (cloneset/, sidecarset/): put admission code in webhook/<kind>/ and shared code in a shared module (ARCHITECTURE.md).',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', 'coverage/**', 'docs/api/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  { files: ['packages/core/src/**/*.ts'], ignores: ['**/*.test.ts'], rules: corePurity },
  {
    files: ['packages/k8s-adapter/**/*.ts'],
    rules: restrict(['@kruise-ts/controllers', '@kruise-ts/daemon', 'tsyringe'], 'k8s-adapter may depend only on core (ARCHITECTURE.md); tsyringe lives in composition roots.'),
  },
  {
    files: ['packages/daemon/**/*.ts'],
    rules: restrict(['@kruise-ts/controllers'], 'the daemon depends on core, not on the manager (ARCHITECTURE.md).'),
  },
  ...webhookBoundaries,
  {
    files: ['**/*.test.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
