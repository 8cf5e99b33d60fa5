import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('README.md shows firstUnitTest.test.ts as CI runs it', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const shown = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const test = readFileSync(new URL('./firstUnitTest.test.ts', import.meta.url), 'utf8').replace(/^\/\/.*\n/, '');
  expect(shown).toBe(test);
});
