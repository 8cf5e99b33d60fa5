import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Test-only helpers live next to the tests that use them as `*.testkit.ts`: they are never
 * published (each package's `files` leaves them out) and never reached from a published module.
 */
const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages'));
const sourcesOf = (name: string): string[] =>
  readdirSync(join(root, 'packages', name, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
const isTestOnly = (file: string): boolean => /\.(test|testkit)\.ts$/.test(file);

describe('test kits', () => {
  it.each(packages)('%s leaves *.testkit.ts out of its published files', (name) => {
    const { files } = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { files: string[] };
    expect(files).toContain('!src/**/*.testkit.ts');
  });

  it.each(packages)('%s imports its test kits only from tests and other test kits', (name) => {
    const offenders = sourcesOf(name)
      .filter((file) => !isTestOnly(file))
      .filter((file) => /from '[^']*\.testkit\.js'/.test(readFileSync(join(root, 'packages', name, 'src', file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
