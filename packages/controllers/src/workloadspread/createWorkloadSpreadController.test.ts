import { POD_DELETION_COST_ANNOTATION, readMatchedWorkloadSpread, type CloneSet, type Pod, type WorkloadSpreadSubsetStatus } from '@kruise-ts/core';
import { aCloneSet, aPod, aWorkloadSpread, aZoneSubset } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createSharedInformerFactory, type KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloneSetController } from '../cloneset/createCloneSetController.js';
import { createBuiltinWebhooks } from '../webhook/createBuiltinWebhooks.js';
import { createWorkloadSpreadController } from './createWorkloadSpreadController.js';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { admittingPodClient, countBySubset, startSpread, subsetOf, worldWebhooks } from './workloadSpreadWorld.testkit.js';
import { REPLICA_SET_TYPE } from './workloadSpreadTarget.js';

type CloneSetObject = CloneSet & KubeObject;
const ZONE = 'topology.kubernetes.io/zone';

let world: WorkloadWorld<CloneSetObject> | undefined;
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
  await world?.close();
  world = undefined;
});

// A CloneSet world (three nodes, one per zone) whose controller writes pods through the pod webhooks.
async function cloneSetWorld(): Promise<WorkloadWorld<CloneSetObject>> {
  let next = 0;
  world = await startWorkloadWorld<CloneSetObject>({
    resource: Resources.CloneSet,
    createController: (deps) => {
      const webhooks = createBuiltinWebhooks({ client: deps.client, managerNamespace: 'kruise-system', clock: deps.clock });
      return createCloneSetController({ ...deps, client: admittingPodClient(deps.client, webhooks), featureGates: {} as Readonly<Record<string, boolean>>, instanceIdSuffix: () => `i${String(next++).padStart(4, '0')}` });
    },
  });
  return world;
}

const zoneOfNode = async (w: WorkloadWorld<CloneSetObject>, node: string | undefined): Promise<string | undefined> => (await w.user.get(Resources.Node, { name: node ?? '' })).metadata.labels?.[ZONE];

describe('WorkloadSpread over a CloneSet (memory cluster, three zones, pod webhooks in the write path)', () => {
  it('6 pods spread 2/2/2 with the zone affinity injected; status and deletion cost follow', async () => {
    const w = await cloneSetWorld();
    const spread = await startSpread(w);
    stops.push(spread.stop);
    await w.user.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 6 }) as CloneSetObject);
    await w.until(async () => (await w.pods()).filter((p) => p.status?.phase === 'Running').length === 6);
    const pods = await w.pods();
    expect(countBySubset(pods)).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    for (const pod of pods) {
      const terms = (pod.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown[] } } }).nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
      expect(terms).toEqual([{ matchExpressions: [{ key: ZONE, operator: 'In', values: [subsetOf(pod)] }] }]);
      expect(await zoneOfNode(w, pod.spec.nodeName)).toBe(subsetOf(pod));
    }
    await w.until(async () => {
      const statuses = (await spread.read()).status?.subsetStatuses ?? [];
      return statuses.map((s) => `${String(s.replicas)}/${String(s.missingReplicas)}/${String(Object.keys(s.creatingPods ?? {}).length)}`).join(' ') === '2/0/0 2/0/0 2/-1/0';
    });
    await w.until(async () => (await w.pods()).every((p) => p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined));
    const costs = new Map((await w.pods()).map((p) => [subsetOf(p), p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION]]));
    expect(Object.fromEntries(costs)).toEqual({ 'zone-a': '300', 'zone-b': '200', 'zone-c': '100' });
  });

  it('scale-in 6 → 4 removes the zone-c pods first, even when a zone-a pod is the newest (deletion cost)', async () => {
    const w = await cloneSetWorld();
    const spread = await startSpread(w);
    stops.push(spread.stop);
    await w.user.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 6 }) as CloneSetObject);
    await w.until(async () => {
      const pods = await w.pods();
      return pods.length === 6 && pods.every((p) => p.status?.phase === 'Running' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined);
    });
    // A zone-a pod re-created is the newest pod: only its deletion cost (300) keeps scale-in off it.
    const zoneAPod = (await w.pods()).find((p) => subsetOf(p) === 'zone-a')?.metadata.name ?? '';
    // Deleted as kubectl would: through the pod validating webhook, which gives zone-a its slot back at once.
    await admittingPodClient(w.user, worldWebhooks(w)).delete(Resources.Pod, { namespace: 'apps', name: zoneAPod });
    await w.until(async () => {
      const pods = await w.allPods();
      return pods.length === 6 && !pods.some((p) => p.metadata.name === zoneAPod) && pods.every((p) => p.status?.phase === 'Running' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined);
    });
    expect(countBySubset(await w.pods())).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    await w.update('web', (cs) => ({ ...cs, spec: { ...cs.spec, replicas: 4 } }));
    await w.until(async () => (await w.allPods()).length === 4);
    expect(countBySubset(await w.pods())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    await w.until(async () => ((await spread.read()).status?.subsetStatuses ?? []).map((s) => s.replicas).join(',') === '2,2,0');
  });

  it('under churn (a pod of each subset deleted through the webhook, 8 rounds) the spread stays 2/2/2 and the status settles with no entry left', async () => {
    const w = await cloneSetWorld();
    const spread = await startSpread(w);
    stops.push(spread.stop);
    await w.user.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 6 }) as CloneSetObject);
    const settled = async (): Promise<boolean> => {
      const pods = await w.allPods();
      return pods.length === 6 && pods.every((p) => p.status?.phase === 'Running' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined);
    };
    await w.until(settled);
    const kubectl = admittingPodClient(w.user, worldWebhooks(w));
    for (let round = 0; round < 8; round++) {
      const pods = await w.pods();
      const victim = pods.find((p) => subsetOf(p) === ['zone-a', 'zone-b', 'zone-c'][round % 3]);
      await kubectl.delete(Resources.Pod, { namespace: 'apps', name: victim?.metadata.name ?? '' });
      await w.until(async () => (await settled()) && !(await w.allPods()).some((p) => p.metadata.name === victim?.metadata.name));
      expect(countBySubset(await w.pods())).toEqual({ 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
    }
    // Entries the controller has matched leave at once; none waits for its timeout.
    await w.until(async () => {
      const statuses = (await spread.read()).status?.subsetStatuses ?? [];
      return statuses.map((s) => `${String(s.replicas)}/${String(s.missingReplicas)}/${String(Object.keys({ ...s.creatingPods, ...s.deletingPods }).length)}`).join(' ') === '2/0/0 2/0/0 2/-1/0';
    }, 50);
  });

  it('a Job pod created without a name (generateName) is recorded under a generated uid, cleared once the controller sees the pod', async () => {
    const w = await cloneSetWorld();
    const spread = await startSpread(w, { targetRef: { apiVersion: 'batch/v1', kind: 'Job', name: 'work' }, subsets: [aZoneSubset('zone-a', 1), aZoneSubset('zone-b')] });
    stops.push(spread.stop);
    // No Job controller runs on the memory cluster: the test writes the Job's pod.
    const template = { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } };
    const job = await w.user.create(Resources.Job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'work', namespace: 'apps' }, spec: { parallelism: 2, selector: { matchLabels: { app: 'web' } }, template } });
    const client = admittingPodClient(w.cluster.client, worldWebhooks(w));
    const pod = aPod({ namespace: 'apps', phase: 'unscheduled', labels: { app: 'web' } });
    const { name: _name, ...metadata } = pod.metadata;
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: (job as KubeObject).metadata.uid ?? '', controller: true };
    const created = await client.create(Resources.Pod, { ...pod, metadata: { ...metadata, generateName: 'work-', ownerReferences: [owner] }, status: {} } as never);
    const uid = readMatchedWorkloadSpread(created)?.uid ?? '';
    expect(readMatchedWorkloadSpread(created)).toEqual({ name: 'web-ws', subset: 'zone-a', uid });
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys((await spread.read()).status?.subsetStatuses?.[0]?.creatingPods ?? {})).toEqual([uid]);
    await w.until(async () => {
      const zoneA = (await spread.read()).status?.subsetStatuses?.[0];
      return zoneA !== undefined && zoneA.creatingPods === undefined && zoneA.replicas === 1 && zoneA.missingReplicas === 0;
    });
  });

  it('pods created before the WorkloadSpread are put in the subset of their node’s zone and annotated', async () => {
    const w = await cloneSetWorld();
    await w.user.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 4 }) as CloneSetObject);
    await w.until(async () => (await w.pods()).filter((p) => (p.spec.nodeName ?? '') !== '').length === 4);
    const spread = await startSpread(w, { subsets: [aZoneSubset('zone-a'), aZoneSubset('zone-b'), aZoneSubset('zone-c')] });
    stops.push(spread.stop);
    await w.until(async () => (await w.pods()).every((p) => subsetOf(p) !== undefined));
    for (const pod of await w.pods()) expect(subsetOf(pod)).toBe(await zoneOfNode(w, pod.spec.nodeName));
    await w.until(async () => ((await spread.read()).status?.subsetStatuses ?? []).reduce((sum, s) => sum + s.replicas, 0) === 4);
  });

  it('30 pods created at once never put more than maxReplicas 5 in zone-a (status written on 409 retries)', async () => {
    const w = await cloneSetWorld();
    const spread = await startSpread(w, { subsets: [aZoneSubset('zone-a', 5), aZoneSubset('zone-b')] });
    stops.push(spread.stop);
    // The CloneSet's controller keeps replicas 0: the pods below are written by the test, all at once.
    const cs = await w.user.create(Resources.CloneSet, aCloneSet({ namespace: 'apps', replicas: 0 }) as CloneSetObject);
    const client = admittingPodClient(w.cluster.client, worldWebhooks(w));
    // Status writes refused with 409 now and then (never 4 in a row, the webhook's attempts).
    for (const [nth, times] of [[1, 3], [6, 2]] as const) w.cluster.faults.failWrites({ resource: 'workloadspreads', subresource: 'status', error: 'conflict', nth, times, fieldManager: '*' });
    const owner = { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: cs.metadata.uid ?? '', controller: true };
    const created = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const pod = aPod({ name: `burst-${String(i)}`, namespace: 'apps', phase: 'unscheduled' });
        return client.create(Resources.Pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] }, status: {} } as never);
      }),
    );
    expect(countBySubset(created)).toEqual({ 'zone-a': 5, 'zone-b': 25 });
    expect(w.cluster.faults.writes({ resource: 'workloadspreads', subresource: 'status', fieldManager: '*' }).failed).toBe(5);
    const zoneA = (await spread.read()).status?.subsetStatuses?.[0];
    expect(zoneA?.missingReplicas).toBe(0);
    expect(Object.keys(zoneA?.creatingPods ?? {}).length + (zoneA?.replicas ?? 0)).toBeGreaterThanOrEqual(5);
  });

  it('a targetFilter (role=worker, replicas at spec.completions): only worker pods are spread and counted, the 50% caps are of 4, not of the Job’s 6', async () => {
    const w = await cloneSetWorld();
    // No Job controller runs on the memory cluster: the test writes the Job's pods.
    const template = { metadata: { labels: { app: 'train' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } };
    const job = await w.user.create(Resources.Job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace: 'apps' }, spec: { parallelism: 6, completions: 4, selector: { matchLabels: { app: 'train' } }, template } });
    const targetFilter = { selector: { matchLabels: { role: 'worker' } }, replicasPathList: ['spec.completions'] };
    const spread = await startSpread(w, { targetRef: { apiVersion: 'batch/v1', kind: 'Job', name: 'train' }, targetFilter, subsets: [aZoneSubset('zone-a', '50%'), aZoneSubset('zone-b', '50%')] });
    stops.push(spread.stop);
    // Caps from the filtered replicas: 50% of spec.completions (4) = 2 each.
    await w.until(async () => ((await spread.read()).status?.subsetStatuses ?? []).map((s) => s.missingReplicas).join(' ') === '2 2');
    const client = admittingPodClient(w.cluster.client, worldWebhooks(w));
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name: 'train', uid: (job as KubeObject).metadata.uid ?? '', controller: true };
    const create = async (name: string, role: string) => {
      const pod = aPod({ name, namespace: 'apps', phase: 'unscheduled', labels: { app: 'train', role } });
      return client.create(Resources.Pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] }, status: {} } as never);
    };
    const ps = [await create('train-ps-0', 'ps'), await create('train-ps-1', 'ps')];
    const workers = [];
    for (let i = 0; i < 5; i++) workers.push(await create(`train-worker-${String(i)}`, 'worker'));
    // The parameter servers are not the WorkloadSpread's: no subset, no affinity.
    expect(ps.map(subsetOf)).toEqual([undefined, undefined]);
    expect(ps.map((p) => p.spec.affinity)).toEqual([undefined, undefined]);
    // Two workers per zone; the fifth finds no room and is admitted unchanged.
    expect(workers.map(subsetOf)).toEqual(['zone-a', 'zone-a', 'zone-b', 'zone-b', undefined]);
    // The controller counts the workers of each subset only.
    await w.until(async () => {
      const statuses = (await spread.read()).status?.subsetStatuses ?? [];
      return statuses.map((s) => `${String(s.replicas)}/${String(s.missingReplicas)}/${String(Object.keys(s.creatingPods ?? {}).length)}`).join(' ') === '2/0/0 2/0/0';
    });
  });

  it('a targetFilter path that is not in the workload: a TargetFilterReplicasInvalid warning naming it, no status written', async () => {
    const w = await cloneSetWorld();
    w.cluster.registerResource(KruiseResources.WorkloadSpread);
    await w.user.create(Resources.Job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace: 'apps' }, spec: { parallelism: 2, selector: { matchLabels: { app: 'train' } }, template: { metadata: { labels: { app: 'train' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } } });
    const ws = aWorkloadSpread({ namespace: 'apps', targetRef: { apiVersion: 'batch/v1', kind: 'Job', name: 'train' }, targetFilter: { selector: {}, replicasPathList: ['spec.tfReplicaSpecs.Worker.replicas'] }, subsets: [aZoneSubset('zone-a', '50%'), aZoneSubset('zone-b', '50%')] });
    await w.user.create(KruiseResources.WorkloadSpread, ws as never);
    const events: { reason: string; message: string }[] = [];
    const informers = createSharedInformerFactory(w.cluster.client, { clock: w.cluster.clock });
    const running = createWorkloadSpreadController({ client: w.cluster.client, clock: w.cluster.clock, informers, events: { emit: (e) => events.push({ reason: e.reason, message: e.message }) }, namespace: 'apps' });
    const abort = new AbortController();
    const started = running.controller.start(abort.signal);
    stops.push(async () => {
      abort.abort();
      await running.stop();
      await started.catch(() => undefined);
    });
    await w.until(() => events.length > 0);
    expect(events[0]).toEqual({ reason: 'TargetFilterReplicasInvalid', message: 'targetFilter.replicasPathList: spec.tfReplicaSpecs.Worker.replicas: path "tfReplicaSpecs" not exists' });
    expect((await w.user.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: 'web-ws' })).status).toBeUndefined();
  });
});

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } });
const summary = (statuses: readonly WorkloadSpreadSubsetStatus[] | undefined): string => (statuses ?? []).map((s) => `${s.name}:${String(s.replicas)}/${String(s.missingReplicas)}`).join(' ');

// The memory cluster runs no Deployment controller: the test plays it (ReplicaSets, their pods
// created through the pod webhooks, the old ReplicaSet's pod with the lowest deletion cost removed
// first, as the ReplicaSet controller picks), one surge pod at a time.
describe('WorkloadSpread versionedSubsetStatuses over a Deployment rolling update (memory cluster, pod webhooks in the write path)', () => {
  it('maxSurge 1 over zone-a (max 2) and zone-b: the new revision fills zone-a up to 2 while the old pods are still there; each version keeps the caps; the old zone-a pods leave first', async () => {
    world = await startWorkloadWorld<CloneSetObject>({ resource: Resources.CloneSet, extraResources: [REPLICA_SET_TYPE], createController: (deps) => createCloneSetController({ ...deps, featureGates: {} as Readonly<Record<string, boolean>> }) });
    const w = world;
    const deployment = await w.user.create(Resources.Deployment, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1') } });
    const spread = await startSpread(w, { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, subsets: [aZoneSubset('zone-a', 2), aZoneSubset('zone-b')] });
    stops.push(spread.stop);
    const kubectl = admittingPodClient(w.cluster.client, worldWebhooks(w));
    const replicaSet = async (hash: string, image: string) => {
      const t = template(image);
      return w.user.create(REPLICA_SET_TYPE, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-${hash}`, namespace: 'apps', labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deployment.metadata.uid ?? '', controller: true }] },
        spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { ...t, metadata: { labels: { ...t.metadata.labels, 'pod-template-hash': hash } } } },
      });
    };
    let serial = 0;
    const createPod = async (rs: KubeObject, hash: string): Promise<Pod> => {
      const pod = aPod({ name: `web-${hash}-${String(serial++)}`, namespace: 'apps', phase: 'unscheduled', labels: { app: 'web', 'pod-template-hash': hash } });
      const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true };
      return kubectl.create(Resources.Pod, { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] }, status: {} } as never);
    };
    const ofVersion = async (hash: string) => (await w.pods()).filter((p) => p.metadata.labels?.['pod-template-hash'] === hash);
    const costed = async (): Promise<boolean> => (await w.pods()).every((p) => p.status?.phase === 'Running' && p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] !== undefined);

    const oldRs = await replicaSet('aaa', 'nginx:1');
    for (let i = 0; i < 4; i++) await createPod(oldRs, 'aaa');
    expect(countBySubset(await w.pods())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    await w.until(async () => summary((await spread.read()).status?.versionedSubsetStatuses?.['aaa']) === 'zone-a:2/0 zone-b:2/-1');

    // The rollout: the Deployment's template changes and its new ReplicaSet appears.
    await w.user.patch(Resources.Deployment, { namespace: 'apps', name: 'web' }, { type: 'merge', body: { spec: { template: template('nginx:2') } } });
    const newRs = await replicaSet('bbb', 'nginx:2');
    const placed: (string | undefined)[] = [];
    let sawTwoVersions = false;
    for (let step = 0; step < 4; step++) {
      // Surge: the new pod first. zone-a already holds two old pods (its cap) on the first step.
      placed.push(subsetOf(await createPod(newRs, 'bbb')));
      await w.until(async () => {
        const versioned = (await spread.read()).status?.versionedSubsetStatuses ?? {};
        const counted = (versioned['bbb'] ?? []).reduce((sum, s) => sum + s.replicas, 0);
        return counted === step + 1 && (await costed());
      });
      const mid = (await spread.read()).status;
      if (Object.keys(mid?.versionedSubsetStatuses ?? {}).length === 2) sawTwoVersions = true;
      if (step === 0) {
        expect(summary(mid?.versionedSubsetStatuses?.['aaa'])).toBe('zone-a:2/0 zone-b:2/-1');
        expect(summary(mid?.versionedSubsetStatuses?.['bbb'])).toBe('zone-a:1/1 zone-b:0/-1');
        expect(summary(mid?.subsetStatuses)).toBe('zone-a:3/0 zone-b:2/-1');
      }
      // Then the old ReplicaSet scales in by one: the pod with the lowest deletion cost.
      const old = await ofVersion('aaa');
      const victim = [...old].sort((a, b) => Number(a.metadata.annotations?.[POD_DELETION_COST_ANNOTATION]) - Number(b.metadata.annotations?.[POD_DELETION_COST_ANNOTATION]))[0];
      await kubectl.delete(Resources.Pod, { namespace: 'apps', name: victim?.metadata.name ?? '' });
      await w.until(async () => (await w.allPods()).every((p) => p.metadata.name !== victim?.metadata.name));
      // Never more than the cap of one version in zone-a.
      for (const hash of ['aaa', 'bbb']) expect((await ofVersion(hash)).filter((p) => subsetOf(p) === 'zone-a').length).toBeLessThanOrEqual(2);
    }
    expect(sawTwoVersions).toBe(true);
    // The new revision filled zone-a first (up to its cap) although zone-a was full of old pods.
    expect(placed).toEqual(['zone-a', 'zone-a', 'zone-b', 'zone-b']);
    expect(countBySubset(await w.pods())).toEqual({ 'zone-a': 2, 'zone-b': 2 });
    // The old version's entry goes with its last pod.
    await w.until(async () => {
      const status = (await spread.read()).status;
      return Object.keys(status?.versionedSubsetStatuses ?? {}).join() === 'bbb' && summary(status?.subsetStatuses) === 'zone-a:2/0 zone-b:2/-1';
    });
    // Newest version in subset order: zone-a 200, zone-b 100.
    await w.until(async () => (await w.pods()).every((p) => p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] === (subsetOf(p) === 'zone-a' ? '200' : '100')));
  });
});
