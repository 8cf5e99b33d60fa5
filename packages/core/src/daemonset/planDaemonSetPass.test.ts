import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../api/daemonSet.js';
import { CONTROLLER_REVISION_HASH_LABEL, INPLACE_UPDATE_READY_CONDITION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import { aDaemonSet, aNode, at, becomeReady, simulateDaemonSetPass, T0, withDaemonPods } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';
import { converge, dsPod, settle, startSimulation, storedRevision, withImage, zoneNodes } from './daemonset.testkit.js';
import { DAEMON_POD_DEFAULT_TOLERATIONS } from './daemonSetNodes.js';
import { revisionHash } from './daemonSetHistory.js';
import { daemonSetStatusWhileWaiting, planDaemonSetPass } from './planDaemonSetPass.js';

const label = (effect: WorkloadEffect): string => `${effect.kind} ${'target' in effect ? effect.target.name : effect.kind === 'create-pod' ? (effect.pod.metadata.name ?? '') : effect.kind === 'create-revision' ? (effect.revision.metadata.name ?? '') : ''}`;
const createdPods = (effects: readonly (readonly WorkloadEffect[])[]): Pod[] => effects.flat().flatMap((e) => (e.kind === 'create-pod' ? [e.pod] : []));

describe('planDaemonSetPass: stages', () => {
  it('does nothing while the set is being deleted', () => {
    const ds: DaemonSet = { ...aDaemonSet({ status: { numberReady: 3 } }), metadata: { ...aDaemonSet().metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const plan = planDaemonSetPass({ daemonSet: ds, nodes: zoneNodes(3), pods: [], revisions: [], now: T0 });
    expect(plan.step).toEqual({ stage: 'deleting' });
    expect(allPlannedEffects(plan)).toEqual([]);
    expect(plan.status).toBe(ds.status);
  });

  it.each([{}, { matchLabels: {} }, { matchLabels: {}, matchExpressions: [] }])('an empty selector %j: a SelectingAll warning and nothing else', (selector) => {
    const base = aDaemonSet();
    const ds = { ...base, spec: { ...base.spec, selector } };
    const plan = planDaemonSetPass({ daemonSet: ds, nodes: zoneNodes(3), pods: [], revisions: [], now: T0 });
    expect(plan.step).toEqual({ stage: 'selecting-all' });
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'SelectingAll', message: 'This DaemonSet is selecting all pods. A non-empty selector is required.' }]);
    expect(allPlannedEffects(plan)).toEqual([]);
  });

  it('the first pass: the revision in the prelude, pods for every node in slow-start waves, then the pass ends', () => {
    const plan = planDaemonSetPass({ daemonSet: aDaemonSet(), nodes: zoneNodes(5), pods: [], revisions: [], now: T0, podNameSuffixes: ['aaaaa', 'bbbbb', 'ccccc', 'ddddd', 'eeeee'] });
    expect(plan.step.stage).toBe('manage');
    expect(plan.prelude.flat().map(label)).toEqual([`create-revision agent-${plan.hash}`]);
    expect(plan.updateRevision.metadata.labels).toEqual({ app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: plan.hash });
    expect(plan.effects.map((w) => w.map(label))).toEqual([['create-pod agent-aaaaa'], ['create-pod agent-bbbbb', 'create-pod agent-ccccc'], ['create-pod agent-ddddd', 'create-pod agent-eeeee']]);
    expect(plan.effects[0]?.[0]?.events?.success).toEqual({ type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: agent-aaaaa' });
    expect(plan.effects[0]?.[0]?.events?.failure).toEqual({ type: 'Warning', reason: 'FailedCreate', message: 'Error creating' });
    // The manage loop wrote: no refresh, no rolling update, no history clean-up, generation not observed.
    expect(plan.step.update).toBeUndefined();
    expect(plan.cleanups).toEqual([]);
    expect(plan.status).toMatchObject({ desiredNumberScheduled: 5, currentNumberScheduled: 0, numberUnavailable: 5, updateRevision: plan.hash });
    expect(plan.status.observedGeneration).toBeUndefined();
  });

  it('a created pod: generateName, the revision hash, the default tolerations, pinned to its node, no nodeName', () => {
    const ds = aDaemonSet({ rollingUpdateType: 'InPlaceIfPossible' });
    const plan = planDaemonSetPass({ daemonSet: ds, nodes: [aNode({ name: 'node-1' })], pods: [], revisions: [], now: T0, podNameSuffixes: ['x7k2p'] });
    const [pod] = createdPods(plan.effects);
    expect(pod?.metadata).toEqual({
      name: 'agent-x7k2p',
      generateName: 'agent-',
      namespace: 'default',
      labels: { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: plan.hash },
      ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod?.spec).toEqual({
      containers: [{ name: 'main', image: 'nginx:1' }],
      tolerations: DAEMON_POD_DEFAULT_TOLERATIONS,
      readinessGates: [{ conditionType: INPLACE_UPDATE_READY_CONDITION }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] } } },
    });
  });

  it('draws another suffix when a name is taken; derives suffixes from the set, node and time without any', () => {
    const ds = aDaemonSet();
    const taken = dsPod(ds, { name: 'agent-aaaaa', node: 'elsewhere', hash: 'x' });
    const drawn = planDaemonSetPass({ daemonSet: ds, nodes: [aNode({ name: 'node-1' })], pods: [{ ...taken, metadata: { ...taken.metadata, ownerReferences: [] , labels: {} } }], revisions: [], now: T0, podNameSuffixes: ['aaaaa', 'bbbbb'] });
    expect(createdPods(drawn.effects).map((p) => p.metadata.name)).toEqual(['agent-bbbbb']);
    const derived = planDaemonSetPass({ daemonSet: ds, nodes: [aNode({ name: 'node-1' }), aNode({ name: 'node-2' })], pods: [], revisions: [], now: T0 });
    const names = createdPods(derived.effects).map((p) => p.metadata.name ?? '');
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(createdPods(planDaemonSetPass({ daemonSet: ds, nodes: [aNode({ name: 'node-1' }), aNode({ name: 'node-2' })], pods: [], revisions: [], now: T0 }).effects).map((p) => p.metadata.name)).toEqual(names);
  });

  it('adopts orphans its selector matches and releases pods it no longer matches, in the prelude after the revision', () => {
    const ds = aDaemonSet();
    const revision = storedRevision(ds);
    const hash = revisionHash(revision);
    const orphan = dsPod(ds, { name: 'orphan', node: 'node-00', hash });
    const strayed = dsPod(ds, { name: 'strayed', node: 'node-01', hash, labels: { app: 'other' } });
    const plan = planDaemonSetPass({ daemonSet: ds, nodes: zoneNodes(2), pods: [{ ...orphan, metadata: { ...orphan.metadata, ownerReferences: [] } }, strayed], revisions: [revision], now: T0 });
    expect(plan.prelude.flat().map(label)).toEqual(['adopt-pod orphan', 'release-pod strayed']);
    // The adopted pod counts; the released one does not: node-01 gets a pod.
    expect(plan.step.manage?.actions.map((a) => `${a.kind} ${a.node}`)).toEqual(['create node-01']);
  });

  it('paused: pods are still created for new nodes, but no rolling update', () => {
    const sim = converge(startSimulation({ maxUnavailable: 2, paused: true }, zoneNodes(3)));
    const grown = { ...sim, nodes: zoneNodes(4), daemonSet: withImage(sim.daemonSet, 'nginx:2') };
    const first = simulateDaemonSetPass(grown, { now: at(10) });
    expect(first.plan.step.stage).toBe('manage');
    const second = simulateDaemonSetPass(settle(first.next, at(10)), { now: at(11) });
    expect(second.plan.step.stage).toBe('paused');
    expect(second.plan.effects).toEqual([]);
    expect(second.plan.status).toMatchObject({ desiredNumberScheduled: 4, updatedNumberScheduled: 1, observedGeneration: 2 });
  });

  it('OnDelete: no rolling update; a pod deleted by hand comes back at the new revision', () => {
    const sim = converge(startSimulation({ updateType: 'OnDelete' }, zoneNodes(3)));
    const changed = { ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') };
    const pass = simulateDaemonSetPass(changed, { now: at(10) });
    expect(pass.plan.step.stage).toBe('on-delete');
    expect(pass.plan.effects).toEqual([]);
    const deleted = withDaemonPods(pass.next, (pods) => pods.filter((p) => p.spec.nodeName !== 'node-02'));
    const recreated = simulateDaemonSetPass(deleted, { now: at(11) });
    expect(createdPods(recreated.plan.effects).map((p) => [p.spec.containers[0]?.image, p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]])).toEqual([['nginx:2', recreated.plan.hash]]);
  });

  it('a node added gets a pod; a node relabelled out loses its pod; a cordoned node keeps its pod', () => {
    const nodes = zoneNodes(3);
    const sim = converge(startSimulation({}, nodes));
    const selecting = { ...sim, daemonSet: { ...sim.daemonSet, spec: { ...sim.daemonSet.spec, template: { ...sim.daemonSet.spec.template, spec: { ...sim.daemonSet.spec.template.spec, nodeSelector: { role: 'agent' } } } } } };
    const labelled = zoneNodes(4, (n, i) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, ...(i === 1 ? {} : { role: 'agent' }) } }, ...(i === 2 ? { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const }] } } : {}) }));
    const pass = simulateDaemonSetPass({ ...selecting, nodes: labelled }, { now: at(100) });
    expect(pass.plan.step.manage?.actions.map((a) => `${a.kind} ${a.node} ${'reason' in a ? a.reason : ''}`)).toEqual(['delete node-01 node-not-eligible', 'create node-03 node-needs-pod']);
  });
});

describe('planDaemonSetPass: refresh, history, status', () => {
  it('refreshes a pod whose in-place update completed: InPlaceUpdateReady True', () => {
    const sim = converge(startSimulation({ maxUnavailable: 1, rollingUpdateType: 'InPlaceIfPossible' }, zoneNodes(2)));
    const started = simulateDaemonSetPass({ ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') }, { now: at(100) });
    expect(started.plan.step.update?.actions.map((a) => a.kind)).toEqual(['in-place']);
    // The kubelet restarts the container with the new image; the gate keeps the pod not ready.
    const restarted = withDaemonPods(started.next, (pods) =>
      pods.map((p) => (p.spec.containers[0]?.image === 'nginx:2' ? { ...p, status: { ...p.status, containerStatuses: [{ name: 'main', image: 'nginx:2', imageID: 'nginx:2@sha256:1', ready: true }] } } : p)),
    );
    const refreshed = simulateDaemonSetPass(restarted, { now: at(101) });
    expect(refreshed.plan.step.refresh?.map((r) => r.plan.kind)).toEqual(['update-status']);
    expect(refreshed.plan.effects[0]?.map(label)).toEqual(['patch-pod-status agent-' + (refreshed.plan.step.refresh?.[0]?.pod.slice('agent-'.length) ?? '')]);
  });

  it('deletes the oldest old revisions beyond revisionHistoryLimit, never one a pod uses', () => {
    let sim = converge(startSimulation({ maxUnavailable: 3, revisionHistoryLimit: 1, partition: 1 }, zoneNodes(3)));
    for (const [i, image] of ['nginx:2', 'nginx:3', 'nginx:4'].entries()) sim = converge({ ...sim, daemonSet: withImage(sim.daemonSet, image) }, at(100 * (i + 1)));
    // node-00 keeps its nginx:1 pod (partition 1): its revision stays, with the newest old one.
    const images = sim.world.revisions.map((r) => JSON.stringify(r.data).match(/nginx:\d/)?.[0]).sort();
    expect(images).toEqual(['nginx:1', 'nginx:4']);
  });

  it('a rollback renumbers the older equal revision instead of creating one', () => {
    const sim = converge(startSimulation({ maxUnavailable: 3 }, zoneNodes(3)));
    const v2 = converge({ ...sim, daemonSet: withImage(sim.daemonSet, 'nginx:2') }, at(100));
    const back = simulateDaemonSetPass({ ...v2, daemonSet: withImage(v2.daemonSet, 'nginx:1') }, { now: at(200) });
    expect(back.plan.prelude.flat().map((e) => (e.kind === 'renumber-revision' ? `${e.kind} ${String(e.from)}→${String(e.to)}` : e.kind))).toEqual(['renumber-revision 1→3']);
  });

  it('while expectations are unsatisfied: the counts as they are, observedGeneration kept; the stored status when nothing changed', () => {
    const sim = converge(startSimulation({}, zoneNodes(3)));
    const snapshot = { daemonSet: sim.daemonSet, nodes: sim.nodes, pods: sim.world.pods, revisions: sim.world.revisions, now: at(100) };
    expect(daemonSetStatusWhileWaiting(snapshot)).toBe(sim.daemonSet.status);
    // A node added and the set's spec changed (generation 2): only the counts move.
    const changed = { ...snapshot, daemonSet: withImage(sim.daemonSet, 'nginx:2'), nodes: zoneNodes(4) };
    expect(daemonSetStatusWhileWaiting(changed)).toMatchObject({ desiredNumberScheduled: 4, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 0, numberUnavailable: 1, observedGeneration: 1 });
    const emptySelector = { ...changed, daemonSet: { ...changed.daemonSet, spec: { ...changed.daemonSet.spec, selector: {} } } };
    expect(daemonSetStatusWhileWaiting(emptySelector)).toBe(sim.daemonSet.status);
  });

  it('keeps the stored status when nothing OpenKruise compares changed', () => {
    const sim = converge(startSimulation({}, zoneNodes(3)));
    const plan = planDaemonSetPass({ daemonSet: sim.daemonSet, nodes: sim.nodes, pods: sim.world.pods, revisions: sim.world.revisions, now: at(100) });
    expect(plan.status).toBe(sim.daemonSet.status);
  });

  it('asks to come back after minReadySeconds while ready pods are not yet available', () => {
    const sim = startSimulation({ minReadySeconds: 30 }, zoneNodes(2));
    const first = simulateDaemonSetPass(sim, { now: T0 });
    const ready = withDaemonPods(settle(first.next, T0), (pods) => becomeReady(pods, T0));
    const plan = simulateDaemonSetPass(ready, { now: at(5) }).plan;
    expect(plan.status).toMatchObject({ numberReady: 2, numberAvailable: 0 });
    expect(plan.requeueAfterMs).toBe(30_000);
  });
});
