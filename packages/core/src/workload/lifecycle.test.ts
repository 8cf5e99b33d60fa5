import { describe, expect, it } from 'vitest';
import { aPod, iso, T0 } from '../testing/index.js';
import { applyLifecycleTransition, isPodAllHooked, isPodHooked, lifecycleTransition } from './lifecycle.js';
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
