import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { INPLACE_UPDATE_GRACE_ANNOTATION } from '../api/labels.js';
import { aCloneSet, aPod, aPodUnavailableBudget, aRevision, somePods, T0, type CloneSetOptions } from '../testing/index.js';
import { explainCloneSetPods, type ExplainCloneSetInput } from './explainCloneSetPods.js';
import { planUpdate } from './planUpdate.js';

const V1 = aRevision({ name: 'web-1', image: 'nginx:1' });
const V2 = aRevision({ name: 'web-2', image: 'nginx:2' });
const V2_ENV = aRevision({ name: 'web-2', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'MODE', value: 'fast' }] }] });

const input = (cs: CloneSetOptions, pods: readonly Pod[], extra: Partial<ExplainCloneSetInput> = {}): ExplainCloneSetInput => ({
  cloneSet: aCloneSet({ replicas: pods.length, podUpdatePolicy: 'InPlaceIfPossible', ...cs }),
  pods,
  currentRevision: V1,
  updateRevision: V2,
  now: T0,
  ...extra,
});
const reasons = (i: ExplainCloneSetInput) => explainCloneSetPods(i).pods.map((p) => `${p.pod}:${p.reason}${p.position === undefined ? '' : `#${p.position}`}`);
const old = (n: number, prefix = 'web') => somePods(n, prefix, { revision: 'web-1', lifecycle: 'Normal' });

describe('explainCloneSetPods', () => {
  it('replicas 10, partition 3, maxUnavailable 2, 2 pods updating in place → 2 in progress, 5 queued on maxUnavailable, 3 kept by the partition', () => {
    // The updating pods are at the new revision but not ready (the kubelet has not restarted them yet).
    const updating = somePods(2, 'new', { revision: 'web-2', lifecycle: 'Normal', phase: 'not-ready' });
    const got = explainCloneSetPods(input({ partition: 3, maxUnavailable: 2 }, [...updating, ...old(8)]));
    const having = (reason: string) => got.pods.filter((p) => p.reason === reason);
    expect(having('not-available-yet').map((p) => p.pod)).toEqual(['new-0', 'new-1']);
    expect(having('max-unavailable-reached').map((p) => p.position)).toEqual([1, 2, 3, 4, 5]);
    expect(having('partition')).toHaveLength(3);
    expect(got.diffs).toMatchObject({ updateNum: 5, updateMaxUnavailable: 2 });
    expect(got.plan).toMatchObject({ kind: 'none', reason: 'max-unavailable-reached' });
  });

  it('the pods it names as next are exactly the ones planUpdate updates, with the same decision', () => {
    const pods = old(10);
    const i = input({ partition: 3, maxUnavailable: 2 }, pods);
    const plan = planUpdate(i);
    const next = explainCloneSetPods(i).pods.filter((p) => p.reason === 'update-in-place');
    expect(plan.kind === 'update' ? plan.decisions.map((d) => [d.pod, d.kind]) : []).toEqual(next.map((p) => [p.pod, 'update-in-place']));
    expect(next.map((p) => p.position)).toEqual([1, 2]);
    expect(next[0]?.paths).toEqual(['/spec/containers/0/image']);
  });

  it.each([
    { story: 'paused', cs: { paused: true }, want: 'paused' },
    { story: 'OnDelete', cs: { updateType: 'OnDelete' as const }, want: 'on-delete' },
    { story: 'partition 3 of 3', cs: { partition: 3 }, want: 'partition' },
  ])('every old pod is held back: $story', ({ cs, want }) => {
    expect(new Set(explainCloneSetPods(input(cs, old(3))).pods.map((p) => p.reason))).toEqual(new Set([want]));
  });

  it('names the field that forces a recreate (an env change), and ReCreate as the policy', () => {
    const env = explainCloneSetPods(input({ maxUnavailable: 1 }, old(2), { updateRevision: V2_ENV })).pods;
    expect(env[0]).toMatchObject({ reason: 'recreate', recreateReason: 'spec-changed', paths: ['/spec/containers/0/env'] });
    expect(explainCloneSetPods(input({ maxUnavailable: 1, podUpdatePolicy: 'ReCreate' }, old(2))).pods[0]).toMatchObject({ reason: 'recreate', recreateReason: 'recreate-policy' });
  });

  it('InPlaceOnly with a change that needs a recreate: update-refused with the message', () => {
    const [first] = explainCloneSetPods(input({ maxUnavailable: 1, podUpdatePolicy: 'InPlaceOnly' }, old(2), { updateRevision: V2_ENV })).pods;
    expect(first?.reason).toBe('update-refused');
    expect(first?.message).toContain('InPlaceOnly');
  });

  it('an inPlaceUpdate lifecycle hook parks the chosen pod first', () => {
    const hooked = somePods(2, 'web', { revision: 'web-1', lifecycle: 'Normal', labels: { hold: 'true' } });
    const got = explainCloneSetPods(input({ maxUnavailable: 1, lifecycle: { inPlaceUpdate: { labelsHandler: { hold: 'true' } } } }, hooked)).pods;
    expect(got.map((p) => p.reason)).toEqual(['lifecycle-hook-preparing', 'max-unavailable-reached']);
  });

  it('a PodUnavailableBudget with 1 unit left lets the first chosen pod go and refuses the second', () => {
    const pods = somePods(4, 'web', { revision: 'web-1', lifecycle: 'Normal', annotations: { 'pub.kruise.io/related-pub': 'web-pub' } });
    const pub = aPodUnavailableBudget({ maxUnavailable: 1, status: { unavailableAllowed: 1, desiredAvailable: 3, currentAvailable: 4, totalReplicas: 4 } });
    const got = explainCloneSetPods(input({ maxUnavailable: 2 }, pods, { pubs: [pub] })).pods;
    expect(got.map((p) => p.reason)).toEqual(['update-in-place', 'pod-unavailable-budget', 'max-unavailable-reached', 'max-unavailable-reached']);
    expect(got[1]?.message).toBe('podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative');
  });

  it('a pod in its in-place grace period says how long is left; a terminating pod is named', () => {
    const grace = aPod({ name: 'web-g', revision: 'web-2', lifecycle: 'Updating', annotations: { [INPLACE_UPDATE_GRACE_ANNOTATION]: JSON.stringify({ revision: 'web-2', updateTimestamp: new Date(T0 - 10_000).toISOString(), containerImages: { main: 'nginx:2' }, graceSeconds: 30 }) } });
    const gone = { ...aPod({ name: 'web-x', revision: 'web-1', phase: 'terminating' }) };
    const got = explainCloneSetPods(input({ maxUnavailable: 1 }, [grace, ...old(1), gone]));
    expect(got.pods.find((p) => p.pod === 'web-g')).toMatchObject({ reason: 'in-place-grace-period' });
    expect(got.pods.find((p) => p.pod === 'web-x')).toMatchObject({ reason: 'terminating' });
  });

  it('a chosen pod waits one pass while pod states are written first (an Updating pod whose update is done)', () => {
    const done = aPod({ name: 'new-0', revision: 'web-2', lifecycle: 'Updating' });
    expect(reasons(input({ maxUnavailable: 2 }, [done, ...old(2)]))).toEqual(['new-0:not-available-yet', 'web-0:pod-states-refresh-first#1', 'web-1:max-unavailable-reached#2']);
  });
});

describe('explainCloneSetPods property: it says what planUpdate does', () => {
  const arbitrary = fc.record({
    replicas: fc.integer({ min: 1, max: 12 }),
    partition: fc.integer({ min: 0, max: 12 }),
    maxUnavailable: fc.integer({ min: 0, max: 6 }),
    policy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const),
    pods: fc.array(fc.record({ updated: fc.boolean(), phase: fc.constantFrom('ready' as const, 'ready' as const, 'not-ready' as const, 'pending' as const) }), { minLength: 1, maxLength: 12 }),
  });

  it('every pod once; the pods it names as going now are planUpdate\'s decisions, in order; queue positions run 1..k', () => {
    fc.assert(
      fc.property(arbitrary, ({ replicas, partition, maxUnavailable, policy, pods: shapes }) => {
        const pods = shapes.map((shape, i) => aPod({ name: `web-${String(i)}`, revision: shape.updated ? 'web-2' : 'web-1', lifecycle: 'Normal', phase: shape.phase, containers: [{ name: 'main', image: shape.updated ? 'nginx:2' : 'nginx:1' }] }));
        const i: ExplainCloneSetInput = { cloneSet: aCloneSet({ replicas, partition, maxUnavailable, podUpdatePolicy: policy }), pods, currentRevision: V1, updateRevision: V2, now: T0 };
        const explained = explainCloneSetPods(i).pods;
        expect(explained.map((p) => p.pod).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
        const plan = planUpdate(i);
        const going = explained.filter((p) => ['update-in-place', 'recreate', 'lifecycle-hook-preparing', 'lifecycle-hook-waiting', 'update-refused'].includes(p.reason));
        const ordered = [...going].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((p) => p.pod);
        expect(ordered).toEqual(plan.kind === 'update' ? plan.decisions.map((d) => d.pod) : []);
        const positions = explained.flatMap((p) => (p.position === undefined ? [] : [p.position])).sort((a, b) => a - b);
        expect(positions).toEqual(positions.map((_, k) => k + 1));
        if (plan.kind === 'none' && plan.reason === 'update-complete') expect(explained.every((p) => p.atTarget || p.reason === 'partition')).toBe(true);
      }),
    );
  });
});
