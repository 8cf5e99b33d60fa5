import { describe, expect, it } from 'vitest';
import { aPodUnavailableBudget, type PodUnavailableBudgetOptions } from '../testing/index.js';
import { convertPodUnavailableBudgetToV1alpha1, convertPodUnavailableBudgetToV1beta1 } from './convertPodUnavailableBudget.js';
import { parsePodUnavailableBudget } from './parsePodUnavailableBudget.js';
import type { PodUnavailableBudget } from './podUnavailableBudget.js';
import { podUnavailableBudgetConflicts, validatePodUnavailableBudget, validatePodUnavailableBudgetUpdate } from './validatePodUnavailableBudget.js';

const ref = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web' };

describe('validatePodUnavailableBudget', () => {
  it.each<[string, (pub: PodUnavailableBudget) => PodUnavailableBudget, { path: string; message: string }[]]>([
    ['a valid budget', (p) => p, []],
    ['neither selector nor targetRef', (p) => ({ ...p, spec: { maxUnavailable: 1 } }), [{ path: 'spec.selector, targetRef', message: 'Required value: no selector or targetRef defined in PodUnavailableBudget' }]],
    ['both selector and targetRef', (p) => ({ ...p, spec: { ...p.spec, targetRef: ref } }), [{ path: 'spec.selector, targetRef', message: 'Required value: selector and targetRef are mutually exclusive' }]],
    ['an empty targetRef', (p) => ({ ...p, spec: { targetRef: { kind: 'CloneSet' }, maxUnavailable: 1 } }), [{ path: 'spec.targetRef', message: 'Invalid value: empty targetRef is not valid for PodUnavailableBudget' }]],
    ['an empty selector', (p) => ({ ...p, spec: { selector: {}, maxUnavailable: 1 } }), [{ path: 'spec.selector', message: 'Invalid value: empty selector is not valid for PodUnavailableBudget.' }]],
    ['no budget', (p) => ({ ...p, spec: { selector: { matchLabels: { app: 'web' } } } }), [{ path: 'spec.maxUnavailable, minAvailable', message: 'Required value: no maxUnavailable or minAvailable defined in PodUnavailableBudget' }]],
    ['both budgets', (p) => ({ ...p, spec: { ...p.spec, minAvailable: 1 } }), [{ path: 'spec.maxUnavailable, minAvailable', message: 'Required value: maxUnavailable and minAvailable are mutually exclusive' }]],
    ['maxUnavailable over 100%', (p) => ({ ...p, spec: { ...p.spec, maxUnavailable: '120%' } }), [{ path: 'spec.maxUnavailable', message: 'must not be greater than 100%' }]],
    ['an unknown operation', (p) => ({ ...p, spec: { ...p.spec, protectOperations: ['KILL' as 'DELETE'] } }), [{ path: 'spec.protectOperations[0]', message: 'Unsupported value: "KILL": supported values: "DELETE", "UPDATE", "EVICT", "RESIZE"' }]],
    ['protectTotalReplicas 0', (p) => ({ ...p, spec: { ...p.spec, protectTotalReplicas: 0 } }), [{ path: 'spec.protectTotalReplicas', message: 'Invalid value: should be greater than or equal to 1' }]],
    ['an empty ignoredPodSelector', (p) => ({ ...p, spec: { ...p.spec, ignoredPodSelector: {} } }), [{ path: 'spec.ignoredPodSelector', message: 'Invalid value: empty ignoredPodSelector is not valid for PodUnavailableBudget' }]],
  ])('%s', (_story, change, problems) => {
    expect(validatePodUnavailableBudget(change(aPodUnavailableBudget({ maxUnavailable: 1 })))).toEqual(problems);
  });

  it('refuses a changed selector', () => {
    const old = aPodUnavailableBudget({ maxUnavailable: 1 });
    expect(validatePodUnavailableBudgetUpdate(aPodUnavailableBudget({ maxUnavailable: 2 }), old)).toEqual([]);
    expect(validatePodUnavailableBudgetUpdate(aPodUnavailableBudget({ maxUnavailable: 1, matchLabels: { app: 'api' } }), old)).toHaveLength(1);
  });

  it.each<[string, PodUnavailableBudgetOptions, PodUnavailableBudgetOptions, string | undefined]>([
    ['same target in another version', { targetRef: ref }, { name: 'other', targetRef: { ...ref, apiVersion: 'apps.kruise.io/v1alpha1' } }, 'spec.targetReference'],
    ['overlapping selectors', {}, { name: 'other', matchLabels: { app: 'web', tier: 'x' } }, 'spec.selector'],
    ['disjoint selectors', {}, { name: 'other', matchLabels: { app: 'api' } }, undefined],
    ['itself', {}, {}, undefined],
  ])('conflict: %s', (_story, mine, theirs, path) => {
    const problems = podUnavailableBudgetConflicts(aPodUnavailableBudget(mine), [aPodUnavailableBudget(theirs)]);
    expect(problems[0]?.path).toBe(path);
  });
});

describe('PodUnavailableBudget versions', () => {
  it('v1alpha1 annotations become v1beta1 fields and come back', () => {
    const alpha = { apiVersion: 'policy.kruise.io/v1alpha1', kind: 'PodUnavailableBudget', metadata: { name: 'p', annotations: { 'kruise.io/pub-protect-operations': 'DELETE, EVICT', 'pub.kruise.io/protect-total-replicas': '5' } }, spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 } };
    const parsed = parsePodUnavailableBudget(alpha);
    expect(parsed.kind === 'valid' && parsed.value.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1, protectOperations: ['DELETE', 'EVICT'], protectTotalReplicas: 5 });
    const down = convertPodUnavailableBudgetToV1alpha1(parsed.kind === 'valid' ? parsed.value : (undefined as never));
    expect(down.metadata?.annotations).toEqual({ 'kruise.io/pub-protect-operations': 'DELETE,EVICT', 'pub.kruise.io/protect-total-replicas': '5' });
    expect(down.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, maxUnavailable: 1 });
  });

  it('ignoredPodSelector has no v1alpha1 form', () => {
    const beta = aPodUnavailableBudget({ maxUnavailable: 1, ignoredPodSelector: { matchLabels: { a: 'b' } } });
    expect(convertPodUnavailableBudgetToV1beta1(convertPodUnavailableBudgetToV1alpha1(beta)).spec.ignoredPodSelector).toBeUndefined();
  });

  it('names the field of a bad operation', () => {
    expect(parsePodUnavailableBudget({ spec: { protectOperations: ['KILL'] } })).toMatchObject({ kind: 'invalid', problems: [{ path: 'spec.protectOperations[0]' }] });
  });
});
