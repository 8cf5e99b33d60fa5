import { CONTROLLER_REVISION_HASH_LABEL, type Pod } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { namesOf, podCondition } from '../workload/workloadWorld.testkit.js';
import { startStatefulSetWorld, type StatefulSetObject, type StatefulSetWorld } from './statefulSetController.testkit.js';

const ordinal = (pod: Pod): number => Number((pod.metadata.name ?? '').split('-').pop());
const isReady = (pod: Pod): boolean => podCondition(pod, 'Ready') === 'True' && pod.metadata.deletionTimestamp === undefined;

describe('Advanced StatefulSet controller (memory cluster)', () => {
  let world: StatefulSetWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('OrderedReady: 0→5 creates pods in order, each after the one before is Ready; 5→2 deletes the highest first', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    const violations: string[] = [];
    const deletedOrder: string[] = [];
    const stop = w.follow(Resources.Pod, (changed, all) => {
      const k = ordinal(changed);
      const before = all.filter((p) => ordinal(p) < k);
      if (changed.metadata.deletionTimestamp === undefined && before.length < k) violations.push(`web-${String(k)} exists before web-${String(k - 1)}`);
      if (before.some((p) => !isReady(p)) && all.filter((p) => !isReady(p)).length > 1) violations.push(`two pods not ready at ${changed.metadata.resourceVersion ?? ''}`);
      if (changed.metadata.deletionTimestamp !== undefined && !deletedOrder.includes(changed.metadata.name ?? '')) deletedOrder.push(changed.metadata.name ?? '');
    });
    await w.create({ replicas: 5 });
    await w.until(async () => w.rolledOut(5), 1200);
    expect(namesOf(await w.pods())).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    await w.update('web', (s) => ({ ...s, spec: { ...s.spec, replicas: 2 } }));
    await w.until(async () => (await w.allPods()).length === 2 && (await w.rolledOut(2)), 1200);
    stop();
    expect(violations).toEqual([]);
    expect(deletedOrder).toEqual(['web-4', 'web-3', 'web-2']);
    expect(w.events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message)).toEqual([0, 1, 2, 3, 4].map((i) => `create Pod web-${String(i)} in StatefulSet web successful`));
  });

  it('Parallel with scaleStrategy.maxUnavailable 2: never more than 2 pods not ready during scale-up, and 2 reached', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    let most = 0;
    const stop = w.follow(Resources.Pod, (_changed, all) => {
      most = Math.max(most, all.filter((p) => !isReady(p)).length);
    });
    await w.create({ replicas: 6, podManagementPolicy: 'Parallel', scaleMaxUnavailable: 2 });
    await w.until(async () => w.rolledOut(6), 1200);
    stop();
    expect(most).toBe(2);
  });

  it('reserveOrdinals [1, "3-4"] with 4 replicas gives pods 0, 2, 5, 6', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    await w.create({ replicas: 4, podManagementPolicy: 'Parallel', reserveOrdinals: [1, '3-4'] });
    await w.until(async () => w.rolledOut(4), 1200);
    expect(namesOf(await w.pods())).toEqual(['web-0', 'web-2', 'web-5', 'web-6']);
  });

  it('in-place rollout of 10 pods, partition 3, maxUnavailable 2: same uids, 7 updated from the highest ordinal, never more than 2 unavailable', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    await w.create({ replicas: 10, podManagementPolicy: 'Parallel', podUpdatePolicy: 'InPlaceIfPossible', partition: 3, maxUnavailable: 2 });
    await w.until(async () => w.rolledOut(10), 2000);
    const before = new Map((await w.pods()).map((p) => [p.metadata.name, p.metadata.uid]));
    const oldRevision = (await w.get()).status?.currentRevision;
    w.cluster.faults.resetWrites();
    let most = 0;
    const updatedOrder: string[] = [];
    const stop = w.follow(Resources.Pod, (changed, all) => {
      most = Math.max(most, all.filter((p) => !isReady(p) || podCondition(p, 'InPlaceUpdateReady') === 'False').length);
      if (changed.spec.containers[0]?.image === 'nginx:2' && !updatedOrder.includes(changed.metadata.name ?? '')) updatedOrder.push(changed.metadata.name ?? '');
    });
    await w.setImage('nginx:2');
    await w.until(async () => {
      const set = await w.get();
      return set.status?.updatedReplicas === 7 && set.status.readyReplicas === 10 && set.status.updateRevision !== oldRevision;
    }, 3000);
    await w.idle(2000);
    stop();
    const pods = await w.pods();
    expect(new Map(pods.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(updatedOrder).toEqual(['web-9', 'web-8', 'web-7', 'web-6', 'web-5', 'web-4', 'web-3']);
    expect(pods.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === oldRevision).map((p) => p.metadata.name).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(most).toBeLessThanOrEqual(2);
    expect(w.events.filter((e) => e.type === 'Warning')).toEqual([]);
    // Per updated pod: InPlaceUpdateReady False, the image patch, then InPlaceUpdateReady True and
    // Updating → Normal in one status patch (ADR 0025): 7 pod patches, 14 status patches.
    const podWrites = w.writes({ resource: 'pods' }).rows.map((r) => [r.verb, r.subresource ?? '', r.succeeded, r.failed]);
    expect(podWrites).toEqual([
      ['patch', '', 7, 0],
      ['patch', 'status', 14, 0],
    ]);
  });

  it('one PVC per pod: a deleted pod comes back with the same PVC; whenScaled Delete removes it on scale-down, Retain keeps it', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    await w.create({ replicas: 2, volumeClaimTemplates: ['data'], retentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    await w.create({ name: 'keep', replicas: 2, volumeClaimTemplates: ['data'] });
    await w.until(async () => (await w.rolledOut(2)) && (await w.rolledOut(2, 'keep')), 1200);
    const pvcs = async () => namesOf((await w.user.list(Resources.PersistentVolumeClaim, { namespace: 'apps' })).items as never);
    expect(await pvcs()).toEqual(['data-keep-0', 'data-keep-1', 'data-web-0', 'data-web-1']);
    const uid = (await w.pod('web-1')).metadata.uid;
    await w.user.delete(Resources.Pod, { namespace: 'apps', name: 'web-1' });
    await w.until(async () => (await w.pods()).some((p) => p.metadata.name === 'web-1' && p.metadata.uid !== uid && isReady(p)), 1200);
    expect((await w.pod('web-1')).spec.volumes?.find((v) => v.name === 'data')).toMatchObject({ persistentVolumeClaim: { claimName: 'data-web-1' } });
    for (const name of ['web', 'keep']) await w.update(name, (s) => ({ ...s, spec: { ...s.spec, replicas: 1 } }));
    await w.until(async () => (await w.allPods()).length === 2 && !(await pvcs()).includes('data-web-1'), 1200);
    expect(await pvcs()).toEqual(['data-keep-0', 'data-keep-1', 'data-web-0']);
  });

  it('a refused create is recorded as FailedCreatePod, and the set converges once the apiserver accepts it', async () => {
    world = await startStatefulSetWorld();
    const w = world;
    const rule = w.cluster.faults.failWrites({ verb: 'create', resource: 'pods', fieldManager: 'kruise-ts', error: 'internal', times: Number.POSITIVE_INFINITY });
    await w.create({ replicas: 2 });
    await w.until(async () => (await w.condition('FailedCreatePod')) !== undefined, 600);
    expect((await w.condition('FailedCreatePod'))?.message).toMatch(/^StatefulPodControl failed to create Pod error: /);
    rule.remove();
    await w.until(async () => w.rolledOut(2), 2000);
  });
});

describe('Advanced StatefulSet controller: PVC expansion (StatefulSetAutoResizePVCGate)', () => {
  let world: StatefulSetWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('a larger claim template expands every PVC, one pod at a time, once the StorageClass allows it', async () => {
    world = await startStatefulSetWorld({ featureGates: { StatefulSetAutoResizePVCGate: true } });
    const w = world;
    await w.user.create(Resources.StorageClass, { metadata: { name: 'fast' }, provisioner: 'example.com/csi', allowVolumeExpansion: true });
    const sized = (size: string) => (s: StatefulSetObject): StatefulSetObject => ({
      ...s,
      spec: {
        ...s.spec,
        volumeClaimUpdateStrategy: { type: 'OnPodRollingUpdate' },
        volumeClaimTemplates: (s.spec.volumeClaimTemplates ?? []).map((t) => ({ ...t, spec: { ...t.spec, storageClassName: 'fast', resources: { requests: { storage: size } } } })),
      },
    });
    // The volume provider: a claim gets the capacity it requests.
    const provide = async (): Promise<void> => {
      for (const pvc of (await w.user.list(Resources.PersistentVolumeClaim, { namespace: 'apps' })).items) {
        const requested = pvc.spec?.resources?.requests?.['storage'];
        if (requested !== undefined && pvc.status?.capacity?.['storage'] !== requested) {
          await w.user.patch(Resources.PersistentVolumeClaim, { namespace: 'apps', name: pvc.metadata.name ?? '' }, { type: 'merge', body: { status: { phase: 'Bound', capacity: { storage: requested } } } }, { subresource: 'status' });
        }
      }
    };
    await w.create({ replicas: 3, podManagementPolicy: 'Parallel', volumeClaimTemplates: ['data'] }, sized('1Gi'));
    await w.until(async () => {
      await provide();
      return w.rolledOut(3);
    }, 1200);
    await w.update('web', sized('2Gi'));
    const sizes = async () => (await w.user.list(Resources.PersistentVolumeClaim, { namespace: 'apps' })).items.map((p) => `${p.metadata.name ?? ''}=${String(p.spec?.resources?.requests?.['storage'])}`).sort();
    await w.until(async () => {
      await provide();
      return (await sizes()).every((s) => s.endsWith('=2Gi'));
    }, 1200);
    expect(await sizes()).toEqual(['data-web-0=2Gi', 'data-web-1=2Gi', 'data-web-2=2Gi']);
    expect(w.events.filter((e) => e.reason === 'SuccessfulResize').map((e) => e.message)).toEqual([2, 1, 0].map((i) => `resize Claim data-web-${String(i)} Pod web-${String(i)} in StatefulSet web success`));
  });
});
