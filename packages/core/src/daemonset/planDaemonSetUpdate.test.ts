import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../api/daemonSet.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { isPodAvailable, isPodTerminating } from '../shared/podState.js';
import { aDaemonSet, at, T0, type DaemonSetOptions } from '../testing/index.js';
import { converge, dsPod, hashOf, startSimulation, storedRevision, withImage, zoneNodes } from './daemonset.testkit.js';
import { revisionHash } from './daemonSetHistory.js';
import type { DaemonSetUpdateAction } from './planDaemonSetUpdate.js';
import { planDaemonSetPass } from './planDaemonSetPass.js';

function describeAction(action: DaemonSetUpdateAction): string {
  switch (action.kind) {
    case 'in-place':
      return `in-place ${action.node} ${action.why}`;
    case 'recreate':
      return `recreate ${action.node} ${action.why} ${action.recreate}`;
    case 'held':
      return `held ${action.node} ${action.reason}`;
    case 'surge':
      return `surge ${action.node} ${action.why}`;
    case 'retire-old':
      return `retire-old ${action.node}`;
  }
}

interface Scene {
  readonly ds?: DaemonSetOptions;
  readonly nodeCount?: number;
  readonly nodes?: (node: Node, index: number) => Node;
  /** The new template (default: image nginx:2). */
  readonly change?: (ds: DaemonSet) => DaemonSet;
  /** Pod of node i (default: ready at the old hash, in-place gate when InPlaceIfPossible). */
  readonly pod?: (ds: DaemonSet, node: string, i: number, hashes: { old: string; new: string }) => Pod | readonly Pod[] | undefined;
}

function update(scene: Scene) {
  const v1 = aDaemonSet(scene.ds);
  const r1 = storedRevision(v1);
  const v2 = scene.change?.(v1) ?? withImage(v1, 'nginx:2');
  const r2 = storedRevision(v2, [r1]);
  const hashes = { old: revisionHash(r1), new: revisionHash(r2) };
  const nodes = zoneNodes(scene.nodeCount ?? 10, scene.nodes);
  const gate = scene.ds?.rollingUpdateType === 'InPlaceIfPossible';
  const defaultPod = (ds: DaemonSet, node: string) => dsPod(ds, { name: `agent-${node.slice(-2)}`, node, hash: hashes.old, ...(gate ? { inPlaceUpdateReady: true } : {}) });
  const pods = nodes.flatMap((n, i): Pod[] => {
    const name = n.metadata.name ?? '';
    const pod: Pod | readonly Pod[] | undefined = scene.pod === undefined ? defaultPod(v2, name) : scene.pod(v2, name, i, hashes);
    if (pod === undefined) return [];
    return 'metadata' in pod ? [pod] : [...pod];
  });
  const plan = planDaemonSetPass({ daemonSet: v2, nodes, pods, revisions: [r1, r2], now: T0 });
  return { plan, hashes, actions: (plan.step.update?.actions ?? []).map(describeAction) };
}

const last = (n: number, count: number) => Array.from({ length: count }, (_, i) => `node-${String(n - i).padStart(2, '0')}`);

describe('planDaemonSetRollingUpdate (through the pass)', () => {
  it.each<readonly [story: string, scene: Scene, actions: readonly string[]]>([
    ['maxUnavailable 2, partition 3, 10 ready nodes: the two highest nodes first', { ds: { maxUnavailable: 2, partition: 3 } }, last(9, 2).map((n) => `recreate ${n} within-max-unavailable recreate-policy`)],
    [
      'an old pod that is not available is replaced whatever the budget',
      { ds: { maxUnavailable: 1 }, pod: (ds, node, i, h) => dsPod(ds, { name: `agent-${String(i)}`, node, hash: h.old, phase: i === 5 ? 'not-ready' : 'ready' }) },
      ['recreate node-05 old-pod-unavailable recreate-policy', 'recreate node-09 within-max-unavailable recreate-policy'],
    ],
    [
      'new pods not yet available and nodes without a pod use up maxUnavailable',
      { ds: { maxUnavailable: 2 }, pod: (ds, node, i, h) => (i === 8 ? undefined : dsPod(ds, { name: `agent-${String(i)}`, node, hash: i === 9 ? h.new : h.old, phase: i === 9 ? 'pending' : 'ready' })) },
      [],
    ],
    ['maxUnavailable 30% of 10 nodes rounds up to 3', { ds: { maxUnavailable: '30%' } }, last(9, 3).map((n) => `recreate ${n} within-max-unavailable recreate-policy`)],
    ['a partition of every node updates nothing', { ds: { maxUnavailable: 2, partition: 10 } }, []],
    ['partition 50% of 10 nodes keeps 5', { ds: { maxUnavailable: 10, partition: '50%' } }, last(9, 5).map((n) => `recreate ${n} within-max-unavailable recreate-policy`)],
    [
      'update selector on zone a: only zone a nodes, highest first',
      { ds: { maxUnavailable: 10, nodeSelector: { matchLabels: { zone: 'a' } } } },
      ['node-09', 'node-06', 'node-03', 'node-00'].map((n) => `recreate ${n} within-max-unavailable recreate-policy`),
    ],
    ['maxSurge 1: one new pod next to an old one', { ds: { maxSurge: 1, maxUnavailable: 0 } }, ['surge node-09 within-max-surge']],
    [
      'maxSurge 1: a new pod at once next to an old pod that is not available, and one within the budget',
      { ds: { maxSurge: 1, maxUnavailable: 0 }, pod: (ds, node, i, h) => dsPod(ds, { name: `agent-${String(i)}`, node, hash: h.old, phase: i === 2 ? 'not-ready' : 'ready' }) },
      ['surge node-02 old-pod-unavailable', 'surge node-09 within-max-surge'],
    ],
    [
      'maxSurge 1: a new pod still starting uses up the surge',
      {
        ds: { maxSurge: 1, maxUnavailable: 0 },
        nodeCount: 3,
        pod: (ds, node, i, h) => [
          dsPod(ds, { name: `agent-${String(i)}`, node, hash: h.old }),
          ...(i === 0 ? [dsPod(ds, { name: 'agent-new', node, hash: h.new, phase: 'pending' })] : []),
        ],
      },
      [],
    ],
    ['InPlaceIfPossible, only the image changed: in place', { ds: { maxUnavailable: 2, rollingUpdateType: 'InPlaceIfPossible' } }, last(9, 2).map((n) => `in-place ${n} within-max-unavailable`)],
    [
      'InPlaceIfPossible, the command changed too: recreated',
      { ds: { maxUnavailable: 1, rollingUpdateType: 'InPlaceIfPossible' }, change: (ds) => withImage({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: ds.spec.template.spec.containers.map((c) => ({ ...c, command: ['run'] })) } } } }, 'nginx:2') },
      ['recreate node-09 within-max-unavailable spec-changed'],
    ],
    [
      'InPlaceIfPossible, a pod without the InPlaceUpdateReady readiness gate: recreated',
      { ds: { maxUnavailable: 1, rollingUpdateType: 'InPlaceIfPossible' }, pod: (ds, node, i, h) => dsPod(ds, { name: `agent-${String(i)}`, node, hash: h.old }) },
      ['recreate node-09 within-max-unavailable no-in-place-readiness-gate'],
    ],
    [
      'InPlaceIfPossible, a pod at a revision the set no longer has: recreated',
      { ds: { maxUnavailable: 1, rollingUpdateType: 'InPlaceIfPossible' }, pod: (ds, node, i) => dsPod(ds, { name: `agent-${String(i)}`, node, hash: 'gone', inPlaceUpdateReady: true }) },
      ['recreate node-09 within-max-unavailable old-revision-not-found'],
    ],
    [
      'InPlaceIfPossible beyond burstReplicas: the rest wait for a later pass',
      { ds: { maxUnavailable: 3, rollingUpdateType: 'InPlaceIfPossible', burstReplicas: 1 } },
      ['in-place node-09 within-max-unavailable', 'held node-08 burst-replicas', 'held node-07 burst-replicas'],
    ],
  ])('%s', (_story, scene, actions) => {
    expect(update(scene).actions).toEqual(actions);
  });

  it('an in-place update writes InPlaceUpdateReady=False, then the image and the hash label, with the DaemonSet events', () => {
    const { plan, hashes } = update({ ds: { maxUnavailable: 1, rollingUpdateType: 'InPlaceIfPossible' } });
    const [status, patch] = plan.effects.map((w) => w[0]);
    expect(status).toMatchObject({ kind: 'patch-pod-status', target: { name: 'agent-09' }, conditions: [{ type: 'InPlaceUpdateReady', status: 'False' }] });
    expect(patch).toMatchObject({
      kind: 'patch-pod',
      target: { name: 'agent-09' },
      patch: { metadata: { labels: { 'controller-revision-hash': hashes.new } }, spec: { containers: [{ name: 'main', image: 'nginx:2' }] } },
      events: { success: { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: 'successfully update pod agent-09 in-place' }, failure: { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: `failed to update pod agent-09 in-place(revision agent-${hashes.new})` } },
    });
    expect(patch?.kind === 'patch-pod' ? (patch.patch.metadata?.labels ?? {}) : {}).not.toHaveProperty('lifecycle.apps.kruise.io/state');
  });

  it('a recreate deletes the old pod with the SuccessfulDelete event', () => {
    const { plan } = update({ ds: { maxUnavailable: 1 } });
    expect(plan.effects).toEqual([[{ kind: 'delete-pod', target: { namespace: 'default', name: 'agent-09', uid: 'uid-agent-09' }, reason: 'recreate-recreate-policy', events: { success: { type: 'Normal', reason: 'SuccessfulDelete', message: 'Deleted pod: agent-09' }, failure: { type: 'Warning', reason: 'FailedDelete', message: 'Error deleting' } } }]]);
  });
});

/** Nodes whose pod is missing, not available or terminating, among those that should run it. */
function unavailableNodes(pods: readonly Pod[], nodes: readonly string[], now: number): string[] {
  return nodes.filter((node) => !pods.some((p) => p.spec.nodeName === node && !isPodTerminating(p) && isPodAvailable(p, 0, now)));
}

describe('rolling updates to convergence', () => {
  const nodes = zoneNodes(10);
  const names = nodes.map((n) => n.metadata.name ?? '');

  function ready(options: DaemonSetOptions) {
    return converge(startSimulation(options, nodes), at(0));
  }

  it('maxUnavailable 2 and partition 3 over 10 nodes: 7 updated (the highest names), never more than 2 unavailable', () => {
    const start = ready({ maxUnavailable: 2, partition: 3 });
    let worst = 0;
    const done = converge({ ...start, daemonSet: withImage(start.daemonSet, 'nginx:2') }, at(100), (pass) => {
      worst = Math.max(worst, unavailableNodes(pass.next.world.pods, names, at(100)).length);
    });
    const updated = done.world.pods.filter((p) => p.spec.containers[0]?.image === 'nginx:2').map((p) => p.spec.nodeName ?? '').sort();
    expect(updated).toEqual(last(9, 7).sort());
    expect(done.daemonSet.status).toMatchObject({ desiredNumberScheduled: 10, updatedNumberScheduled: 7, numberAvailable: 10, observedGeneration: 2 });
    expect(worst).toBeLessThanOrEqual(2);
    expect(worst).toBeGreaterThan(0);
  });

  it('maxSurge 1: never fewer than the desired number available, one pod per node at the end', () => {
    const start = ready({ maxSurge: 1, maxUnavailable: 0 });
    let most = 0;
    const done = converge({ ...start, daemonSet: withImage(start.daemonSet, 'nginx:2') }, at(100), (pass) => {
      expect(unavailableNodes(pass.next.world.pods, names, at(200))).toEqual([]);
      most = Math.max(most, pass.next.world.pods.length);
    });
    expect(most).toBe(11);
    expect(done.world.pods.map((p) => p.spec.nodeName).sort()).toEqual(names);
    expect(done.world.pods.every((p) => p.spec.containers[0]?.image === 'nginx:2')).toBe(true);
  });

  it('an update selector on zone a: only zone a updates', () => {
    const start = ready({ maxUnavailable: 2, nodeSelector: { matchLabels: { zone: 'a' } } });
    const done = converge({ ...start, daemonSet: withImage(start.daemonSet, 'nginx:2') }, at(100));
    const zoneA = nodes.filter((n) => n.metadata.labels?.zone === 'a').map((n) => n.metadata.name);
    expect(done.world.pods.filter((p) => p.spec.containers[0]?.image === 'nginx:2').map((p) => p.spec.nodeName).sort()).toEqual(zoneA);
    expect(done.daemonSet.status?.updatedNumberScheduled).toBe(zoneA.length);
  });

  it('InPlaceIfPossible when only the image changed: every pod keeps its uid and name', () => {
    const start = ready({ maxUnavailable: 3, rollingUpdateType: 'InPlaceIfPossible' });
    const before = start.world.pods.map((p) => `${p.metadata.name ?? ''}/${p.metadata.uid ?? ''}`).sort();
    const done = converge({ ...start, daemonSet: withImage(start.daemonSet, 'nginx:2') }, at(100));
    expect(done.world.pods.map((p) => `${p.metadata.name ?? ''}/${p.metadata.uid ?? ''}`).sort()).toEqual(before);
    expect(new Set(done.world.pods.map(hashOf))).toEqual(new Set([done.daemonSet.status?.updateRevision]));
    expect(done.world.pods.every((p) => p.spec.containers[0]?.image === 'nginx:2')).toBe(true);
  });
});
