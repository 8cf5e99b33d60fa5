import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../shared/selector.js';
import { SIDECARSET_CUSTOM_VERSION_LABEL, SIDECARSET_NAME_LABEL } from './labels.js';
import type { SidecarSet, SidecarSetSpec } from './sidecarSet.js';
import { isLabelSelectorOverlapping, validateSidecarSetConflicts } from './sidecarSetConflicts.js';
import { validateSidecarSetPatchMetadataWhitelist } from './sidecarSetPatchMetadataWhitelist.js';
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
    expect(validateSidecarSet(patching)).toEqual([{ path: 'spec.patchPodMetadata', message: 'SidecarSet patch metadata whitelist not found' }]);
    expect(validateSidecarSet(patching, { featureGates: { SidecarSetPatchPodMetadataDefaultsAllowed: true } })).toEqual([]);
  });
});

describe('validateSidecarSetPatchMetadataWhitelist', () => {
  const patching: SidecarSet = { ...ss(), metadata: { name: 'log', labels: { team: 'a' } }, spec: { ...ss().spec, patchPodMetadata: [{ annotations: { 'istio.io/x': '1', 'oom-score': '2' } }] } };
  it.each<[string, Parameters<typeof validateSidecarSetPatchMetadataWhitelist>[1], string[]]>([
    ['keys matching an expression pass, others are named', { whitelist: { rules: [{ allowedAnnotationKeyExprs: ['^istio\\.io/'] }] } }, ['sidecarSet patch metadata annotation(oom-score) is not allowed']],
    ['a rule for other SidecarSets does not apply', { whitelist: { rules: [{ selector: { matchLabels: { team: 'b' } }, allowedAnnotationKeyExprs: ['.*'] }] } }, ['sidecarSet patch metadata annotation is not allowed']],
    ['no applicable rule with the defaults gate', { whitelist: { rules: [] }, defaultsAllowed: true }, []],
    ['all keys allowed', { whitelist: { rules: [{ selector: { matchLabels: { team: 'a' } }, allowedAnnotationKeyExprs: ['istio', 'oom'] }] } }, []],
  ])('%s', (_story, options, messages) => {
    expect(validateSidecarSetPatchMetadataWhitelist(patching, options).map((p) => p.message)).toEqual(messages);
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
