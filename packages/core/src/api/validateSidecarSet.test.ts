import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../shared/selector.js';
import { SIDECARSET_CUSTOM_VERSION_LABEL, SIDECARSET_NAME_LABEL } from './labels.js';
import { SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, type SidecarContainer, type SidecarSet, type SidecarSetSpec } from './sidecarSet.js';
import { isLabelSelectorOverlapping, validateSidecarSetConflicts } from './sidecarSetConflicts.js';
import { validateSidecarSet } from './validateSidecarSet.js';
import { validateSidecarSetUpdate } from './validateSidecarSetUpdate.js';

function ss(spec: Partial<SidecarSetSpec> = {}, name = 'log'): SidecarSet {
  return {
    metadata: { name },
    spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'fluentd', image: 'fluentd:1', volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] }], volumes: [{ name: 'logs', emptyDir: {} }], ...spec },
  };
}

const paths = (problems: readonly { path: string }[]) => problems.map((p) => p.path);

describe('validateSidecarSet', () => {
  it('accepts a plain SidecarSet', () => {
    expect(validateSidecarSet(ss())).toEqual([]);
  });

  it.each<[string, SidecarSet, string[]]>([
    ['no selector', { ...ss(), spec: { ...ss().spec, selector: undefined } }, ['spec.selector']],
    ['an empty selector', ss({ selector: {} }), ['spec.selector']],
    ['an empty namespaceSelector', ss({ namespaceSelector: {} }), ['spec.namespaceSelector']],
    ['a bad name', { ...ss(), metadata: { name: 'log_set', namespace: 'default' } }, ['metadata.name', 'metadata.namespace']],
    ['no container at all', ss({ containers: [] }), ['spec']],
    ['a mount of an unknown volume', ss({ volumes: [] }), ['spec.containers[0].volumeMounts[0].name']],
    ['duplicate container names across init and regular', ss({ initContainers: [{ name: 'fluentd', image: 'busybox' }] }), ['spec.containers[0].name']],
    ['no image', ss({ containers: [{ name: 'fluentd' }], volumes: [] }), ['spec.containers[0].image']],
    ['partition with a selector', ss({ updateStrategy: { partition: 2, selector: { matchLabels: { canary: 'true' } } } }), ['spec.updateStrategy']],
    ['a numeric-string maxUnavailable and a negative partition', ss({ updateStrategy: { maxUnavailable: '5', partition: -1 } }), ['spec.updateStrategy.partition', 'spec.updateStrategy.maxUnavailable']],
    ['a native sidecar with rolling update', ss({ initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }] }), ['spec.updateStrategy']],
    ['a pinned revision naming nothing', ss({ injectionStrategy: { revision: { policy: 'Always' } } }), ['spec.injectionStrategy.revision']],
    ['both priority lists', ss({ updateStrategy: { priorityStrategy: { orderPriority: [{ orderedKey: 'a' }], weightPriority: [{ weight: 10, matchSelector: { matchLabels: { a: 'b' } } }] } } }), ['spec.updateStrategy.priorityStrategy']],
    [
      'a transferEnv fieldRef on metadata.name',
      ss({ containers: [{ name: 'fluentd', image: 'f:1', transferEnv: [{ sourceContainerNameFrom: { fieldRef: { fieldPath: 'metadata.name' } }, envName: 'A' }] }] }),
      ['spec.containers[0].transferEnv[0].sourceContainerNameFrom.fieldRef.fieldPath'],
    ],
  ])('refuses %s', (_story, input, expected) => {
    expect(paths(validateSidecarSet(input))).toEqual(expected);
  });

  it('allows a native sidecar with NotUpdate, and a partition alone', () => {
    expect(validateSidecarSet(ss({ initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }], updateStrategy: { type: 'NotUpdate' } }))).toEqual([]);
    expect(validateSidecarSet(ss({ updateStrategy: { partition: '50%', maxUnavailable: 2 } }))).toEqual([]);
  });

  it('checks a pinned revision against the revisions when given', () => {
    const pinned = ss({ injectionStrategy: { revision: { customVersion: 'v1' } } });
    const revision = { metadata: { name: 'log-abc', labels: { [SIDECARSET_NAME_LABEL]: 'log', [SIDECARSET_CUSTOM_VERSION_LABEL]: 'v1' } }, data: {}, revision: 1 };
    expect(validateSidecarSet(pinned, { revisions: [revision] })).toEqual([]);
    expect(paths(validateSidecarSet(pinned, { revisions: [] }))).toEqual(['spec.injectionStrategy.revision']);
    expect(validateSidecarSet(pinned)).toEqual([]);
  });

  it('refuses patchPodMetadata without a whitelist unless the defaults gate allows it', () => {
    const patching = ss({ patchPodMetadata: [{ annotations: { 'oom-score': '{"log":1}' }, patchPolicy: 'MergePatchJson' }] });
    expect(validateSidecarSet(patching)).toEqual([{ path: 'spec.patchPodMetadata', message: 'Required value: SidecarSet patch metadata whitelist not found' }]);
    expect(validateSidecarSet(patching, { patchMetadataWhitelistError: 'unexpected end of JSON input' })).toEqual([{ path: 'spec.patchPodMetadata', message: 'Required value: unexpected end of JSON input' }]);
    expect(validateSidecarSet(patching, { featureGates: { SidecarSetPatchPodMetadataDefaultsAllowed: true } })).toEqual([]);
  });
});

describe('validateSidecarSetUpdate', () => {
  it('refuses new containers and a changed upgrade type', () => {
    const old = ss();
    const next = ss({ containers: [{ name: 'fluentd', image: 'fluentd:2', upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'e:1' } }, { name: 'other', image: 'o:1' }], volumes: [] });
    expect(paths(validateSidecarSetUpdate(old, next))).toEqual(['spec.containers[0].upgradeStrategy.upgradeType', 'spec.containers[1].name']);
    expect(validateSidecarSetUpdate(old, ss({ containers: [{ name: 'fluentd', image: 'fluentd:2', upgradeStrategy: { upgradeType: 'ColdUpgrade' } }], volumes: [] }))).toEqual([]);
  });
});

describe('isLabelSelectorOverlapping', () => {
  const sel = (matchLabels: Record<string, string>, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector => ({ matchLabels, matchExpressions });
  it.each<[string, LabelSelector, LabelSelector, boolean]>([
    ['a=b and a=c', sel({ a: 'b' }), sel({ a: 'c' }), false],
    ['a in [b,c] and a notin [b,c]', sel({}, [{ key: 'a', operator: 'In', values: ['b', 'c'] }]), sel({}, [{ key: 'a', operator: 'NotIn', values: ['b', 'c', 'd'] }]), false],
    ['a=b and !a', sel({ a: 'b' }), sel({}, [{ key: 'a', operator: 'DoesNotExist' }]), false],
    ['a=b,c=d,e=f and a=x,c=d,e=f', sel({ a: 'b', c: 'd', e: 'f' }), sel({ a: 'x', c: 'd', e: 'f' }), false],
    ['a=b and c=d', sel({ a: 'b' }), sel({ c: 'd' }), true],
    ['a exists and a=b', sel({}, [{ key: 'a', operator: 'Exists' }]), sel({ a: 'b' }), true],
    ['a in [b,c] and a=c', sel({}, [{ key: 'a', operator: 'In', values: ['b', 'c'] }]), sel({ a: 'c' }), true],
  ])('%s → %s', (_story, a, b, expected) => {
    expect(isLabelSelectorOverlapping(a, b)).toBe(expected);
  });
});

describe('validateSidecarSetConflicts', () => {
  const other = ss({ containers: [{ name: 'fluentd', image: 'fluentd:9' }], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], patchPodMetadata: [{ annotations: { k: 'v' }, patchPolicy: 'Overwrite' }] }, 'log-b');
  const mine = ss({ patchPodMetadata: [{ annotations: { k: '{}' }, patchPolicy: 'MergePatchJson' }] });

  it('names the container, volume and annotation another overlapping SidecarSet also injects', () => {
    expect(validateSidecarSetConflicts(mine, [mine, other])).toEqual([
      { path: 'spec.containers[0].name', message: 'container fluentd already exist in log-b' },
      { path: 'spec.volumes[0].name', message: 'volume logs is in conflict with sidecarset log-b' },
      { path: 'spec.patchPodMetadata[0].annotations[k]', message: 'annotation k is in conflict with sidecarset log-b' },
    ]);
  });

  it('ignores SidecarSets selecting other pods or namespaces, and identical volumes', () => {
    expect(validateSidecarSetConflicts(mine, [{ ...other, spec: { ...other.spec, selector: { matchLabels: { app: 'db' } } } }])).toEqual([]);
    const elsewhere = { ...other, spec: { ...other.spec, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } } };
    expect(validateSidecarSetConflicts({ ...mine, spec: { ...mine.spec, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } } }, [elsewhere])).toEqual([]);
    const sameVolume = ss({ containers: [{ name: 'other', image: 'o:1' }], volumes: [{ name: 'logs', emptyDir: {} }] }, 'log-c');
    expect(validateSidecarSetConflicts(ss(), [sameVolume])).toEqual([]);
  });
});

describe('resourcesPolicy validation (OpenKruise validateResourcesPolicy)', () => {
  const policy = (resourcesPolicy: SidecarContainer['resourcesPolicy'], extra: Partial<SidecarContainer> = {}) =>
    ss({ containers: [{ name: 'fluentd', image: 'fluentd:1', resourcesPolicy, ...extra }], volumes: [] });
  const valid = { targetContainersMode: 'sum', targetContainersNameRegex: '^app.*$', resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m)', memory: 'max(memory*50%, 100Mi)' } } };
  const problems = (input: SidecarSet) => validateSidecarSet(input).map((p) => `${p.path}: ${p.message}`);

  it.each([
    ['sum with limits and requests', valid],
    ['max with only a cpu limit', { targetContainersMode: 'max', targetContainersNameRegex: '^.*', resourcesExpr: { limits: { cpu: 'cpu*50%' } } }],
    ['only requests, a constant memory', { targetContainersMode: 'sum', targetContainersNameRegex: '.*', resourcesExpr: { requests: { cpu: 'max(cpu*50%, 50m)', memory: '100Mi' } } }],
    ['a piecewise linear expression', { ...valid, resourcesExpr: { limits: { cpu: '0.5*cpu - 0.3*max(0, cpu-4) + 0.3*max(0, cpu-8)' } } }],
    ['spaces and nested functions', { ...valid, resourcesExpr: { limits: { cpu: 'max( min(cpu * 0.5, 100m) , 50m )' } } }],
  ])('accepts %s', (_story, resourcesPolicy) => {
    expect(problems(policy(resourcesPolicy))).toEqual([]);
  });

  it.each([
    ['resources set too', policy(valid, { resources: { limits: { cpu: '100m' } } }), ['spec.containers[0].resourcesPolicy: Invalid value: resourcesPolicy and resources cannot be configured together']],
    ['an unknown mode', policy({ ...valid, targetContainersMode: 'avg' }), ['spec.containers[0].resourcesPolicy.targetContainersMode: Unsupported value: "avg": supported values: "sum", "max"']],
    ['an empty regex', policy({ ...valid, targetContainersNameRegex: '' }), ['spec.containers[0].resourcesPolicy.targetContainersNameRegex: Required value: invalid empty regex']],
    ['a regex Go refuses', policy({ ...valid, targetContainersNameRegex: '[invalid(regex' }), ['spec.containers[0].resourcesPolicy.targetContainersNameRegex: Invalid value: "[invalid(regex": invalid regex pattern: error parsing regexp: missing closing ]: `[invalid(regex`']],
    ['no limits nor requests', policy({ ...valid, resourcesExpr: {} }), ['spec.containers[0].resourcesPolicy.resourcesExpr: Invalid value: {}: at least one of limits or requests must be configured']],
    ['an unbalanced parenthesis', policy({ ...valid, resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m' } } }), ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu: Invalid value: "max(cpu*50%, 50m": invalid expression: parse error: syntax error at line 1, col 17']],
    ['one argument to max', policy({ ...valid, resourcesExpr: { limits: { cpu: 'max(cpu*50%)' } } }), ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu: Invalid value: "max(cpu*50%)": invalid expression: max function requires exactly 2 arguments, got 1']],
    ['another variable', policy({ ...valid, resourcesExpr: { requests: { memory: 'cpu*2' } } }), ['spec.containers[0].resourcesPolicy.resourcesExpr.requests.memory: Invalid value: "cpu*2": invalid expression: undefined variable: cpu']],
    ['a result below zero', policy({ ...valid, resourcesExpr: { limits: { cpu: 'cpu - 2' } } }), ['spec.containers[0].resourcesPolicy.resourcesExpr.limits.cpu: Invalid value: "cpu - 2": invalid expression: calculation result is negative: -1']],
    [
      'a policy on a plain init container',
      ss({ initContainers: [{ name: 'init', image: 'busybox', resourcesPolicy: valid }], containers: [{ name: 'fluentd', image: 'fluentd:1' }], volumes: [] }),
      ['spec.initContainers[0].resourcesPolicy: Forbidden: resourcesPolicy is only supported for containers and native sidecar initContainers (restartPolicy: Always)'],
    ],
  ])('refuses %s', (_story, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  it('accepts a policy on a native sidecar init container (with NotUpdate)', () => {
    const native = ss({ initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', resourcesPolicy: valid }], updateStrategy: { type: 'NotUpdate' } });
    expect(problems(native)).toEqual([]);
  });
});

describe('canary SidecarSets (OpenKruise validateSidecarSetCanaryAnnotations)', () => {
  const canary = (base: string, spec: Partial<SidecarSetSpec> = { updateStrategy: { type: 'NotUpdate' } }, name = 'log-canary'): SidecarSet => {
    const set = ss(spec, name);
    return { ...set, metadata: { name, annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: base } } };
  };
  const details = (problems: readonly { path: string; message: string }[]) => problems.map((p) => `${p.path}: ${p.message.replace(/^Invalid value: \{.*?\}: /, '')}`);
  const base = ss({}, 'log');

  it.each([
    ['a valid canary of an existing base', canary('log'), [base], []],
    ['a canary of itself', canary('log-canary'), [base], ['metadata: base sidecarSet cannot be itself']],
    ['a canary of a missing SidecarSet', canary('gone'), [base], ['metadata: fetch base sidecarSet[gone] failed: sidecarsets.apps.kruise.io "gone" not found']],
    ['a canary of a canary', canary('other-canary'), [base, canary('log', undefined, 'other-canary')], ['metadata: base sidecarSet cannot be canary']],
    ['a canary with RollingUpdate (the default)', canary('log', {}), [base], ['metadata: RollingUpdate is not supported for canary sidecarSet']],
  ])('%s', (_story, input, all, expected) => {
    expect(details(validateSidecarSet(input, { sidecarSets: all }))).toEqual(expected);
  });

  it('refuses changing the base on update, accepts keeping it', () => {
    expect(details(validateSidecarSetUpdate(canary('log'), canary('log-v2'), { sidecarSets: [base] }))).toEqual(['metadata: annotations[apps.kruise.io/sidecarset-base] is immutable']);
    expect(validateSidecarSetUpdate(canary('log'), canary('log'), { sidecarSets: [base] })).toEqual([]);
  });

  it('a canary and its base do not conflict with each other, but with others they do', () => {
    expect(validateSidecarSetConflicts(canary('log'), [base, canary('log')])).toEqual([]);
    expect(validateSidecarSetConflicts(base, [base, canary('log')])).toEqual([]);
    expect(paths(validateSidecarSetConflicts(canary('log'), [base, ss({}, 'other')]))).toEqual(['spec.containers[0].name']);
  });
});
