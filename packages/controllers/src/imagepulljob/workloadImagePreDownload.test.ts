import type { CloneSet, DaemonSet } from '@kruise-ts/core';
import { aCloneSet, aDaemonSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloneSetController } from '../cloneset/createCloneSetController.js';
import { createDaemonSetController } from '../daemonset/createDaemonSetController.js';
import { FEATURE_GATE_DEFAULTS } from '../manager/featureGates.js';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';

type CloneSetObject = CloneSet & KubeObject;
type DaemonSetObject = DaemonSet & KubeObject;

const jobsOf = async (world: WorkloadWorld<KubeObject>) => (await world.user.list(KruiseResources.ImagePullJob, { namespace: 'apps' })).items;
const revisionLabels = async (world: WorkloadWorld<KubeObject>, name: string) => (await world.user.get(Resources.ControllerRevision, { namespace: 'apps', name })).metadata.labels ?? {};

async function cloneSetWorld(gates: Record<string, boolean>): Promise<WorkloadWorld<CloneSetObject>> {
  return startWorkloadWorld<CloneSetObject>({
    resource: Resources.CloneSet,
    extraResources: [KruiseResources.ImagePullJob],
    createController: (deps) => createCloneSetController({ ...deps, featureGates: { ...FEATURE_GATE_DEFAULTS, ...gates } }),
  });
}

const aWebCloneSet = (replicas: number, partition?: number): CloneSetObject =>
  aCloneSet({ name: 'web', namespace: 'apps', replicas, maxUnavailable: 1, podUpdatePolicy: 'InPlaceIfPossible', ...(partition === undefined ? {} : { partition }) }) as CloneSetObject;

describe('image pre-download for workloads (memory cluster)', () => {
  let world: WorkloadWorld<KubeObject> | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('CloneSet with PreDownloadImageForInPlaceUpdate: an in-place image change creates an ImagePullJob for the nodes of the not-yet-updated pods, labels the revision, and deletes the job once rolled out', async () => {
    const w = await cloneSetWorld({ PreDownloadImageForInPlaceUpdate: true });
    world = w;
    // partition 3: one pod updated, the other three wait on the old revision (and their nodes get the image).
    const annotated = { ...aWebCloneSet(4, 3), metadata: { ...aWebCloneSet(4).metadata, annotations: { 'apps.kruise.io/image-predownload-parallelism': '2' } } };
    await w.user.create(Resources.CloneSet, annotated);
    await w.until(async () => (await w.get()).status?.updatedReadyReplicas === 4);
    expect(await jobsOf(world)).toEqual([]);
    await w.setImage('nginx:2');
    await w.until(async () => (await jobsOf(world!)).length === 1);
    const cs = await w.get();
    const [job] = await jobsOf(world);
    const update = cs.status?.updateRevision ?? '';
    expect(job).toMatchObject({
      metadata: { name: `${update}-main`, ownerReferences: [expect.objectContaining({ kind: 'CloneSet', name: 'web', uid: cs.metadata.uid, controller: true })] },
      spec: { image: 'nginx:2', parallelism: 2, pullPolicy: { backoffLimit: 1, timeoutSeconds: 300 }, completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 600 } },
    });
    expect(job?.spec.podSelector?.matchExpressions).toContainEqual({ key: 'controller-revision-hash', operator: 'NotIn', values: [update] });
    expect(await revisionLabels(world, update)).toMatchObject({ 'apps.kruise.io/pre-predownload-created': 'true' });
    expect(w.events.some((e) => e.reason === 'CreatedImagePullJob' && e.message === `created ImagePullJob ${update}-main for image: nginx:2`)).toBe(true);
    await w.update('web', (c) => ({ ...c, spec: { ...c.spec, updateStrategy: { ...c.spec.updateStrategy, rollingUpdate: { ...c.spec.updateStrategy?.rollingUpdate, partition: 0 } } } }));
    await w.until(async () => (await jobsOf(world!)).length === 0);
    const status = (await w.get()).status;
    expect(status?.currentRevision).toBe(status?.updateRevision);
  });

  it('CloneSet with 3 replicas: no job, the revision is labelled ignored; without the gate: nothing at all', async () => {
    const w = await cloneSetWorld({ PreDownloadImageForInPlaceUpdate: true });
    world = w;
    await w.user.create(Resources.CloneSet, aWebCloneSet(3));
    await w.until(async () => (await w.get()).status?.updatedReadyReplicas === 3);
    await w.setImage('nginx:2');
    await w.until(async () => {
      const update = (await w.get()).status?.updateRevision;
      return update !== undefined && (await revisionLabels(world!, update))['apps.kruise.io/image-predownload-ignored'] === 'true';
    });
    expect(await jobsOf(world)).toEqual([]);
    await w.close();

    const off = await cloneSetWorld({});
    world = off;
    await off.user.create(Resources.CloneSet, aWebCloneSet(5));
    await off.until(async () => (await off.get()).status?.updatedReadyReplicas === 5);
    await off.setImage('nginx:2');
    await off.until(async () => (await off.get()).status?.updatedReadyReplicas === 5 && (await off.get()).status?.updateRevision === (await off.get()).status?.currentRevision);
    expect(await jobsOf(world)).toEqual([]);
    expect(off.writes({ resource: 'imagepulljobs' }).succeeded).toBe(0);
  });

  it('Advanced DaemonSet with PreDownloadImageForDaemonSetUpdate: a rolling image change creates the job, deleted once every node is updated', async () => {
    const w = await startWorkloadWorld<DaemonSetObject>({
      resource: KruiseResources.DaemonSet,
      extraResources: [KruiseResources.ImagePullJob],
      nodes: 4,
      createController: (deps) => createDaemonSetController({ ...deps, featureGates: { ...FEATURE_GATE_DEFAULTS, PreDownloadImageForDaemonSetUpdate: true } }),
    });
    world = w;
    await w.user.create(KruiseResources.DaemonSet, aDaemonSet({ namespace: 'apps', name: 'web', maxUnavailable: 1, partition: 3 }) as DaemonSetObject);
    await w.until(async () => (await w.get()).status?.updatedNumberScheduled === 4 && (await w.get()).status?.numberReady === 4);
    // Created with partition 3, the first revision got a job too (OpenKruise's check only looks at the batch), gone once all 4 pods run it.
    await w.until(async () => (await jobsOf(world!)).length === 0);
    await w.setImage('nginx:2');
    await w.until(async () => (await jobsOf(world!)).length === 1);
    const [job] = await jobsOf(world);
    expect(job).toMatchObject({ spec: { image: 'nginx:2', parallelism: 1 }, metadata: { ownerReferences: [expect.objectContaining({ kind: 'DaemonSet', name: 'web', controller: true })] } });
    await w.update('web', (d) => ({ ...d, spec: { ...d.spec, updateStrategy: { ...d.spec.updateStrategy, rollingUpdate: { ...d.spec.updateStrategy?.rollingUpdate, partition: 0 } } } }));
    await w.until(async () => (await jobsOf(world!)).length === 0);
    expect((await w.get()).status?.updatedNumberScheduled).toBe(4);
  });
});
