import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The manager binary's start-up failures, as a user sees them: `src/main.ts` run in a child node
 * (through tsx) with a bare environment: no KUBECONFIG, no in-cluster variables, an empty home.
 */
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const home = mkdtempSync(join(tmpdir(), 'kruise-ts-manager-home-'));

function runManager(args: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--conditions=@kruise-ts/source', '--import', tsx, main, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: home, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('kruise-ts-manager start-up errors', () => {
  it('KRUISE_TS_CLOCK_OFFSET_MS (fault injection) that is not a number → one line naming it, exit 2', () => {
    const run = runManager(['--kubeconfig', '/nonexistent'], { KRUISE_TS_CLOCK_OFFSET_MS: '2m' });
    expect(run).toEqual({ status: 2, stdout: '', stderr: 'kruise-ts-manager: KRUISE_TS_CLOCK_OFFSET_MS must be a number of milliseconds, got 2m\n' });
  }, 60_000);

  it('--kubeconfig naming a missing file → one line naming it, exit 2', () => {
    const run = runManager(['--kubeconfig', '/nonexistent']);
    expect(run).toEqual({ status: 2, stdout: '', stderr: 'kruise-ts-manager: kubeconfig /nonexistent: no such file\n' });
  }, 60_000);

  it('--kubeconfig naming a file that is not a kubeconfig → one line naming it, exit 2', () => {
    const path = join(home, 'broken.yaml');
    writeFileSync(path, 'clusters: [\n');
    const run = runManager(['--kubeconfig', path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^kruise-ts-manager: kubeconfig ${path}: not a kubeconfig: [^\\n]*\\n$`));
  }, 60_000);

  it('no kubeconfig and not in a cluster → what was looked at and what to do, exit 2', () => {
    const run = runManager([]);
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: `kruise-ts-manager: no kubeconfig found: no --kubeconfig, KUBECONFIG unset, not in a cluster (KUBERNETES_SERVICE_HOST unset), ${home}/.kube/config does not exist; pass --kubeconfig=<file> or set KUBECONFIG\n`,
    });
  }, 60_000);
});
