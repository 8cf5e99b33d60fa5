import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertSidecarSetToV1alpha1, convertSidecarSetToV1beta1 } from './convertSidecarSet.js';
import { NAMESPACE_NAME_LABEL as NS, SIDECARSET_CUSTOM_VERSION_LABEL as CV } from './labels.js';
import { parseSidecarSet } from './parseSidecarSet.js';
import type { SidecarSet } from './sidecarSet.js';
import type { SidecarSetV1alpha1 } from './sidecarSetV1alpha1.js';

const selector = { matchLabels: { app: 'web' } };
const containers = [{ name: 'log', image: 'fluentd:1', podInjectPolicy: 'AfterAppContainer' as const, shareVolumePolicy: { type: 'enabled' as const } }];

function alpha(spec: Partial<SidecarSetV1alpha1['spec']>, metadata?: SidecarSetV1alpha1['metadata']): SidecarSetV1alpha1 {
  return { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', ...(metadata && { metadata }), spec: { selector, containers, ...spec } };
}
function beta(spec: Partial<SidecarSet['spec']>, metadata?: SidecarSet['metadata']): SidecarSet {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', ...(metadata && { metadata }), spec: { selector, containers, ...spec } };
}

describe('convertSidecarSetToV1beta1', () => {
  it.each<[string, SidecarSetV1alpha1, SidecarSet]>([
    ['spec.namespace becomes a namespaceSelector on kubernetes.io/metadata.name', alpha({ namespace: 'prod' }), beta({ namespaceSelector: { matchLabels: { [NS]: 'prod' } } })],
    [
      'namespace and namespaceSelector together are merged',
      alpha({ namespace: 'prod', namespaceSelector: { matchLabels: { team: 'a' } } }),
      beta({ namespaceSelector: { matchLabels: { team: 'a', [NS]: 'prod' } } }),
    ],
    ['a namespaceSelector alone is kept', alpha({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } }), beta({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Exists' }] } })],
    ['the custom-version label becomes spec.customVersion', alpha({}, { name: 'log', labels: { [CV]: 'v2', team: 'a' } }), beta({ customVersion: 'v2' }, { name: 'log', labels: { team: 'a' } })],
    [
      'strategies, status and unknown fields are carried over',
      { ...alpha({ updateStrategy: { partition: '20%', paused: true }, injectionStrategy: { revision: { customVersion: 'v1', policy: 'Partial' } }, future: 1 }), status: { matchedPods: 3 } },
      { ...beta({ updateStrategy: { partition: '20%', paused: true }, injectionStrategy: { revision: { customVersion: 'v1', policy: 'Partial' } }, future: 1 }), status: { matchedPods: 3 } },
    ],
  ])('%s', (_story, input, expected) => {
    expect(convertSidecarSetToV1beta1(input)).toEqual(expected);
  });

  it('does not modify its input', () => {
    const input = alpha({ namespace: 'prod' }, { labels: { [CV]: 'v1' } });
    const copy = structuredClone(input);
    convertSidecarSetToV1beta1(input);
    expect(input).toEqual(copy);
  });
});

describe('convertSidecarSetToV1alpha1', () => {
  it.each<[string, SidecarSet, SidecarSetV1alpha1]>([
    [
      'a kubernetes.io/metadata.name entry becomes spec.namespace',
      beta({ namespaceSelector: { matchLabels: { [NS]: 'prod', env: 'a' } } }),
      alpha({ namespace: 'prod', namespaceSelector: { matchLabels: { env: 'a' } } }),
    ],
    ['a selector on the name only becomes spec.namespace only', beta({ namespaceSelector: { matchLabels: { [NS]: 'prod' } } }), alpha({ namespace: 'prod' })],
    ['spec.customVersion becomes the label', beta({ customVersion: 'v3' }, { name: 'log' }), alpha({}, { name: 'log', labels: { [CV]: 'v3' } })],
  ])('%s', (_story, input, expected) => {
    expect(convertSidecarSetToV1alpha1(input)).toEqual(expected);
  });
});

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const labels = fc.dictionary(word.filter((k) => k !== NS && k !== CV), word, { maxKeys: 3 });
const selectorArb = fc.record({ matchLabels: labels }, { requiredKeys: [] });
const specFields = fc.record(
  {
    namespaceSelector: selectorArb,
    updateStrategy: fc.record({ type: fc.constantFrom('RollingUpdate' as const, 'NotUpdate' as const), partition: fc.oneof(fc.nat(10), fc.constant('10%')) }, { requiredKeys: [] }),
    revisionHistoryLimit: fc.nat(20),
  },
  { requiredKeys: [] },
);

describe('round trips', () => {
  it('v1beta1 → v1alpha1 → v1beta1 is the identity', () => {
    fc.assert(
      fc.property(specFields, fc.option(word, { nil: undefined }), fc.option(word, { nil: undefined }), fc.option(labels.filter((l) => Object.keys(l).length > 0), { nil: undefined }), (spec, namespace, customVersion, metaLabels) => {
        const nsSelector = namespace === undefined ? spec.namespaceSelector : { ...spec.namespaceSelector, matchLabels: { ...spec.namespaceSelector?.matchLabels, [NS]: namespace } };
        const input = beta({ ...spec, ...(nsSelector && { namespaceSelector: nsSelector }), ...(customVersion !== undefined && { customVersion }) }, metaLabels && { name: 'log', labels: metaLabels });
        expect(convertSidecarSetToV1beta1(convertSidecarSetToV1alpha1(input))).toEqual(input);
      }),
    );
  });

  it('v1alpha1 → v1beta1 → v1alpha1 is the identity', () => {
    fc.assert(
      fc.property(specFields, fc.option(word, { nil: undefined }), fc.option(word, { nil: undefined }), (spec, namespace, customVersion) => {
        const metadata = customVersion === undefined ? undefined : { name: 'log', labels: { [CV]: customVersion } };
        const { namespaceSelector: _exclusive, ...rest } = spec;
        const input = alpha(namespace === undefined ? spec : { ...rest, namespace }, metadata);
        expect(convertSidecarSetToV1alpha1(convertSidecarSetToV1beta1(input))).toEqual(input);
      }),
    );
  });
});

describe('parseSidecarSet', () => {
  it('reads a v1alpha1 manifest and converts it', () => {
    const parsed = parseSidecarSet({ apiVersion: 'apps.kruise.io/v1alpha1', kind: 'SidecarSet', metadata: { name: 'log' }, spec: { namespace: 'prod', selector, containers } });
    expect(parsed).toEqual({ kind: 'valid', value: beta({ namespaceSelector: { matchLabels: { [NS]: 'prod' } } }, { name: 'log' }) });
  });

  it('lists every schema problem with its path', () => {
    const parsed = parseSidecarSet({ spec: { containers: [{ name: 'log', podInjectPolicy: 'Sideways' }], revisionHistoryLimit: 'x' } });
    expect(parsed.kind === 'invalid' && parsed.problems.map((p) => p.path)).toEqual(['spec.containers[0].podInjectPolicy', 'spec.revisionHistoryLimit']);
  });
});
