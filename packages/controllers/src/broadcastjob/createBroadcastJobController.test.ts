import type { Pod } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { ELIGIBLE, startBroadcastJobWorld, type BroadcastJobWorld } from './broadcastJobController.testkit.js';

const isActive = (pod: Pod): boolean => pod.metadata.deletionTimestamp === undefined && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
const onNode = (node: string) => (pod: Record<string, unknown>) => (pod.spec as { nodeName?: string }).nodeName === node;

describe('BroadcastJob controller (memory cluster)', () => {
  let world: BroadcastJobWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('runs one pod on each of the 4 eligible nodes, never more than parallelism 2 active, then Complete with its completion time', async () => {
    world = await startBroadcastJobWorld();
    const w = world;
    let most = 0;
    const stop = w.follow(Resources.Pod, (_changed, all) => {
      most = Math.max(most, all.filter(isActive).length);
    });
    await w.create({ parallelism: 2 });
    await w.until(async () => (await w.get()).status?.phase === 'completed');
    stop();
    const byNode = await w.podsByNode();
    expect(Object.keys(byNode)).toEqual(ELIGIBLE);
    expect(Object.values(byNode).every((pods) => pods.length === 1)).toBe(true);
    expect(most).toBe(2);
    const job = await w.get();
    expect(job.status).toMatchObject({ phase: 'completed', desired: 4, active: 0, succeeded: 4, failed: 0 });
    expect(job.status?.completionTime).toEqual(expect.any(String));
    expect(job.status?.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True', reason: 'Complete', message: 'Job completed, 4 pods succeeded, 0 pods failed' })]);
    expect(w.events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(4);
    expect(w.events.filter((e) => e.reason === 'JobComplete').map((e) => e.message)).toEqual(['Job apps/warm is completed, 4 pods succeeded, 0 pods failed']);
  });

  it('deletes itself ttlSecondsAfterFinished after completing (its pods go with it)', async () => {
    world = await startBroadcastJobWorld();
    const w = world;
    await w.create({ completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 10 } });
    await w.until(async () => (await w.get()).status?.phase === 'completed');
    const completedAt = w.cluster.clock.now();
    await w.until(() => w.gone());
    expect(w.cluster.clock.now() - completedAt).toBeGreaterThanOrEqual(10_000);
    await w.until(async () => (await w.allPods()).length === 0);
  });

  it('FailFast: a failed pod fails the job and its active pods are deleted', async () => {
    world = await startBroadcastJobWorld({ kubelet: { jobPodOutcome: (pod) => (onNode('node-1')(pod) ? 'Failed' : undefined) } });
    const w = world;
    await w.create({});
    await w.until(async () => (await w.get()).status?.phase === 'failed');
    await w.until(async () => (await w.allPods()).filter(isActive).length === 0);
    const job = await w.get();
    expect(job.status).toMatchObject({ phase: 'failed', active: 0 });
    expect(job.status?.conditions).toEqual([expect.objectContaining({ type: 'Failed', reason: 'Failed', message: 'failure policy is FailurePolicyTypeFailFast and failed pod is found' })]);
    expect(w.events.some((e) => e.type === 'Warning' && e.reason === 'failed pod is found')).toBe(true);
    expect((await w.pods()).map((p) => p.status?.phase)).toEqual(['Failed']);
  });

  it('Continue: a failed pod is counted, the others run on and the job completes', async () => {
    world = await startBroadcastJobWorld({ kubelet: { jobPodOutcome: (pod) => (onNode('node-1')(pod) ? 'Failed' : 'Succeeded') } });
    const w = world;
    await w.create({ failurePolicy: { type: 'Continue' } });
    await w.until(async () => (await w.get()).status?.phase === 'completed');
    expect((await w.get()).status).toMatchObject({ succeeded: 3, failed: 1, active: 0, desired: 4 });
  });

  it('Pause: a failed pod pauses the job (phase paused, Paused warning)', async () => {
    world = await startBroadcastJobWorld({ kubelet: { jobPodOutcome: (pod) => (onNode('node-0')(pod) ? 'Failed' : undefined) } });
    const w = world;
    await w.create({ parallelism: 1, failurePolicy: { type: 'Pause' } });
    await w.until(async () => (await w.get()).status?.phase === 'paused');
    expect(w.events.some((e) => e.reason === 'Paused' && e.message === 'job is paused, due to failed pod')).toBe(true);
    expect(Object.keys(await w.podsByNode())).toEqual(['node-0']);
  });

  it('activeDeadlineSeconds: past the deadline the job fails with DeadlineExceeded and its running pods are deleted', async () => {
    world = await startBroadcastJobWorld({ kubelet: { jobPodOutcome: () => undefined } });
    const w = world;
    await w.create({ completionPolicy: { type: 'Always', activeDeadlineSeconds: 30 } });
    await w.until(async () => (await w.pods()).filter((p) => p.status?.phase === 'Running').length === 4);
    const started = w.cluster.clock.now();
    await w.until(async () => (await w.get()).status?.phase === 'failed');
    expect(w.cluster.clock.now() - started).toBeLessThanOrEqual(30_000);
    await w.until(async () => (await w.allPods()).length === 0);
    const job = await w.get();
    expect(job.status).toMatchObject({ active: 0, failed: 4 });
    expect(job.status?.conditions?.[0]).toMatchObject({ type: 'Failed', message: 'Job apps/warm was active longer than specified deadline' });
    expect(w.events.filter((e) => e.reason === 'DeadlineExceeded')).toHaveLength(1);
  });

  it('paused: no pod until unpaused', async () => {
    world = await startBroadcastJobWorld();
    const w = world;
    await w.create({ paused: true });
    await w.until(async () => (await w.get()).status?.phase === 'paused');
    expect(await w.allPods()).toEqual([]);
    await w.update('warm', (job) => ({ ...job, spec: { ...job.spec, paused: false } }));
    await w.until(async () => (await w.get()).status?.phase === 'completed');
    expect(w.events.some((e) => e.reason === 'Continue')).toBe(true);
  });

  it('completionPolicy Never: stays running, a node added later and a node uncordoned get their pods', async () => {
    world = await startBroadcastJobWorld();
    const w = world;
    await w.create({ completionPolicy: { type: 'Never' } });
    await w.until(async () => (await w.get()).status?.succeeded === 4);
    await w.cluster.addNode({ name: 'node-6' });
    await w.updateNode('node-5', (n) => ({ ...n, spec: { ...n.spec, unschedulable: false } }));
    await w.until(async () => (await w.get()).status?.succeeded === 6);
    expect(Object.keys(await w.podsByNode())).toEqual([...ELIGIBLE, 'node-5', 'node-6']);
    expect((await w.get()).status).toMatchObject({ phase: 'running', desired: 6 });
  });

  it('a v1alpha1 job is served and run the same', async () => {
    world = await startBroadcastJobWorld();
    const w = world;
    const { KruiseResources } = await import('@kruise-ts/k8s-adapter');
    const { aBroadcastJob } = await import('@kruise-ts/core/testing');
    await w.user.create(KruiseResources.BroadcastJobV1alpha1, { ...aBroadcastJob({ namespace: 'apps', name: 'alpha' }), apiVersion: 'apps.kruise.io/v1alpha1' } as never);
    await w.until(async () => (await w.get('alpha')).status?.phase === 'completed');
    expect(Object.keys(await w.podsByNode('alpha'))).toEqual(ELIGIBLE);
  });
});

describe('broadcastJobKind', () => {
  it('remembers a job it ended until the cache shows it: a pass on the job as it was does not end it again', async () => {
    const { aBroadcastJob, aNode, aPod } = await import('@kruise-ts/core/testing');
    const { broadcastJobKind } = await import('./createBroadcastJobController.js');
    const kind = broadcastJobKind({} as never, { podNameSuffix: () => 'x' });
    const job = aBroadcastJob({ name: 'warm', status: { phase: 'running', startTime: '2025-01-01T00:00:00Z' } });
    const failed = { ...aPod({ name: 'warm-a', node: 'node-0', phase: 'failed' }), metadata: { ...aPod({ name: 'warm-a' }).metadata, ownerReferences: [] } };
    const ended = kind.plan({ job, pods: [failed], nodes: [aNode({ name: 'node-0' })] }, Date.parse('2025-01-01T00:01:00Z'));
    expect(ended.status).toMatchObject({ phase: 'failed', failed: 1 });
    // The cache still has the running job: the pass plans from what it wrote instead.
    const again = kind.plan({ job, pods: [failed], nodes: [aNode({ name: 'node-0' })] }, Date.parse('2025-01-01T00:01:05Z'));
    expect(again.step).toEqual({ kind: 'finished', action: 'keep' });
    expect(again.status).toEqual(ended.status);
  });
});
