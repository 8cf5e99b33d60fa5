import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IMAGES } from './demoCloneSet.js';
import { parseDemoArgs } from './demo.js';
import { runDemo, type DemoReport } from './runDemo.js';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const tsx = here('../../node_modules/.bin/tsx');
const run = promisify(execFile);

/** Runs the demo CLI; resolves with its exit code and output (non-zero codes do not reject). */
async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['--conditions=@kruise-ts/source', here('./demo.ts'), ...args], { env: { ...process.env, KUBECONFIG: '', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('CloneSet rollout demo on the in-memory cluster', () => {
  let output = '';
  let report: DemoReport;

  it('scales the seeds CloneSet 1 → 6 and rolls out a new image in place, partition 2 then 0', { timeout: 90_000 }, async () => {
    report = await runDemo({ out: { write: (text: string) => (output += text) }, tty: false });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    const [apply, scale, partial, finish] = report.steps.map((s) => s.record);
    expect(apply).toMatchObject({ created: 1, deleted: 0, updatedInPlace: 0 });
    expect(scale).toMatchObject({ created: 5, deleted: 0, updatedInPlace: 0, podsBefore: 1, podsKept: 1 });
    // replicas 6 − partition 2 = 4 updated in place, then the last 2: no pod created or deleted.
    expect(partial).toMatchObject({ created: 0, deleted: 0, updatedInPlace: 4, podsBefore: 6, podsKept: 6 });
    expect(finish).toMatchObject({ created: 0, deleted: 0, updatedInPlace: 2, podsBefore: 6, podsKept: 6 });
    // Checked at every pod event, not only when the view redrew.
    expect(partial?.maxUnavailable).toBeLessThanOrEqual(2);
    expect(finish?.maxUnavailable).toBeLessThanOrEqual(2);
    expect(partial?.maxUnavailable).toBeGreaterThan(0);
    expect(report.steps[2]?.status).toMatchObject({ replicas: 6, updatedReplicas: 4, updatedReadyReplicas: 4, availableReplicas: 6, expectedUpdatedReplicas: 4 });
    expect(report.steps[3]?.status).toMatchObject({ replicas: 6, updatedReplicas: 6, availableReplicas: 6 });
    expect(report.steps[3]?.status.currentRevision).toBe(report.steps[3]?.status.updateRevision);
  });

  it('ends with 6 ready pods on the new image, each restarted once (the net container) and never recreated', () => {
    expect(report.pods).toHaveLength(6);
    for (const pod of report.pods) {
      expect(pod).toMatchObject({ state: 'ready', available: true, images: [IMAGES.netNext, IMAGES.alpine], restarts: 1 });
    }
    expect(new Set(report.pods.map((p) => p.node)).size).toBe(3);
  });

  it('prints live progress as plain lines and a summary table with the numbers', () => {
    expect(output).toContain('converted apps.kruise.io/v1alpha1 → v1beta1 on the client');
    expect(output).toMatch(/^\[ +\d+\.\ds\] step 3\/4 · cloneset-dev-\w+: \d ready · cloneset-dev-\w+\*: [^\n]*in-place updating \[Updating\]/m);
    expect(output).not.toContain('\x1b['); // no cursor moves or colours off a terminal
    const summary = output.slice(output.indexOf('Summary (4 steps in'));
    expect(summary).toMatch(/ 1 apply the seeds' CloneSet \(replicas 1\) +\d+\.\ds +1 +0 +0 +1 +-\n/);
    expect(summary).toMatch(/ 2 scale 1 → 6 +\d+\.\ds +5 +0 +0 +5 +yes \(1\/1\)\n/);
    expect(summary).toMatch(/ 3 net → nginx:1\.28-alpine in place, partition 2, maxUnavailable 2 +\d+\.\ds +0 +0 +4 +[12] \(limit 2\) +yes \(6\/6\)\n/);
    expect(summary).toMatch(/ 4 partition 0: finish the rollout +\d+\.\ds +0 +0 +2 +[12] \(limit 2\) +yes \(6\/6\)\n/);
    expect(summary).toContain('✓ partition 2: 4 of 6 pods at the new revision (replicas 6 − partition 2 = 4); 4 updated in place in this step, 4 in all');
    expect(summary).not.toContain('✗');
  });
});

describe('demo command line', () => {
  it('reads --kubeconfig, else $KUBECONFIG, else runs in memory', () => {
    expect(parseDemoArgs([], {})).toMatchObject({ kind: 'ok', args: { kubeconfig: undefined, startManager: true, stepTimeoutMs: 60_000 } });
    expect(parseDemoArgs([], { KUBECONFIG: '/k' })).toMatchObject({ kind: 'ok', args: { kubeconfig: '/k' } });
    expect(parseDemoArgs(['--kubeconfig', '/a', '--no-manager', '--step-timeout', '5'], { KUBECONFIG: '/k' })).toMatchObject({ kind: 'ok', args: { kubeconfig: '/a', startManager: false, stepTimeoutMs: 5000 } });
    expect(parseDemoArgs(['--step-timeout', 'soon'], {})).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('--step-timeout') as unknown });
    expect(parseDemoArgs(['--nodes', '3'], {})).toMatchObject({ kind: 'invalid' });
  });

  it('exits 2 with the usage on an unknown option, 1 with a clear message when the kubeconfig is missing', { timeout: 60_000 }, async () => {
    const unknown = await cli(['--nodes', '3']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: demo.ts');
    const missing = await cli(['--kubeconfig', here('./no-such-kubeconfig')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^demo: cannot load the kubeconfig .*no-such-kubeconfig/m);
  });

  it('runs to the end as a process and exits 0 by itself (nothing left running)', { timeout: 120_000 }, async () => {
    const { code, stdout } = await cli(['--plain']);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ partition 0: 6 of 6 pods at the new revision');
  });
});
