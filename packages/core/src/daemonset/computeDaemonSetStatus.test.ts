import { describe, expect, it } from 'vitest';
import type { DaemonSet, DaemonSetStatus } from '../api/daemonSet.js';
import type { Pod } from '../api/pod.js';
import { aDaemonSet, aNode, at, T0 } from '../testing/index.js';
import { dsPod } from './daemonset.testkit.js';
import { daemonPodPlacement, nodeShouldRunDaemonPod } from './daemonSetNodes.js';
import { computeDaemonSetStatus, isDaemonSetStatusChanged } from './computeDaemonSetStatus.js';
import type { DaemonNode } from './planDaemonSetManage.js';

const ds = aDaemonSet({ minReadySeconds: 10 });
const H = 'h2';

/** Nodes n0.. eligible unless named in `ineligible` (tainted NoSchedule), with the pods given per node. */
function nodes(pods: readonly (readonly Pod[] | undefined)[], ineligible: readonly number[] = []): DaemonNode[] {
  const placement = daemonPodPlacement(ds.spec.template.spec);
  return pods.map((own, i) => {
    const node = aNode({ name: `n${String(i)}`, ...(ineligible.includes(i) ? { taints: [{ key: 'x', effect: 'NoSchedule' as const }] } : {}) });
    return { name: `n${String(i)}`, node, eligibility: nodeShouldRunDaemonPod(node, placement), pods: own };
  });
}
const pod = (name: string, extra: Partial<Parameters<typeof dsPod>[1]> = {}): Pod => dsPod(ds, { name, node: 'n', hash: H, readySince: at(-60), ...extra });

describe('computeDaemonSetStatus', () => {
  it.each<readonly [story: string, entries: DaemonNode[], expected: Partial<DaemonSetStatus>]>([
    ['no nodes', nodes([]), { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 }],
    [
      '3 eligible nodes, 2 ready updated pods, 1 node without a pod',
      nodes([[pod('a')], [pod('b')], undefined]),
      { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 1, numberMisscheduled: 0 },
    ],
    ['a pod on a node that should not run it is misscheduled', nodes([[pod('a')], [pod('b')]], [1]), { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 }],
    ['ready but not yet available for minReadySeconds', nodes([[pod('a', { readySince: at(-5) })]]), { numberReady: 1, numberAvailable: 0, numberUnavailable: 1 }],
    ['a pod at the old revision counts as scheduled, not updated', nodes([[pod('a', { hash: 'h1' })]]), { currentNumberScheduled: 1, updatedNumberScheduled: 0, numberAvailable: 1 }],
    ['a pending pod counts as scheduled, not ready', nodes([[pod('a', { phase: 'pending' })]]), { currentNumberScheduled: 1, numberReady: 0, numberUnavailable: 1 }],
    ['in-place gate False: ready but not available', nodes([[pod('a', { inPlaceUpdateReady: false })]]), { numberReady: 1, numberAvailable: 0 }],
    [
      'two pods on a node: the oldest one is read (an old ready one, a newer pending one)',
      nodes([[pod('new', { phase: 'pending', createdAt: at(-1) }), pod('old', { hash: 'h1', createdAt: at(-100) })]]),
      { currentNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 0 },
    ],
    ['a terminating pod still counts as scheduled', nodes([[pod('a', { phase: 'terminating' })]]), { currentNumberScheduled: 1, numberReady: 1 }],
  ])('%s', (_story, entries, expected) => {
    const { status } = computeDaemonSetStatus({ daemonSet: ds, nodes: entries, hash: H, templateGeneration: undefined, minReadySeconds: 10, now: T0, observeGeneration: true });
    expect(status).toMatchObject({ ...expected, updateRevision: H, observedGeneration: 1 });
  });

  it('asks to come back after minReadySeconds while some ready pods are not yet available', () => {
    const entries = nodes([[pod('a', { readySince: at(-5) })]]);
    expect(computeDaemonSetStatus({ daemonSet: ds, nodes: entries, hash: H, templateGeneration: undefined, minReadySeconds: 10, now: T0, observeGeneration: true }).requeueAfterMs).toBe(10_000);
    expect(computeDaemonSetStatus({ daemonSet: ds, nodes: nodes([[pod('a')]]), hash: H, templateGeneration: undefined, minReadySeconds: 10, now: T0, observeGeneration: true }).requeueAfterMs).toBeUndefined();
  });

  it('keeps the stored observedGeneration when told not to observe the generation', () => {
    const stored: DaemonSet = { ...ds, metadata: { ...ds.metadata, generation: 3 }, status: { observedGeneration: 2, collisionCount: 1 } };
    const { status } = computeDaemonSetStatus({ daemonSet: stored, nodes: nodes([]), hash: H, templateGeneration: undefined, minReadySeconds: 0, now: T0, observeGeneration: false });
    expect(status).toMatchObject({ observedGeneration: 2, collisionCount: 1 });
  });
});

describe('isDaemonSetStatusChanged (storeDaemonSetStatus)', () => {
  const counts = { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 0, updateRevision: H };
  const stored = (status: DaemonSetStatus, generation = 1): DaemonSet => ({ ...ds, metadata: { ...ds.metadata, generation }, status });
  it.each([
    ['the same counts, generation observed, same hash: nothing to write', stored({ ...counts, observedGeneration: 1 }), false],
    ['one count differs', stored({ ...counts, numberReady: 1, observedGeneration: 1 }), true],
    ['the generation is not observed yet', stored({ ...counts, observedGeneration: 1 }, 2), true],
    ['another hash', stored({ ...counts, updateRevision: 'h1', observedGeneration: 1 }), true],
    ['no stored status', stored({}), true],
  ])('%s', (_story, set, changed) => {
    expect(isDaemonSetStatusChanged(set, { ...counts, observedGeneration: 1 })).toBe(changed);
  });
});
