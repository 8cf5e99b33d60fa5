import { LIFECYCLE_STATE_LABEL, type Pod } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { namesOf, podCondition } from '../workload/workloadWorld.testkit.js';
import { groupByNode, startDaemonSetWorld, type DaemonSetObject, type DaemonSetWorld } from './daemonSetController.testkit.js';

const isAvailable = (pod: Pod): boolean => pod.metadata.deletionTimestamp === undefined && podCondition(pod, 'Ready') === 'True' && podCondition(pod, 'InPlaceUpdateReady') !== 'False';
const nodesOf = (byNode: Record<string, string[]>): string[] => Object.keys(byNode);
const onePerNode = (byNode: Record<string, string[]>): boolean => Object.values(byNode).every((pods) => pods.length === 1);
const ALL = ['node-0', 'node-1', 'node-2', 'node-3', 'node-4', 'node-5'];

function withTemplateSpec(ds: DaemonSetObject, change: (spec: DaemonSetObject['spec']['template']['spec']) => DaemonSetObject['spec']['template']['spec']): DaemonSetObject {
  return { ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: change(ds.spec.template.spec) } } };
}

/** Eligible nodes without an available pod, at every pod change (the watch's view). */
function followUnavailable(w: DaemonSetWorld, eligible: readonly string[]): { most: () => number; least: () => number; stop: () => void } {
  let most = 0;
  let least = Number.POSITIVE_INFINITY;
  const stop = w.follow(Resources.Pod, (_changed, all) => {
    const covered = new Set(all.filter(isAvailable).map((p) => p.spec.nodeName ?? ''));
    const missing = eligible.filter((n) => !covered.has(n)).length;
    most = Math.max(most, missing);
    least = Math.min(least, eligible.length - missing);
  });
  return { most: () => most, least: () => least, stop };
}

describe('Advanced DaemonSet controller (memory cluster)', () => {
  let world: DaemonSetWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('one pod per eligible node: nodeSelector and an untolerated taint leave nodes out, a toleration lets one in; the status counts them', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.updateNode('node-3', (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }));
    await w.create({}, (ds) => withTemplateSpec(ds, (s) => ({ ...s, nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } })));
    await w.until(async () => w.rolledOut(1));
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0']);
    expect((await w.get()).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: 1, numberAvailable: 1, numberUnavailable: 0, updatedNumberScheduled: 1 });

    await w.create({ name: 'tolerant' }, (ds) => withTemplateSpec(ds, (s) => ({ ...s, tolerations: [{ key: 'dedicated', operator: 'Exists' }] })));
    await w.create({ name: 'plain' });
    await w.until(async () => (await w.rolledOut(6, 'tolerant')) && (await w.rolledOut(5, 'plain')));
    const pods = await w.pods();
    expect(nodesOf(groupByNode(pods.filter((p) => p.metadata.name?.startsWith('tolerant-'))))).toEqual(ALL);
    expect(nodesOf(groupByNode(pods.filter((p) => p.metadata.name?.startsWith('plain-'))))).toEqual(ALL.filter((n) => n !== 'node-3'));
    // Created pods carry the DaemonSet default tolerations and are pinned by node affinity.
    const pod = pods.find((p) => p.metadata.name?.startsWith('plain-'));
    expect(JSON.stringify(pod?.spec.tolerations)).toContain('node.kubernetes.io/unschedulable');
    expect(JSON.stringify(pod?.spec.affinity)).toContain('metadata.name');
    expect(w.events.filter((e) => e.reason === 'SuccessfulCreate').length).toBe(12);
  });

  it('a node added gets a pod; a node relabelled out loses its pod; a cordoned node keeps its pod and gets one', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({}, (ds) => withTemplateSpec(ds, (s) => ({ ...s, nodeSelector: { role: 'agent' } })));
    for (const name of ['node-0', 'node-1', 'node-2']) await w.updateNode(name, (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, role: 'agent' } } }));
    await w.until(async () => w.rolledOut(3));
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0', 'node-1', 'node-2']);

    await w.cluster.addNode({ name: 'node-6', zone: 'zone-a', labels: { role: 'agent' } });
    await w.until(async () => w.rolledOut(4));
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0', 'node-1', 'node-2', 'node-6']);

    const [leaving] = (await w.podsByNode())['node-1'] ?? [];
    await w.updateNode('node-1', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, role: 'other' } } }));
    await w.until(async () => !namesOf(await w.allPods()).includes(leaving ?? '') && (await w.rolledOut(3)));
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0', 'node-2', 'node-6']);

    // Cordon: unschedulable with its taint, as the node lifecycle controller sets it. The pod stays.
    const kept = (await w.podsByNode())['node-2'];
    await w.updateNode('node-2', (n) => ({ ...n, spec: { ...n.spec, unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } }));
    await w.poke();
    expect((await w.podsByNode())['node-2']).toEqual(kept);
    // Its pod deleted by hand comes back on the cordoned node (the default toleration).
    await w.user.delete(Resources.Pod, { namespace: 'apps', name: kept?.[0] ?? '' });
    await w.until(async () => ((await w.podsByNode())['node-2'] ?? []).length === 1 && (await w.rolledOut(3)));
    expect((await w.podsByNode())['node-2']).not.toEqual(kept);
  });

  it('taints: a new NoSchedule taint keeps the pod there, a NoExecute one has it deleted; a deleted node leaves the desired count', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({});
    await w.until(async () => w.rolledOut(6));
    const byNode = await w.podsByNode();
    await w.updateNode('node-1', (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }));
    await w.until(async () => (await w.get()).status?.desiredNumberScheduled === 5);
    expect((await w.podsByNode())['node-1']).toEqual(byNode['node-1']);
    expect((await w.get()).status).toMatchObject({ desiredNumberScheduled: 5, numberMisscheduled: 1 });

    await w.updateNode('node-2', (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } }));
    await w.until(async () => !namesOf(await w.allPods()).includes(byNode['node-2']?.[0] ?? ''));
    expect(nodesOf(await w.podsByNode())).toEqual(ALL.filter((n) => n !== 'node-2'));

    await w.user.delete(Resources.Node, { name: 'node-5' });
    await w.until(async () => (await w.get()).status?.desiredNumberScheduled === 3);
  });

  it('while its own pod creation is not yet seen, a pass only updates the counts (observedGeneration kept), as OpenKruise', async () => {
    world = await startDaemonSetWorld({ nodes: [{ name: 'node-0', zone: 'zone-a' }, { name: 'node-1', zone: 'zone-b' }] });
    const w = world;
    await w.create({});
    await w.until(async () => w.rolledOut(2));
    // The watch of pods lags 60 s: the pod created for the new node is not seen meanwhile.
    const lag = w.cluster.faults.delayWatchEvents({ resource: 'pods', type: 'ADDED', ms: 60_000, times: Infinity });
    await w.cluster.addNode({ name: 'node-2', zone: 'zone-c' });
    await w.until(async () => (await w.allPods()).length === 3 && (await w.get()).status?.desiredNumberScheduled === 3, 100);
    await w.update('web', (ds) => ({ ...ds, spec: { ...ds.spec, minReadySeconds: 1 } }));
    await w.updateNode('node-0', (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }));
    await w.until(async () => (await w.get()).status?.numberMisscheduled === 1, 100);
    const set = await w.get();
    expect(set.status).toMatchObject({ desiredNumberScheduled: 2, numberMisscheduled: 1, observedGeneration: 1 });
    expect(set.metadata.generation).toBe(2);
    lag.remove();
  });

  it('rolling update maxUnavailable 2, partition 3 on 6 nodes: 3 updated from the highest node name, never more than 2 nodes without an available pod', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({ maxUnavailable: 2, partition: 3 });
    await w.until(async () => w.rolledOut(6));
    const watch = followUnavailable(w, ALL);
    await w.setImage('nginx:2');
    await w.until(async () => {
      const s = (await w.get()).status;
      return s?.updatedNumberScheduled === 3 && s.numberAvailable === 6;
    }, 1200);
    await w.poke();
    watch.stop();
    expect(watch.most()).toBe(2);
    const pods = await w.pods();
    const updated = pods.filter((p) => p.spec.containers[0]?.image === 'nginx:2').map((p) => p.spec.nodeName).sort();
    expect(updated).toEqual(['node-3', 'node-4', 'node-5']);
    expect(onePerNode(groupByNode(pods))).toBe(true);
  });

  it('maxSurge 1: a new pod next to the old one first, the old deleted once the new one is available; never fewer than all nodes available', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({ maxSurge: 1, maxUnavailable: 0 });
    await w.until(async () => w.rolledOut(6));
    const watch = followUnavailable(w, ALL);
    let mostOnANode = 0;
    const stopCount = w.follow(Resources.Pod, (_changed, all) => {
      mostOnANode = Math.max(mostOnANode, ...Object.values(groupByNode(all.filter((p) => p.metadata.deletionTimestamp === undefined))).map((pods) => pods.length));
    });
    await w.setImage('nginx:2');
    await w.until(async () => (await w.rolledOut(6)) && (await w.allPods()).length === 6, 1500);
    watch.stop();
    stopCount();
    expect(watch.least()).toBe(6);
    expect(mostOnANode).toBe(2);
    expect((await w.pods()).every((p) => p.spec.containers[0]?.image === 'nginx:2')).toBe(true);
  });

  it('rollingUpdate.selector on one zone: only that zone updates', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({ maxUnavailable: 2, nodeSelector: { matchLabels: { 'topology.kubernetes.io/zone': 'zone-b' } } });
    await w.until(async () => w.rolledOut(6));
    await w.setImage('nginx:2');
    await w.until(async () => (await w.get()).status?.updatedNumberScheduled === 2 && (await w.get()).status?.numberAvailable === 6);
    await w.poke();
    const updated = (await w.pods()).filter((p) => p.spec.containers[0]?.image === 'nginx:2').map((p) => p.spec.nodeName).sort();
    expect(updated).toEqual(['node-1', 'node-4']);
  });

  it('InPlaceIfPossible: an image change updates every pod in place (same uids and names), InPlaceUpdateReady back to True', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({ rollingUpdateType: 'InPlaceIfPossible', maxUnavailable: 2 });
    await w.until(async () => w.rolledOut(6));
    const before = new Map((await w.pods()).map((p) => [p.metadata.name, p.metadata.uid]));
    const watch = followUnavailable(w, ALL);
    await w.setImage('nginx:2');
    await w.until(async () => (await w.rolledOut(6)) && (await w.pods()).every((p) => p.status?.containerStatuses?.[0]?.image === 'nginx:2'), 1500);
    watch.stop();
    const after = await w.pods();
    expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
    expect(after.map((p) => podCondition(p, 'InPlaceUpdateReady'))).toEqual(Array(6).fill('True'));
    expect(watch.most()).toBeLessThanOrEqual(2);
    expect(w.events.filter((e) => e.reason === 'SuccessfulUpdatePodInPlace').length).toBe(6);
    expect(w.events.filter((e) => e.reason === 'SuccessfulDelete')).toEqual([]);
  });

  it('OnDelete: nothing updates until a pod is deleted, which comes back at the new revision; paused: no update', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    await w.create({ updateType: 'OnDelete' });
    await w.create({ name: 'paused', paused: true });
    await w.until(async () => (await w.rolledOut(6)) && (await w.rolledOut(6, 'paused')));
    await w.setImage('nginx:2');
    await w.setImage('nginx:2', 'paused');
    await w.poke();
    await w.poke('paused');
    expect((await w.pods()).every((p) => p.spec.containers[0]?.image === 'nginx:1')).toBe(true);
    const victim = (await w.pods()).find((p) => p.metadata.name?.startsWith('web-') && p.spec.nodeName === 'node-0')?.metadata.name;
    await w.user.delete(Resources.Pod, { namespace: 'apps', name: victim ?? '' });
    await w.until(async () => (await w.get()).status?.updatedNumberScheduled === 1 && (await w.get()).status?.numberAvailable === 6);
    const pods = (await w.pods()).filter((p) => p.metadata.name?.startsWith('web-'));
    expect(pods.filter((p) => p.spec.containers[0]?.image === 'nginx:2').map((p) => p.spec.nodeName)).toEqual(['node-0']);
    expect((await w.get('paused')).status?.updatedNumberScheduled).toBe(0);
  });

  it('preDelete hook: a pod on a node relabelled out moves to PreparingDelete and is deleted only once the hook lets it go', async () => {
    world = await startDaemonSetWorld();
    const w = world;
    const hook = 'example.com/drain';
    await w.create({ lifecycle: { preDelete: { finalizersHandler: [hook] } } }, (ds) => ({
      ...withTemplateSpec(ds, (s) => ({ ...s, nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } })),
      spec: { ...ds.spec, template: { ...ds.spec.template, metadata: { ...ds.spec.template.metadata, finalizers: [hook] }, spec: { ...ds.spec.template.spec, nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } } } },
    }));
    await w.until(async () => w.rolledOut(2));
    const [name] = (await w.podsByNode())['node-3'] ?? [];
    await w.updateNode('node-3', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, 'topology.kubernetes.io/zone': 'zone-b' } } }));
    await w.until(async () => (await w.pod(name ?? '')).metadata.labels?.[LIFECYCLE_STATE_LABEL] === 'PreparingDelete');
    await w.poke();
    expect((await w.pod(name ?? '')).metadata.deletionTimestamp).toBeUndefined();
    await w.patchPod(name ?? '', { metadata: { finalizers: null } });
    await w.until(async () => !namesOf(await w.allPods()).includes(name ?? ''));
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0']);
  });

  it('a Failed pod is deleted (FailedDaemonPod) and replaced', async () => {
    world = await startDaemonSetWorld({ nodes: [{ name: 'node-0', zone: 'zone-a' }] });
    const w = world;
    await w.create({});
    await w.until(async () => w.rolledOut(1));
    const [failed] = (await w.pods()).map((p) => p.metadata.name ?? '');
    await w.patchPod(failed ?? '', { status: { phase: 'Failed' } }, 'status');
    await w.until(async () => !namesOf(await w.allPods()).includes(failed ?? '') && (await w.rolledOut(1)));
    expect(w.events.filter((e) => e.reason === 'FailedDaemonPod').map((e) => e.message)).toEqual([`Found failed daemon pod apps/${failed ?? ''} on node node-0, will try to kill it`]);

  });

  it('an orphan pod on a node, matching the selector, is adopted instead of getting a second pod', async () => {
    world = await startDaemonSetWorld({ nodes: [{ name: 'node-0', zone: 'zone-a' }, { name: 'node-1', zone: 'zone-b' }] });
    const w = world;
    await w.user.create(Resources.Pod, { metadata: { name: 'stray', namespace: 'apps', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx:1' }] } });
    await w.until(async () => podCondition(await w.pod('stray'), 'Ready') === 'True');
    const ds = await w.create({ updateType: 'OnDelete' });
    await w.until(async () => (await w.get()).status?.currentNumberScheduled === 2 && (await w.get()).status?.numberReady === 2);
    const stray = await w.pod('stray');
    expect(stray.metadata.ownerReferences).toMatchObject([{ kind: 'DaemonSet', name: 'web', uid: ds.metadata.uid, controller: true }]);
    expect(onePerNode(await w.podsByNode())).toBe(true);
    expect(nodesOf(await w.podsByNode())).toEqual(['node-0', 'node-1']);
  });
});
