import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The `kruise-ts-manager` command (bin/kruise-ts-manager.js) starts node with the manager's
 * young-generation size (ADR 0024) unless one is given. A probe preloaded through NODE_OPTIONS
 * prints each process's pid and node flags, and ends the process when the command imports the
 * manager itself (so no build and no cluster are needed).
 */
const bin = fileURLToPath(new URL('../bin/kruise-ts-manager.js', import.meta.url));
const probe = join(mkdtempSync(join(tmpdir(), 'kruise-ts-bin-')), 'probe.mjs');
writeFileSync(
  probe,
  `import { registerHooks } from 'node:module';
console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv }));
registerHooks({ resolve(specifier, context, next) {
  if (specifier === '../dist/main.js') process.exit(0);
  return next(specifier, context);
} });
`,
);

function starts(nodeArgs: readonly string[], nodeOptions: string): { pid: number; execArgv: string[] }[] {
  const run = spawnSync(process.execPath, [...nodeArgs, bin, '--version'], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, NODE_OPTIONS: `${nodeOptions} --import=${probe}` } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { pid: number; execArgv: string[] });
}

describe('kruise-ts-manager command: node flags', () => {
  it('without --max-semi-space-size, replaces itself (same pid) with node started with --max-semi-space-size=4', () => {
    const [first, second, ...rest] = starts([], '');
    expect(first?.execArgv).toEqual([]);
    expect(second?.execArgv).toEqual(['--max-semi-space-size=4']);
    expect(second?.pid).toBe(first?.pid);
    expect(rest).toEqual([]);
  });

  it("keeps node's other flags, after its own", () => {
    const [, second] = starts(['--stack-trace-limit=50'], '');
    expect(second?.execArgv).toEqual(['--max-semi-space-size=4', '--stack-trace-limit=50']);
  });

  it.each([
    ['on the command line', ['--max-semi-space-size=32'], '', ['--max-semi-space-size=32']],
    ['in NODE_OPTIONS', [], '--max-semi-space-size=32', []],
  ])('a --max-semi-space-size given %s is left as it is: no second start', (_where, nodeArgs, nodeOptions, execArgv) => {
    expect(starts(nodeArgs, nodeOptions).map((s) => s.execArgv)).toEqual([execArgv]);
  });
});
