import { describe, expect, it } from 'vitest';
import { aPod, iso, T0 } from '../testing/index.js';
import type { Pod } from '../api/pod.js';
import type { Lifecycle, LifecycleHook } from '../api/pub.js';
import {
  applyLifecycleTransition,
  isHookMarkPodNotReady,
  isLifecycleMarkPodNotReady,
  isPodAllHooked,
  isPodHooked,
  lifecycleTransition,
  lifecycleTransitionMetadata,
  planLifecycleRefresh,
  type LifecycleMetadata,
} from './lifecycle.js';
import { podLifecycleState } from './workloadPod.js';
import { addNotReadyKey, notReadyKeys, PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY, removeNotReadyKey } from './kruisePodReadiness.js';

const hook = { finalizersHandler: ['f1', 'f2'], labelsHandler: { blocked: 'yes' } };

describe('hooks', () => {
  it.each([
    { story: 'one finalizer of two', finalizers: ['f1'], labels: {}, hooked: true, all: false },
    { story: 'the label only', finalizers: [], labels: { blocked: 'yes' }, hooked: true, all: false },
    { story: 'the label with another value', finalizers: [], labels: { blocked: 'no' }, hooked: false, all: false },
    { story: 'everything', finalizers: ['f1', 'f2'], labels: { blocked: 'yes' }, hooked: true, all: true },
    { story: 'nothing', finalizers: [], labels: {}, hooked: false, all: false },
  ])('$story → hooked $hooked, all hooked $all', ({ finalizers, labels, hooked, all }) => {
    const pod = aPod({ finalizers, labels });
    expect([isPodHooked(hook, pod), isPodAllHooked(hook, pod)]).toEqual([hooked, all]);
  });

  it('treats a missing hook as neither hooked nor all hooked', () => {
    expect([isPodHooked(undefined, aPod()), isPodAllHooked(undefined, aPod())]).toEqual([false, false]);
  });
});

describe('transitions', () => {
  const gated = aPod({ name: 'web-0', lifecycle: 'Normal' });
  const withGate = { ...gated, spec: { ...gated.spec, readinessGates: [{ conditionType: 'KruisePodReady' }] } };

  it('writes the state label and timestamp', () => {
    const next = applyLifecycleTransition(gated, lifecycleTransition(gated, 'PreparingDelete', 'pre-delete-hook', false), T0);
    expect(next.metadata.labels?.['lifecycle.apps.kruise.io/state']).toBe('PreparingDelete');
    expect(next.metadata.annotations?.['lifecycle.apps.kruise.io/timestamp']).toBe(iso(T0));
  });

  it('marks the pod not ready through KruisePodReady (markPodNotReady), and back once Updated', () => {
    const parked = applyLifecycleTransition(withGate, lifecycleTransition(withGate, 'PreparingUpdate', 'in-place-update-hook', true), T0);
    expect(parked.status?.conditions?.find((c) => c.type === 'KruisePodReady')).toMatchObject({ status: 'False', message: '[{"userAgent":"Lifecycle","key":"preUpdateHook"}]' });
    const done = applyLifecycleTransition(parked, lifecycleTransition(parked, 'Updated', 'in-place-update-completed', true), T0);
    expect(done.status?.conditions?.find((c) => c.type === 'KruisePodReady')).toMatchObject({ status: 'True', message: '[]' });
  });

  it('leaves pods without the KruisePodReady gate alone', () => {
    expect(addNotReadyKey(gated, PRE_DELETE_HOOK_KEY, T0)).toBe(gated);
  });

  it('keeps keys sorted and unique', () => {
    const both = addNotReadyKey(addNotReadyKey(addNotReadyKey(withGate, PRE_UPDATE_HOOK_KEY, T0), PRE_DELETE_HOOK_KEY, T0), PRE_DELETE_HOOK_KEY, T0);
    expect(notReadyKeys(both)).toEqual([PRE_DELETE_HOOK_KEY, PRE_UPDATE_HOOK_KEY]);
    expect(notReadyKeys(removeNotReadyKey(both, PRE_DELETE_HOOK_KEY, T0))).toEqual([PRE_UPDATE_HOOK_KEY]);
  });

  it('puts the hook back when an Updated pod must be updated again', () => {
    const pod = aPod({ name: 'web-0', lifecycle: 'Updated' });
    const next = applyLifecycleTransition(pod, lifecycleTransition(pod, 'PreparingUpdate', 'in-place-update-hook', false, hook), T0);
    expect(next.metadata.finalizers).toEqual(['f1', 'f2']);
    expect(next.metadata.labels).toMatchObject({ blocked: 'yes', 'lifecycle.apps.kruise.io/state': 'PreparingUpdate' });
  });
});

describe('lifecycleTransitionMetadata', () => {
  const pod = aPod({ name: 'web-0', lifecycle: 'Normal', labels: { app: 'web' }, finalizers: ['own'] });
  const state = 'lifecycle.apps.kruise.io/state';
  const timestamp = 'lifecycle.apps.kruise.io/timestamp';

  it.each<{ story: string; metadata: LifecycleMetadata; restore?: LifecycleHook; expected: LifecycleMetadata }>([
    {
      story: 'the state label and the timestamp set, finalizers as they were',
      metadata: { labels: { app: 'web' }, finalizers: ['own'] },
      expected: { labels: { app: 'web', [state]: 'Updating' }, annotations: { [timestamp]: iso(T0) }, finalizers: ['own'] },
    },
    { story: 'no finalizers on the pod or the hook → none', metadata: {}, expected: { labels: { [state]: 'Updating' }, annotations: { [timestamp]: iso(T0) } } },
    {
      story: 'a restored hook adds its labels and finalizers',
      metadata: { labels: { app: 'web' }, annotations: { a: '1' }, finalizers: ['own'] },
      restore: hook,
      expected: { labels: { app: 'web', blocked: 'yes', [state]: 'Updating' }, annotations: { a: '1', [timestamp]: iso(T0) }, finalizers: ['own', 'f1', 'f2'] },
    },
    {
      story: 'a restored hook\'s finalizer on a pod without any',
      metadata: {},
      restore: { finalizersHandler: ['hook'] },
      expected: { labels: { [state]: 'Updating' }, annotations: { [timestamp]: iso(T0) }, finalizers: ['hook'] },
    },
  ])('$story', ({ metadata, restore, expected }) => {
    expect(lifecycleTransitionMetadata(metadata, lifecycleTransition(pod, 'Updating', 'in-place-update-started', false, restore), T0)).toEqual(expected);
  });

  it('is the metadata applyLifecycleTransition writes', () => {
    const transition = lifecycleTransition(pod, 'PreparingUpdate', 'in-place-update-hook', true, hook);
    expect(applyLifecycleTransition(pod, transition, T0).metadata).toEqual({ ...pod.metadata, ...lifecycleTransitionMetadata(pod.metadata, transition, T0) });
  });
});

describe('planLifecycleRefresh: PreparingNormal (OpenKruise refreshPodState, issue 1485)', () => {
  const preNormal: LifecycleHook = { finalizersHandler: ['ready.example.com/lb'] };
  const refresh = (pod: Pod, lifecycle: Lifecycle | undefined) =>
    planLifecycleRefresh(pod, { lifecycle, updateRevision: 'web-1', inPlaceUpdateCompleted: () => false })?.to;
  it.each<{ story: string; pod: Pod; lifecycle: Lifecycle | undefined; to: string | undefined }>([
    { story: 'no lifecycle, pod not scheduled yet → stays PreparingNormal', pod: aPod({ lifecycle: 'PreparingNormal', phase: 'unscheduled' }), lifecycle: undefined, to: undefined },
    { story: 'no lifecycle, pod on node-a → Normal', pod: aPod({ lifecycle: 'PreparingNormal', phase: 'pending' }), lifecycle: undefined, to: 'Normal' },
    { story: 'lifecycle without preNormal, nodeName empty → stays PreparingNormal', pod: aPod({ lifecycle: 'PreparingNormal', phase: 'pending', node: '' }), lifecycle: { preDelete: { finalizersHandler: ['x'] } }, to: undefined },
    { story: 'preNormal hook on the pod, scheduled → Normal', pod: aPod({ lifecycle: 'PreparingNormal', finalizers: ['ready.example.com/lb'] }), lifecycle: { preNormal }, to: 'Normal' },
    { story: 'preNormal hook on the pod, not scheduled → Normal (the hook decides)', pod: aPod({ lifecycle: 'PreparingNormal', phase: 'unscheduled', finalizers: ['ready.example.com/lb'] }), lifecycle: { preNormal }, to: 'Normal' },
    { story: 'preNormal hook missing, scheduled → stays PreparingNormal', pod: aPod({ lifecycle: 'PreparingNormal' }), lifecycle: { preNormal }, to: undefined },
  ])('$story', ({ pod, lifecycle, to }) => {
    expect(refresh(pod, lifecycle)).toBe(to);
  });
});

describe('nil-safe helpers (OpenKruise pkg/util/lifecycle accepts nil hooks, pods and labels)', () => {
  const bare: Pod = { metadata: { name: 'bare' }, spec: { containers: [] } };
  const emptyValue: LifecycleHook = { labelsHandler: { paused: '' } };
  it.each<{ story: string; hook: LifecycleHook | undefined; pod: Pod | undefined; hooked: boolean; all: boolean }>([
    { story: 'no pod → neither hooked nor all hooked', hook, pod: undefined, hooked: false, all: false },
    { story: 'no hook and no pod', hook: undefined, pod: undefined, hooked: false, all: false },
    { story: 'pod without labels or finalizers', hook, pod: bare, hooked: false, all: false },
    { story: 'an empty hook holds nothing but is all hooked', hook: {}, pod: bare, hooked: false, all: true },
    { story: 'a label pair with an empty value matches a pod without that label (Go map lookup)', hook: emptyValue, pod: bare, hooked: true, all: true },
    { story: 'a label pair with an empty value does not match a set label', hook: emptyValue, pod: aPod({ labels: { paused: 'yes' } }), hooked: false, all: false },
  ])('$story → hooked $hooked, all hooked $all', ({ hook: h, pod, hooked, all }) => {
    expect([isPodHooked(h, pod), isPodAllHooked(h, pod)]).toEqual([hooked, all]);
  });

  it.each<{ story: string; lifecycle: Lifecycle | undefined; hook: LifecycleHook | undefined; lifecycleMark: boolean; hookMark: boolean }>([
    { story: 'no lifecycle, no hook', lifecycle: undefined, hook: undefined, lifecycleMark: false, hookMark: false },
    { story: 'lifecycle without hooks', lifecycle: {}, hook: {}, lifecycleMark: false, hookMark: false },
    { story: 'inPlaceUpdate marks pods not ready', lifecycle: { inPlaceUpdate: { markPodNotReady: true } }, hook: { markPodNotReady: true }, lifecycleMark: true, hookMark: true },
    { story: 'preNormal alone does not count', lifecycle: { preNormal: { markPodNotReady: true } }, hook: { markPodNotReady: false }, lifecycleMark: false, hookMark: false },
  ])('markPodNotReady: $story', ({ lifecycle, hook: h, lifecycleMark, hookMark }) => {
    expect([isLifecycleMarkPodNotReady(lifecycle), isHookMarkPodNotReady(h)]).toEqual([lifecycleMark, hookMark]);
  });

  it.each<{ story: string; pod: Pod | undefined; state: string }>([
    { story: 'no pod', pod: undefined, state: '' },
    { story: 'no labels', pod: bare, state: '' },
    { story: 'labelled', pod: aPod({ lifecycle: 'Updated' }), state: 'Updated' },
  ])('lifecycle state: $story → "$state"', ({ pod, state }) => {
    expect(podLifecycleState(pod)).toBe(state);
  });
});
