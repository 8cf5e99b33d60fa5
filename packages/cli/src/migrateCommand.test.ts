import type { CloneSet } from '@kruise-ts/core';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { KruiseResources, Resources } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from './cliCapture.testkit.js';
import { planMigrationStep, type MigrationState } from './planMigration.js';
import { EXIT, runCli } from './runCli.js';

const key = { namespace: 'default', name: 'web' };
const deployment = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { team: 'a' } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
});

interface Observed {
  readonly deployment: number;
  readonly cloneSet: number;
  readonly cloneSetReady: number;
}

/**
 * Runs `kruise-ts migrate` on the memory cluster; the memory cluster has no Deployment controller,
 * so the test plays its part (status.observedGeneration follows each scale). Returns the exit code,
 * the output and every (Deployment, CloneSet) replica count seen.
 */
async function migrate(manager: TestManager, argv: readonly string[]) {
  const cli = capture(manager);
  let code: number | undefined;
  const running = runCli(argv, cli.io).then((c) => (code = c));
  const seen: Observed[] = [];
  for (let i = 0; code === undefined && i < 3000; i++) {
    await manager.cluster.settle();
    const d = await manager.cluster.client.get(Resources.Deployment, key);
    if ((d.status as { observedGeneration?: number } | undefined)?.observedGeneration !== d.metadata.generation) {
      await manager.cluster.client.replace(Resources.Deployment, { ...d, status: { observedGeneration: d.metadata.generation, replicas: (d.spec as { replicas: number }).replicas } }, { subresource: 'status' });
    }
    const cs = await manager.cluster.client.get(KruiseResources.CloneSet, key).catch(() => undefined);
    seen.push({ deployment: (d.spec as { replicas: number }).replicas, cloneSet: cs?.spec.replicas ?? 0, cloneSetReady: cs?.status?.availableReplicas ?? 0 });
    await manager.cluster.clock.advance(100);
  }
  await running;
  return { code, out: cli.out(), err: cli.err(), seen };
}

describe('kruise-ts migrate (memory cluster)', () => {
  it('creates the CloneSet with 0 replicas and moves 4 replicas one at a time (maxSurge 1): never more than 5 wanted in all', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.cluster.client.create(Resources.Deployment, deployment(4));
    const run = await migrate(manager, ['migrate', 'deployment/web', '--to', 'cloneset']);
    expect([run.code, run.err]).toEqual([EXIT.ok, '']);
    expect(run.out.split('\n')).toEqual([
      'cloneset.apps.kruise.io/web created',
      ...[1, 2, 3, 4].flatMap((n) => [`Migration progress: Deployment/web scale in ${String(n - 1)}, CloneSet/web scale out ${String(n)}`, `Migration progress: Deployment/web scale in ${String(n)}, CloneSet/web scale out ${String(n)}`]),
      'Successfully migrated 4 replicas from Deployment/web to CloneSet/web',
      '',
    ]);
    for (const s of run.seen) expect(s.deployment + s.cloneSet).toBeLessThanOrEqual(5);
    const cs = await manager.get(KruiseResources.CloneSet, key);
    expect([cs.spec.replicas, cs.spec.selector, cs.metadata.labels, cs.spec.updateStrategy?.rollingUpdate?.maxSurge]).toEqual([4, { matchLabels: { app: 'web' } }, { team: 'a' }, '25%']);
    expect((await manager.cluster.client.get(Resources.Deployment, key)).spec).toMatchObject({ replicas: 0 });
    const pods = (await manager.cluster.client.list(Resources.Pod, { namespace: 'default', labelSelector: 'app=web' })).items;
    expect(pods.filter((p) => p.metadata.ownerReferences?.[0]?.uid === cs.metadata.uid)).toHaveLength(4);
  });

  it('--max-surge 2 --replicas 3 moves 3 of 5 replicas two at a time; --dry-run writes nothing; bad flags name themselves', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.cluster.client.create(Resources.Deployment, deployment(5));
    const dry = capture(manager);
    expect(await runCli(['migrate', 'deploy', 'web', '--to=cloneset', '--dry-run', '-o', 'json'], dry.io)).toBe(EXIT.ok);
    expect((JSON.parse(dry.out()) as CloneSet).spec.replicas).toBe(0);
    await expect(manager.cluster.client.get(KruiseResources.CloneSet, key)).rejects.toThrow();
    const run = await migrate(manager, ['migrate', 'deployment/web', '--to', 'cloneset', '--max-surge=2', '--replicas=3']);
    expect([run.code, run.err]).toEqual([EXIT.ok, '']);
    expect(run.out).toContain('Migration progress: Deployment/web scale in 0, CloneSet/web scale out 2\n');
    for (const s of run.seen) expect(s.deployment + s.cloneSet).toBeLessThanOrEqual(7);
    expect([(await manager.cluster.client.get(Resources.Deployment, key)).spec, (await manager.get(KruiseResources.CloneSet, key)).spec.replicas]).toEqual([expect.objectContaining({ replicas: 2 }), 3]);
    for (const [argv, message] of [
      [['migrate', 'deployment/web'], '--to: must be cloneset'],
      [['migrate', 'sts/web', '--to', 'cloneset'], 'TYPE: only a Deployment can be migrated (got "sts")'],
      [['migrate', 'deployment/web', '--to', 'cloneset', '--max-surge=0'], '--max-surge: "0" is not a whole number of at least 1'],
    ] as const) {
      const bad = capture(manager);
      expect(await runCli(argv, bad.io)).toBe(EXIT.usage);
      expect(bad.err()).toBe(`error: ${message}\n`);
    }
  });
});

const state = (over: Partial<MigrationState>): MigrationState => ({
  replicas: 4,
  maxSurge: 1,
  scaledIn: 0,
  scaledOut: 0,
  deployment: { replicas: 4, generation: 1, observedGeneration: 1 },
  cloneSet: { replicas: 0, generation: 1, observedGeneration: 1, availableReplicas: 0 },
  ...over,
});

describe('planMigrationStep', () => {
  it.each([
    ['nothing moved: grow the CloneSet by maxSurge', state({}), { kind: 'scale-out', by: 1, cloneSetReplicas: 1 }],
    ['a spec not observed yet: wait', state({ cloneSet: { replicas: 1, generation: 2, observedGeneration: 1, availableReplicas: 0 } }), { kind: 'wait', reason: 'not-observed' }],
    ['surge used, CloneSet pod not available: wait', state({ scaledOut: 1, cloneSet: { replicas: 1, generation: 2, observedGeneration: 2, availableReplicas: 0 } }), { kind: 'wait', reason: 'clone-set-not-available' }],
    ['surge used, available: shrink the Deployment', state({ scaledOut: 1, cloneSet: { replicas: 1, generation: 2, observedGeneration: 2, availableReplicas: 1 } }), { kind: 'scale-in', by: 1, deploymentReplicas: 3 }],
    ['maxSurge 3 of 4 replicas', state({ maxSurge: 3 }), { kind: 'scale-out', by: 3, cloneSetReplicas: 3 }],
    ['all moved', state({ scaledIn: 4, scaledOut: 4 }), { kind: 'done' }],
  ])('%s', (_story, input, expected) => {
    expect(planMigrationStep(input)).toEqual(expected);
  });

  it('property: following the steps (every CloneSet pod becoming available) ends done, never more than maxSurge ahead', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), (replicas, maxSurge) => {
        let s = state({ replicas, maxSurge, deployment: { replicas, generation: 1, observedGeneration: 1 } });
        for (let i = 0; i < 4 * replicas + 4; i++) {
          const step = planMigrationStep(s);
          if (step.kind === 'done') return;
          if (step.kind === 'scale-out') s = { ...s, scaledOut: s.scaledOut + step.by, cloneSet: { ...s.cloneSet, replicas: step.cloneSetReplicas } };
          else if (step.kind === 'scale-in') s = { ...s, scaledIn: s.scaledIn + step.by, deployment: { ...s.deployment, replicas: step.deploymentReplicas } };
          else s = { ...s, cloneSet: { ...s.cloneSet, availableReplicas: s.cloneSet.replicas } };
          expect(s.scaledOut - s.scaledIn).toBeLessThanOrEqual(maxSurge);
          expect(s.deployment.replicas + s.cloneSet.replicas).toBeLessThanOrEqual(replicas + maxSurge);
        }
        expect.unreachable('the migration did not end');
      }),
    );
  });
});
