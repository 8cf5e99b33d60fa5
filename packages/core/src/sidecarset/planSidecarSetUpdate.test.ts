import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { SidecarSet, SidecarSetUpdateStrategy } from '../api/sidecarSet.js';
import { calculatePartitionReplicas, scaledValueFromIntOrPercent } from '../shared/intOrPercent.js';
import { expandScatterTerms, planSidecarSetUpdate } from './planSidecarSetUpdate.js';
import { isSidecarSetPodUpdated, isSidecarSetPodConsistent, isSidecarSetPodReady } from './sidecarSetPodState.js';
import { NOW, webPod } from './sidecarset.testkit.js';
import { upgradePodSidecars } from './upgradePodSidecars.js';

// The factory of OpenKruise's sidecarset_strategy_test.go.
function sidecarSetOf(withoutImage: string, strategy: SidecarSetUpdateStrategy = {}): SidecarSet {
  return {
    metadata: { name: 'test-sidecarset', annotations: { 'kruise.io/sidecarset-hash': 'bbb', 'kruise.io/sidecarset-hash-without-image': withoutImage } },
    spec: { selector: { matchLabels: { app: 'sidecar' } }, containers: [{ name: 'test-sidecar', image: 'test-image:v2' }], updateStrategy: strategy },
  };
}

function factoryPods(count: number, upgraded: number, upgradedAndReady: number): Pod[] {
  const ss = sidecarSetOf('without-aaa');
  return Array.from({ length: count }, (_, i) => {
    const pod = webPod(`pod-${String(i)}`, [{ name: 'nginx', image: 'nginx:1.15.1' }, { name: 'test-sidecar', image: 'test-image:v1' }], {
      labels: { app: 'sidecar' },
      annotations: {
        'kruise.io/sidecarset-hash': '{"test-sidecarset":{"hash":"aaa","sidecarList":["test-sidecar"]}}',
        'kruise.io/sidecarset-hash-without-image': '{"test-sidecarset":{"hash":"without-aaa","sidecarList":["test-sidecar"]}}',
        'kruise.io/sidecarset-injected-list': 'test-sidecarset',
      },
    });
    if (i >= upgraded) return pod;
    const result = upgradePodSidecars(ss, pod, NOW);
    if (result.kind !== 'upgraded') throw new Error('factory');
    if (i >= upgradedAndReady) return result.pod;
    const statuses = result.pod.status?.containerStatuses?.map((s) => (s.name === 'test-sidecar' ? { ...s, image: 'test-image:v2', imageID: 'test-image:v2-id' } : s));
    return { ...result.pod, status: { ...result.pod.status, containerStatuses: statuses } };
  });
}

function counts(ss: SidecarSet, pods: Pod[]): [number, number] {
  const plan = planSidecarSetUpdate(ss, pods, NOW);
  return [plan.decision.kind === 'upgrade' ? plan.decision.upgrades.length : 0, plan.notUpgradable.length];
}

describe('planSidecarSetUpdate (TestGetNextUpgradePods)', () => {
  it.each<[string, [number, number, number], SidecarSetUpdateStrategy, [number, number]]>([
    ['only maxUnavailable(int=10), pods(100, 30, 26)', [100, 30, 26], { maxUnavailable: 10 }, [6, 0]],
    ['only maxUnavailable(10%), pods(1000, 300, 260)', [1000, 300, 260], { maxUnavailable: '10%' }, [60, 0]],
    ['only maxUnavailable(5%), pods(1000, 300, 250)', [1000, 300, 250], { maxUnavailable: '5%' }, [0, 0]],
    ['only maxUnavailable(int=100), pods(100, 30, 27)', [100, 30, 27], { maxUnavailable: 100 }, [70, 0]],
    ['partition(180) maxUnavailable(100), pods(1000, 800, 760)', [1000, 800, 760], { maxUnavailable: 100, partition: 180 }, [20, 0]],
    ['partition(100) maxUnavailable(100), pods(1000, 800, 760)', [1000, 800, 760], { maxUnavailable: 100, partition: 100 }, [60, 0]],
    ['partition(18%) maxUnavailable(100), pods(1000, 800, 760)', [1000, 800, 760], { maxUnavailable: 100, partition: '18%' }, [20, 0]],
    ['partition(10%) maxUnavailable(100), pods(1000, 800, 760)', [1000, 800, 760], { maxUnavailable: 100, partition: '10%' }, [60, 0]],
    ['only maxUnavailable(5%), pods(5, 0, 0)', [5, 0, 0], { maxUnavailable: '5%' }, [1, 0]],
    ['maxUnavailable(5) partition(99%), pods(5, 0, 0)', [5, 0, 0], { maxUnavailable: 5, partition: '99%' }, [1, 0]],
    ['maxUnavailable(5) partition(1%), pods(5, 0, 0)', [5, 0, 0], { maxUnavailable: 5, partition: '1%' }, [4, 0]],
  ])('%s', (_story, [count, upgraded, ready], strategy, expected) => {
    expect(counts(sidecarSetOf('without-aaa', strategy), factoryPods(count, upgraded, ready))).toEqual(expected);
  });

  it('selector(app=test, 30 pods) maxUnavailable(100), pods(1000, 0, 0)', () => {
    const pods = factoryPods(1000, 0, 0).map((p, i) => (i < 30 ? { ...p, metadata: { ...p.metadata, labels: { app: 'sidecar', canary: 'test' } } } : p));
    expect(counts(sidecarSetOf('without-aaa', { maxUnavailable: 100, selector: { matchLabels: { canary: 'test' } } }), pods)).toEqual([30, 0]);
  });

  it('not upgradable sidecarset, maxUnavailable(100), pods(100, 0, 0)', () => {
    expect(counts(sidecarSetOf('without-bbb', { maxUnavailable: 100 }), factoryPods(100, 0, 0))).toEqual([0, 100]);
  });

  it.each<[string, SidecarSetUpdateStrategy, [number, number, number], string]>([
    ['NotUpdate', { type: 'NotUpdate' }, [3, 0, 0], 'not-update'],
    ['everything updated', {}, [3, 3, 3], 'update-complete'],
    ['paused', { paused: true }, [3, 0, 0], 'paused'],
    ['the partition holds the rest', { partition: 2, maxUnavailable: 3 }, [3, 1, 1], 'partition-reached'],
    ['the budget is used', { maxUnavailable: 1 }, [3, 1, 0], 'max-unavailable-reached'],
  ])('idle: %s', (_story, strategy, [count, upgraded, ready], reason) => {
    expect(planSidecarSetUpdate(sidecarSetOf('without-aaa', strategy), factoryPods(count, upgraded, ready), NOW).decision).toEqual({ kind: 'idle', reason });
  });

  it('upgrades the image in place and renews the hash record', () => {
    const plan = planSidecarSetUpdate(sidecarSetOf('without-aaa'), factoryPods(2, 0, 0), NOW);
    const write = plan.decision.kind === 'upgrade' ? plan.decision.upgrades[0] : undefined;
    expect(write?.upgrade).toMatchObject({ kind: 'upgraded', changedContainers: ['test-sidecar'] });
    const pod = write?.upgrade.kind === 'upgraded' ? write.upgrade.pod : undefined;
    expect(pod?.spec.containers.map((c) => c.image)).toEqual(['nginx:1.15.1', 'test-image:v2']);
    expect(pod?.metadata.annotations?.['kruise.io/sidecarset-inplace-update-state']).toBe(
      '{"test-sidecarset":{"revision":"bbb","updateTimestamp":"2025-01-01T00:00:00Z","lastContainerStatuses":{"test-sidecar":{"imageID":"test-image:v1-id"}}}}',
    );
  });
});

describe('expandScatterTerms (TestParseUpdateScatterTerms)', () => {
  it('expands key=* into the values present, in pod order, without duplicates', () => {
    const pods = factoryPods(8, 0, 0).map((p, i) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, ...(i < 6 && { 'key-4': ['value-4-0', 'value-4-1', 'value-4-2', 'value-4', 'value-4', 'value-4'][i] ?? '' }) } } }));
    const scatter = [{ key: 'key-1', value: 'value-1' }, { key: 'key-2', value: 'value-2' }, { key: 'key-4', value: '*' }];
    expect(expandScatterTerms(scatter, pods).map((t) => t.value)).toEqual(['value-1', 'value-2', 'value-4-0', 'value-4-1', 'value-4-2', 'value-4']);
  });
});

describe('planSidecarSetUpdate properties', () => {
  const scenario = fc.record({
    count: fc.integer({ min: 1, max: 30 }),
    upgraded: fc.nat(30),
    ready: fc.nat(30),
    maxUnavailable: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom('10%', '25%', '50%')),
    partition: fc.oneof(fc.nat(30), fc.constantFrom('0%', '30%', '90%', '100%')),
  });

  it('never makes more pods unavailable than maxUnavailable allows, and respects the partition', () => {
    fc.assert(
      fc.property(scenario, ({ count, upgraded, ready, maxUnavailable, partition }) => {
        const pods = factoryPods(count, Math.min(upgraded, count), Math.min(ready, upgraded, count));
        const ss = sidecarSetOf('without-aaa', { maxUnavailable, partition });
        const plan = planSidecarSetUpdate(ss, pods, NOW);
        const writes = plan.decision.kind === 'upgrade' ? plan.decision.upgrades : [];
        const max = scaledValueFromIntOrPercent(maxUnavailable, count, true);
        const budget = max.kind === 'scaled' ? max.value : 0;
        const unavailable = pods.filter((p) => isSidecarSetPodUpdated(ss, p) && (!isSidecarSetPodConsistent(ss, p) || !isSidecarSetPodReady(ss, p))).length;
        const readyTaken = writes.filter((w) => isSidecarSetPodReady(ss, w.pod)).length;
        expect(readyTaken).toBeLessThanOrEqual(Math.max(0, budget - unavailable));
        const held = calculatePartitionReplicas(partition, count);
        const after = pods.map((p) => writes.find((w) => w.pod === p)?.upgrade ?? { kind: 'none', pod: p });
        const notUpdated = after.filter((a) => a.kind !== 'upgraded').length;
        const before = pods.filter((p) => !isSidecarSetPodUpdated(ss, p)).length;
        expect(notUpdated).toBeGreaterThanOrEqual(Math.min(before, held.kind === 'scaled' ? held.value : 0));
      }),
    );
  });
});
