import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../api/daemonSet.js';
import { LIFECYCLE_STATE_LABEL } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { aDaemonSet, at, T0, type DaemonSetOptions } from '../testing/index.js';
import { dsPod, storedRevision, zoneNodes } from './daemonset.testkit.js';
import { revisionHash } from './daemonSetHistory.js';
import { failedPodsBackoffKey, type FailedPodsBackoff } from './failedPodsBackoff.js';
import { nodesGettingPods, type ManageAction } from './planDaemonSetManage.js';
import { planDaemonSetPass } from './planDaemonSetPass.js';
import { pinnedAffinity } from '../shared/nodePinning.js';

const HOLD = { preDelete: { finalizersHandler: ['example.com/hold'] } };

function describeAction(action: ManageAction): string {
  switch (action.kind) {
    case 'create':
      return `create ${action.node} ${action.reason}`;
    case 'delete':
      return `delete ${action.pod.metadata.name ?? ''} ${action.reason}`;
    case 'failed-pod-backoff':
      return `backoff ${action.pod.metadata.name ?? ''} ${String(action.delayMs)}`;
    case 'wait-new-pod-available':
      return `wait ${action.pod.metadata.name ?? ''} ${String(action.waitMs)}`;
  }
}

interface Scene {
  readonly ds?: DaemonSetOptions;
  readonly nodes?: (node: Node, index: number) => Node;
  readonly nodeCount?: number;
  readonly pods?: (ds: DaemonSet, hash: string) => Pod[];
  readonly backoff?: (ds: DaemonSet) => FailedPodsBackoff;
  readonly spec?: (ds: DaemonSet) => DaemonSet;
}

function manage(scene: Scene) {
  const base = aDaemonSet(scene.ds);
  const ds = scene.spec?.(base) ?? base;
  const revision = storedRevision(ds);
  const hash = revisionHash(revision);
  const plan = planDaemonSetPass({
    daemonSet: ds,
    nodes: zoneNodes(scene.nodeCount ?? 2, scene.nodes),
    pods: scene.pods?.(ds, hash) ?? [],
    revisions: [revision],
    now: T0,
    ...(scene.backoff === undefined ? {} : { failedPodsBackoff: scene.backoff(ds) }),
  });
  const manage = plan.step.manage;
  if (manage === undefined) throw new Error('no manage step');
  const writes = [
    ...manage.sync.prepareDelete.map((p) => `prepare-delete ${p.pod.metadata.name ?? ''}`),
    ...manage.sync.create.map((c) => `create ${c.node}`),
    ...manage.sync.delete.map((d) => `delete ${d.pod.metadata.name ?? ''}`),
  ];
  return { plan, manage, actions: manage.actions.map(describeAction), writes };
}

const onNode = (node: string, extra: Partial<Parameters<typeof dsPod>[1]> = {}) => (ds: DaemonSet, hash: string) => [dsPod(ds, { name: `agent-${node.slice(-2)}`, node, hash, ...extra })];
const both = (...makers: ((ds: DaemonSet, hash: string) => Pod[])[]) => (ds: DaemonSet, hash: string) => makers.flatMap((m) => m(ds, hash));
const taintNode = (which: number, effect: 'NoSchedule' | 'NoExecute') => (node: Node, i: number): Node => (i === which ? { ...node, spec: { taints: [{ key: 'dedicated', value: 'x', effect }] } } : node);
const phase = (pod: Pod, value: 'Failed'): Pod => ({ ...pod, status: { ...pod.status, phase: value } });
const state = (pod: Pod, value: string): Pod => ({ ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, [LIFECYCLE_STATE_LABEL]: value } } });

describe('planDaemonSetManage (through the pass)', () => {
  it.each<readonly [story: string, scene: Scene, actions: readonly string[], writes: readonly string[]]>([
    ['an eligible node without a pod gets one', { pods: onNode('node-00') }, ['create node-01 node-needs-pod'], ['create node-01']],
    ['a node relabelled out of the nodeSelector loses its pod', { spec: (ds) => ({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, nodeSelector: { zone: 'a' } } } } }), pods: both(onNode('node-00'), onNode('node-01')) }, ['delete agent-01 node-not-eligible'], ['delete agent-01']],
    ['a NoSchedule taint keeps the running pod', { nodes: taintNode(1, 'NoSchedule'), pods: both(onNode('node-00'), onNode('node-01')) }, [], []],
    ['a NoSchedule taint on a node without a pod: none created', { nodes: taintNode(1, 'NoSchedule'), pods: onNode('node-00') }, [], []],
    ['a NoExecute taint removes the pod', { nodes: taintNode(1, 'NoExecute'), pods: both(onNode('node-00'), onNode('node-01')) }, ['delete agent-01 node-not-eligible'], ['delete agent-01']],
    ['a terminating pod on an ineligible node is left to finish', { nodes: taintNode(1, 'NoExecute'), pods: both(onNode('node-00'), onNode('node-01', { phase: 'terminating' })) }, [], []],
    [
      'a Failed pod is deleted; the manage loop creates the next one a pass later',
      { pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed'))) },
      ['delete agent-01 failed-pod'],
      ['delete agent-01'],
    ],
    [
      'a Failed pod within its node back-off waits',
      { pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed'))), backoff: (ds) => new Map([[failedPodsBackoffKey(ds, 'node-01'), { backoffMs: 4000, lastUpdateMs: T0 - 1000 }]]) },
      ['backoff agent-01 4000'],
      [],
    ],
    ['a PreparingDelete pod is deleted', { pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => state(p, 'PreparingDelete'))) }, ['delete agent-01 preparing-delete'], ['delete agent-01']],
    [
      'two running pods without surge: the oldest stays',
      { pods: both(onNode('node-00'), onNode('node-01', { createdAt: at(-100) }), (ds, hash) => [dsPod(ds, { name: 'agent-01b', node: 'node-01', hash, createdAt: at(-10) })]) },
      ['delete agent-01b excess-pod'],
      ['delete agent-01b'],
    ],
    [
      'surge: the new pod is available, the old one goes',
      { ds: { maxSurge: 1, maxUnavailable: 0 }, pods: both(onNode('node-00'), onNode('node-01', { hash: 'old' }), (ds, hash) => [dsPod(ds, { name: 'agent-01n', node: 'node-01', hash })]) },
      ['delete agent-01 new-pod-available'],
      ['delete agent-01'],
    ],
    [
      'surge: the old pod is not ready, it goes',
      { ds: { maxSurge: 1, maxUnavailable: 0 }, pods: both(onNode('node-00'), onNode('node-01', { hash: 'old', phase: 'not-ready' }), (ds, hash) => [dsPod(ds, { name: 'agent-01n', node: 'node-01', hash, phase: 'pending' })]) },
      ['delete agent-01 old-pod-not-ready'],
      ['delete agent-01'],
    ],
    [
      'surge: the new pod is ready, not yet available for minReadySeconds: wait',
      { ds: { maxSurge: 1, maxUnavailable: 0, minReadySeconds: 30 }, pods: both(onNode('node-00', { readySince: at(-60) }), onNode('node-01', { hash: 'old', readySince: at(-60) }), (ds, hash) => [dsPod(ds, { name: 'agent-01n', node: 'node-01', hash, readySince: at(-10) })]) },
      ['wait agent-01n 20000'],
      [],
    ],
    [
      'surge: a node whose only pod Failed gets a new pod at once',
      { ds: { maxSurge: 1, maxUnavailable: 0 }, pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed'))) },
      ['delete agent-01 failed-pod', 'create node-01 no-running-pod'],
      ['create node-01', 'delete agent-01'],
    ],
    [
      'an unbound pod pinned to a node that is gone is deleted',
      { pods: both(onNode('node-00'), onNode('node-01'), (ds, hash) => [{ ...dsPod(ds, { name: 'agent-gone', node: 'x', hash, phase: 'pending' }), spec: { containers: [], affinity: pinnedAffinity(undefined, 'node-99') } }]) },
      ['delete agent-gone node-gone'],
      ['delete agent-gone'],
    ],
    ['a bound pod on a node that is gone is left to the pod GC', { pods: both(onNode('node-00'), onNode('node-01'), onNode('node-99')) }, [], []],
    ['partitioned scaling: partition 2 of 6 nodes holds 2 creations', { nodeCount: 6, ds: { partition: 2, partitionedScaling: true } }, ['00', '01', '02', '03', '04', '05'].map((n) => `create node-${n} node-needs-pod`), ['create node-00', 'create node-01', 'create node-02', 'create node-03']],
    ['a partition without partitioned scaling creates on every node', { nodeCount: 3, ds: { partition: 2 } }, ['create node-00 node-needs-pod', 'create node-01 node-needs-pod', 'create node-02 node-needs-pod'], ['create node-00', 'create node-01', 'create node-02']],
    [
      'burstReplicas 2: 2 creations this pass',
      { nodeCount: 4, ds: { burstReplicas: 2 } },
      ['create node-00 node-needs-pod', 'create node-01 node-needs-pod', 'create node-02 node-needs-pod', 'create node-03 node-needs-pod'],
      ['create node-00', 'create node-01'],
    ],
    [
      'burstReplicas 50% of the stored desiredNumberScheduled 4: 2 creations',
      { nodeCount: 4, ds: { burstReplicas: '50%', status: { desiredNumberScheduled: 4 } } },
      ['create node-00 node-needs-pod', 'create node-01 node-needs-pod', 'create node-02 node-needs-pod', 'create node-03 node-needs-pod'],
      ['create node-00', 'create node-01'],
    ],
    [
      'preDelete hook: the pod moves to PreparingDelete instead of being deleted',
      { ds: { lifecycle: HOLD }, nodes: taintNode(1, 'NoExecute'), pods: both(onNode('node-00'), onNode('node-01', { finalizers: ['example.com/hold'] })) },
      ['delete agent-01 node-not-eligible'],
      ['prepare-delete agent-01'],
    ],
    [
      'preDelete hook still on a PreparingDelete pod: nothing to write',
      { ds: { lifecycle: HOLD }, pods: both(onNode('node-00'), (ds, hash) => onNode('node-01', { finalizers: ['example.com/hold'] })(ds, hash).map((p) => state(p, 'PreparingDelete'))) },
      ['delete agent-01 preparing-delete'],
      [],
    ],
    [
      'preDelete hook released on a PreparingDelete pod: deleted',
      { ds: { lifecycle: HOLD }, pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => state(p, 'PreparingDelete'))) },
      ['delete agent-01 preparing-delete'],
      ['delete agent-01'],
    ],
  ])('%s', (_story, scene, actions, writes) => {
    const result = manage(scene);
    expect(result.actions).toEqual(actions);
    expect(result.writes).toEqual(writes);
  });

  it('a deleted Failed pod records a FailedDaemonPod event and starts the node back-off at 1 s', () => {
    const { plan, manage: step } = manage({ pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed'))) });
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'FailedDaemonPod', message: 'Found failed daemon pod default/agent-01 on node node-01, will try to kill it' }]);
    expect(step.backoff).toEqual([{ key: 'uid-agent/0/node-01', entry: { backoffMs: 1000, lastUpdateMs: T0 } }]);
    expect(plan.failedPodsBackoff).toEqual(step.backoff);
  });

  it('a Failed pod in back-off asks to come back after the back-off', () => {
    const { plan } = manage({ pods: both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed'))), backoff: (ds) => new Map([[failedPodsBackoffKey(ds, 'node-01'), { backoffMs: 4000, lastUpdateMs: T0 - 1000 }]]) });
    expect(plan.requeueAfterMs).toBe(4000);
    expect(plan.events).toEqual([]);
  });

  it('an expired back-off starts again at 1 s; a recent one doubles', () => {
    const failed = both(onNode('node-00'), (ds, hash) => onNode('node-01')(ds, hash).map((p) => phase(p, 'Failed')));
    const doubled = manage({ pods: failed, backoff: (ds) => new Map([[failedPodsBackoffKey(ds, 'node-01'), { backoffMs: 4000, lastUpdateMs: T0 - 5000 }]]) });
    expect(doubled.manage.backoff[0]?.entry.backoffMs).toBe(8000);
    const expired = manage({ pods: failed, backoff: (ds) => new Map([[failedPodsBackoffKey(ds, 'node-01'), { backoffMs: 4000, lastUpdateMs: T0 - 31 * 60_000 }]]) });
    expect(expired.manage.backoff[0]?.entry.backoffMs).toBe(1000);
  });
});

describe('nodesGettingPods', () => {
  const needing = ['n3', 'n1', 'n2', 'n0', 'n4'].map((node) => ({ node }));
  it.each([
    ['not partitioned: every node, by name', 0, 10, 3, false, ['n0', 'n1', 'n2', 'n3', 'n4']],
    ['partitioned: desired 10, 4 updated, partition 3 → 3', 4, 10, 3, true, ['n0', 'n1', 'n2']],
    ['partitioned: the partition above desired is cut to desired → none', 0, 5, 9, true, []],
    ['partitioned: room beyond the needing nodes → all of them', 0, 20, 1, true, ['n0', 'n1', 'n2', 'n3', 'n4']],
  ])('%s', (_story, updated, desired, partition, partitioned, expected) => {
    expect(nodesGettingPods(needing, updated, desired, partition, partitioned).map((n) => n.node)).toEqual(expected);
  });
});
