import { describe, expect, it } from 'vitest';
import { PUB_NO_PROTECT_ANNOTATION, type PubOperation } from '../api/podUnavailableBudget.js';
import { aPod, aPodUnavailableBudget, T0, type PodOptions, type PodUnavailableBudgetOptions } from '../testing/index.js';
import { decidePubAdmission, type PubExemption } from './decidePubAdmission.js';
import { pubProtectedOperations } from './pubProtectedOperations.js';

const budget = (options: PodUnavailableBudgetOptions = {}) =>
  aPodUnavailableBudget({ maxUnavailable: 1, status: { unavailableAllowed: 1, desiredAvailable: 4, currentAvailable: 5, totalReplicas: 5 }, ...options });

describe('decidePubAdmission', () => {
  it.each<[string, PodOptions, PodUnavailableBudgetOptions | undefined, PubOperation, PubExemption | 'consume']>([
    ['a ready pod deleted under its budget consumes', {}, {}, 'DELETE', 'consume'],
    ['an evicted ready pod consumes', {}, {}, 'EVICT', 'consume'],
    ['an in-place update consumes', {}, {}, 'UPDATE', 'consume'],
    ['a resize is an update without native resize', {}, {}, 'RESIZE', 'consume'],
    ['pub.kruise.io/no-protect "true" passes', { annotations: { [PUB_NO_PROTECT_ANNOTATION]: 'true' } }, {}, 'DELETE', 'no-protect-annotation'],
    ['no-protect "1" passes (Go ParseBool)', { annotations: { [PUB_NO_PROTECT_ANNOTATION]: '1' } }, {}, 'DELETE', 'no-protect-annotation'],
    ['no-protect "yes" does not', { annotations: { [PUB_NO_PROTECT_ANNOTATION]: 'yes' } }, {}, 'DELETE', 'consume'],
    ['a not-ready pod is already unavailable', { phase: 'not-ready' }, {}, 'DELETE', 'pod-unavailable'],
    ['a pending pod is already unavailable', { phase: 'pending' }, {}, 'EVICT', 'pod-unavailable'],
    ['a terminating pod is already unavailable', { phase: 'terminating' }, {}, 'DELETE', 'pod-unavailable'],
    ['an unavailable-pod.kruise.io/ label makes it unavailable', { labels: { 'unavailable-pod.kruise.io/drain': 'true' } }, {}, 'DELETE', 'pod-unavailable'],
    ['no budget', {}, undefined, 'DELETE', 'no-budget'],
    ['an ignored pod passes', { labels: { 'kruise.io/force-deletable': 'true' } }, { ignoredPodSelector: { matchLabels: { 'kruise.io/force-deletable': 'true' } } }, 'DELETE', 'ignored-pod'],
    ['desiredAvailable 0 allows everything', {}, { status: { unavailableAllowed: 0, desiredAvailable: 0 } }, 'DELETE', 'nothing-desired'],
    ['an unprotected operation passes', {}, { protectOperations: ['EVICT'] }, 'DELETE', 'operation-not-protected'],
    ['the annotation form protects too', {}, { annotations: { 'kruise.io/pub-protect-operations': 'DELETE' } }, 'EVICT', 'operation-not-protected'],
    ['a pod already disrupted passes again', { name: 'web-0' }, { status: { unavailableAllowed: 0, desiredAvailable: 4, disruptedPods: { 'web-0': '2025-01-01T00:00:00Z' } } }, 'DELETE', 'already-recorded'],
    ['a pod already updated passes again', { name: 'web-0' }, { status: { unavailableAllowed: 0, desiredAvailable: 4, unavailablePods: { 'web-0': '2025-01-01T00:00:00Z' } } }, 'UPDATE', 'already-recorded'],
  ])('%s', (_story, podOptions, pubOptions, operation, expected) => {
    const decision = decidePubAdmission({ pod: aPod({ labels: { app: 'web' }, ...podOptions }), operation, pub: pubOptions === undefined ? undefined : budget(pubOptions), now: T0, nativeResize: false });
    expect(decision.kind === 'consume' ? 'consume' : decision.reason).toBe(expected);
  });
});

describe('pubProtectedOperations', () => {
  it.each<[string, PodUnavailableBudgetOptions, boolean, PubOperation[]]>([
    ['default without native resize', {}, false, ['DELETE', 'UPDATE', 'EVICT', 'RESIZE']],
    ['default with native resize', {}, true, ['DELETE', 'UPDATE', 'EVICT']],
    ['spec wins over the annotation', { protectOperations: ['RESIZE'], annotations: { 'kruise.io/pub-protect-operations': 'DELETE' } }, true, ['RESIZE']],
    ['annotation with blanks', { annotations: { 'kruise.io/pub-protect-operations': 'EVICT,,DELETE' } }, true, ['EVICT', 'DELETE']],
  ])('%s', (_story, options, nativeResize, expected) => {
    expect([...pubProtectedOperations(aPodUnavailableBudget(options), nativeResize)]).toEqual(expected);
  });
});
