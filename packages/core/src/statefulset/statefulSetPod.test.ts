import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, STATEFULSET_POD_NAME_LABEL } from '../api/labels.js';
import type { Pod, Volume } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import { aPod, aStatefulSet } from '../testing/index.js';
import { identityLabels, identityMatches, isStatefulSetMember, newStatefulSetPod, parseStatefulPodName, statefulSetClaims, storageMatches } from './statefulSetPod.js';

// Expected values follow OpenKruise's stateful_set_utils.go (getParentNameAndOrdinal, identityMatches,
// storageMatches, getPersistentVolumeClaims, updateStorage, initIdentity/updateIdentity,
// newStatefulSetPod) and TestGetParentNameAndOrdinal / TestIdentityMatches / TestStorageMatches.

/** A set `web` with one claim template `data` (1Gi) and a template carrying labels, annotations, finalizers and volumes. */
function claimSet(options: { serviceName?: string } = {}): StatefulSet {
  const set = aStatefulSet({ replicas: 3, volumeClaimTemplates: ['data'], ...options });
  return {
    ...set,
    spec: {
      ...set.spec,
      template: {
        metadata: { labels: { app: 'web', tier: 'db' }, annotations: { note: 'x' }, finalizers: ['example.com/keep'] },
        spec: {
          ...set.spec.template.spec,
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'home', emptyDir: {} },
          ] as Volume[],
        },
      },
    },
  };
}

const podOf = (set: StatefulSet, ordinal: number, podIndexLabel = true): Pod => newStatefulSetPod({ set, template: set.spec.template, revision: 'web-1', ordinal, podIndexLabel });

function withMeta(pod: Pod, meta: Partial<Pod['metadata']>): Pod {
  return { ...pod, metadata: { ...pod.metadata, ...meta } };
}

describe('parseStatefulPodName', () => {
  it.each([
    { story: 'set name and ordinal', name: 'web-12', expected: { parent: 'web', ordinal: 12 } },
    { story: 'a set name with dashes: the last dash splits', name: 'my-web-3', expected: { parent: 'my-web', ordinal: 3 } },
    { story: 'leading zeros are read as decimal', name: 'web-007', expected: { parent: 'web', ordinal: 7 } },
    { story: 'no ordinal: no parent, -1', name: 'web', expected: { parent: '', ordinal: -1 } },
    { story: 'ordinal first ("1-bar", OpenKruise test): no parent, -1', name: '1-bar', expected: { parent: '', ordinal: -1 } },
    { story: 'an empty name', name: '', expected: { parent: '', ordinal: -1 } },
    { story: 'the largest int32 ordinal', name: 'web-2147483647', expected: { parent: 'web', ordinal: 2147483647 } },
    { story: 'an ordinal past int32: parent kept, ordinal -1 (ParseInt fails)', name: 'web-2147483648', expected: { parent: 'web', ordinal: -1 } },
    { story: 'an empty parent before the dash', name: '-3', expected: { parent: '', ordinal: 3 } },
    { story: 'a double dash leaves a dash on the parent', name: 'web--1', expected: { parent: 'web-', ordinal: 1 } },
  ])('$story', ({ name, expected }) => {
    expect(parseStatefulPodName(name)).toEqual(expected);
  });
});

describe('newStatefulSetPod', () => {
  it('gives the pod its identity, the template, the controller reference and one volume per claim template', () => {
    const set = claimSet({ serviceName: 'nginx' });
    const pod = podOf(set, 2);
    expect(pod.metadata).toEqual({
      name: 'web-2',
      generateName: 'web-',
      namespace: 'default',
      labels: { app: 'web', tier: 'db', [STATEFULSET_POD_NAME_LABEL]: 'web-2', [POD_INDEX_LABEL]: '2', [CONTROLLER_REVISION_HASH_LABEL]: 'web-1' },
      annotations: { note: 'x' },
      finalizers: ['example.com/keep'],
      ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec.hostname).toBe('web-2');
    expect(pod.spec.subdomain).toBe('nginx');
    // updateStorage: the template's own `data` volume is replaced by the claim; `home` stays.
    expect(pod.spec.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } },
      { name: 'home', emptyDir: {} },
    ]);
    expect(pod.spec.containers).toEqual(set.spec.template.spec.containers);
  });

  it.each([
    { story: 'PodIndexLabel off: no pod-index label', podIndexLabel: false, labels: { app: 'web', tier: 'db', [STATEFULSET_POD_NAME_LABEL]: 'web-0', [CONTROLLER_REVISION_HASH_LABEL]: 'web-1' } },
    { story: 'PodIndexLabel on: pod-index label', podIndexLabel: true, labels: { app: 'web', tier: 'db', [STATEFULSET_POD_NAME_LABEL]: 'web-0', [POD_INDEX_LABEL]: '0', [CONTROLLER_REVISION_HASH_LABEL]: 'web-1' } },
  ])('$story', ({ podIndexLabel, labels }) => {
    expect(podOf(claimSet(), 0, podIndexLabel).metadata.labels).toEqual(labels);
  });

  it('the revision label wins over a template label of the same key', () => {
    const set = aStatefulSet();
    const template = { ...set.spec.template, metadata: { labels: { app: 'web', [CONTROLLER_REVISION_HASH_LABEL]: 'stale' } } };
    expect(newStatefulSetPod({ set, template, revision: 'web-9', ordinal: 0, podIndexLabel: true }).metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).toBe('web-9');
  });

  it('an empty serviceName leaves the subdomain unset', () => {
    const set = aStatefulSet({ serviceName: '' });
    expect(podOf(set, 0).spec).not.toHaveProperty('subdomain');
  });

  it('a set without claim templates or template volumes gives an empty volume list', () => {
    expect(podOf(aStatefulSet(), 1).spec.volumes).toEqual([]);
  });

  it('a freshly built pod has its identity and storage', () => {
    const set = claimSet();
    expect(identityMatches(set, podOf(set, 1))).toBe(true);
    expect(storageMatches(set, podOf(set, 1))).toBe(true);
  });
});

describe('statefulSetClaims', () => {
  it('names each claim <template>-<set>-<ordinal>, in the set namespace, labelled with the selector only', () => {
    const set = aStatefulSet({ volumeClaimTemplates: ['data', 'logs'] });
    const templates = set.spec.volumeClaimTemplates ?? [];
    const withTemplateLabels = { ...set, spec: { ...set.spec, volumeClaimTemplates: templates.map((t) => ({ ...t, metadata: { ...t.metadata, labels: { from: 'template' } } })) } };
    expect(statefulSetClaims(withTemplateLabels, 3)).toEqual([
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-web-3', namespace: 'default', labels: { app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'logs-web-3', namespace: 'default', labels: { app: 'web' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    ]);
  });

  it('a selector without matchLabels drops the template labels (claim.Labels = nil)', () => {
    const set = aStatefulSet({ volumeClaimTemplates: ['data'] });
    const templates = (set.spec.volumeClaimTemplates ?? []).map((t) => ({ ...t, metadata: { ...t.metadata, labels: { from: 'template' } } }));
    const noMatchLabels = { ...set, spec: { ...set.spec, selector: { matchExpressions: [{ key: 'app', operator: 'Exists' as const }] }, volumeClaimTemplates: templates } };
    expect(statefulSetClaims(noMatchLabels, 0)[0]?.metadata).toEqual({ name: 'data-web-0', namespace: 'default' });
  });

  it('no claim templates: no claims', () => {
    expect(statefulSetClaims(aStatefulSet(), 0)).toEqual([]);
  });
});

describe('identityMatches', () => {
  const set = claimSet();
  const pod = podOf(set, 1);
  const labels = pod.metadata.labels ?? {};
  const withoutIndex = Object.fromEntries(Object.entries(labels).filter(([key]) => key !== POD_INDEX_LABEL));
  it.each([
    { story: 'a freshly built pod', pod, expected: true },
    { story: 'the pod-index label missing does not matter (only pod-name is checked)', pod: withMeta(pod, { labels: withoutIndex }), expected: true },
    { story: 'a name without ordinal ("foo")', pod: withMeta(pod, { name: 'foo' }), expected: false },
    { story: 'another set name', pod: withMeta(pod, { name: 'web2-1', labels: { ...labels, [STATEFULSET_POD_NAME_LABEL]: 'web2-1' } }), expected: false },
    { story: 'another namespace', pod: withMeta(pod, { namespace: 'other' }), expected: false },
    { story: 'no namespace', pod: withMeta(pod, { namespace: undefined }), expected: false },
    { story: 'the pod-name label missing', pod: withMeta(pod, { labels: { app: 'web' } }), expected: false },
    { story: 'the pod-name label naming another pod', pod: withMeta(pod, { labels: { ...labels, [STATEFULSET_POD_NAME_LABEL]: 'web-2' } }), expected: false },
    { story: 'an ordinal with a leading zero ("web-01" is not "web-1")', pod: withMeta(pod, { name: 'web-01', labels: { ...labels, [STATEFULSET_POD_NAME_LABEL]: 'web-01' } }), expected: false },
    { story: 'a longer set name ending like it ("aweb-1")', pod: withMeta(pod, { name: 'aweb-1', labels: { ...labels, [STATEFULSET_POD_NAME_LABEL]: 'aweb-1' } }), expected: false },
  ])('$story', ({ pod: candidate, expected }) => {
    expect(identityMatches(set, candidate)).toBe(expected);
    expect(identityMatches(set, candidate, parseStatefulPodName(candidate.metadata.name ?? '').ordinal)).toBe(expected);
  });
});

describe('isStatefulSetMember', () => {
  // OpenKruise's isMemberOf: getParentName(pod) == set.Name, the parent read with `(.*)-([0-9]+)$`.
  const name = fc.stringMatching(/^[a-z0-9-]{0,8}$/);
  it('says whether the parent name read from the pod name is the set name (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('web', 'web-1', 'a', ''), fc.oneof(name, fc.constantFrom('web-0', 'web-1-2', 'web-', 'web-007', 'web-4294967296', 'aweb-1')), (setName, podName) => {
        const { parent, ordinal } = parseStatefulPodName(podName);
        expect(isStatefulSetMember(setName, { metadata: { name: podName } })).toBe(ordinal >= 0 && parent === setName);
      }),
      { numRuns: 500 },
    );
  });
});

describe('storageMatches', () => {
  const set = claimSet();
  const pod = podOf(set, 1);
  const volumes = (list: Volume[]): Pod => ({ ...pod, spec: { ...pod.spec, volumes: list } });
  it.each([
    { story: 'a freshly built pod', pod, expected: true },
    { story: 'no volumes at all', pod: volumes([]), expected: false },
    { story: 'the claim volume is not a PVC', pod: volumes([{ name: 'data', emptyDir: {} }]), expected: false },
    { story: 'the claim volume names another PVC', pod: volumes([{ name: 'data', persistentVolumeClaim: { claimName: 'foo' } }]), expected: false },
    { story: "another ordinal's PVC", pod: volumes([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } }]), expected: false },
    { story: 'a pod name without ordinal', pod: withMeta(pod, { name: 'bar' }), expected: false },
    { story: 'extra volumes do not matter', pod: volumes([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }, { name: 'x', emptyDir: {} }]), expected: true },
  ])('$story', ({ pod: candidate, expected }) => {
    expect(storageMatches(set, candidate)).toBe(expected);
  });

  it('a set without claim templates matches any pod with an ordinal', () => {
    expect(storageMatches(aStatefulSet(), aPod({ name: 'web-0' }))).toBe(true);
  });
});

describe('identityLabels', () => {
  it.each([
    { story: 'pod web-1 without labels, PodIndexLabel on → both', labels: {}, podIndexLabel: true, expected: { [STATEFULSET_POD_NAME_LABEL]: 'web-1', [POD_INDEX_LABEL]: '1' } },
    { story: 'PodIndexLabel off → pod-name only', labels: {}, podIndexLabel: false, expected: { [STATEFULSET_POD_NAME_LABEL]: 'web-1' } },
    { story: 'pod-name right, pod-index missing → pod-index only', labels: { [STATEFULSET_POD_NAME_LABEL]: 'web-1' }, podIndexLabel: true, expected: { [POD_INDEX_LABEL]: '1' } },
    { story: 'pod-index wrong → corrected', labels: { [STATEFULSET_POD_NAME_LABEL]: 'web-1', [POD_INDEX_LABEL]: '7' }, podIndexLabel: true, expected: { [POD_INDEX_LABEL]: '1' } },
    { story: 'pod-name wrong → corrected', labels: { [STATEFULSET_POD_NAME_LABEL]: 'web-9', [POD_INDEX_LABEL]: '1' }, podIndexLabel: true, expected: { [STATEFULSET_POD_NAME_LABEL]: 'web-1' } },
    { story: 'both right → nothing', labels: { [STATEFULSET_POD_NAME_LABEL]: 'web-1', [POD_INDEX_LABEL]: '1' }, podIndexLabel: true, expected: {} },
  ])('$story', ({ labels, podIndexLabel, expected }) => {
    expect(identityLabels(aPod({ name: 'web-1', labels }), podIndexLabel)).toEqual(expected);
  });
});
