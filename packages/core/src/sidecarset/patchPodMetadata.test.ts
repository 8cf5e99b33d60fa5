import { describe, expect, it } from 'vitest';
import { jsonMergePatch, patchPodAnnotations } from './patchPodMetadata.js';

describe('patchPodAnnotations', () => {
  it('merges JSON values of two SidecarSets and retains set keys (TestInjectMetadata)', () => {
    const first = patchPodAnnotations({}, [
      { patchPolicy: 'MergePatchJson', annotations: { key1: '{"log-agent":1}' } },
      { patchPolicy: 'Retain', annotations: { key: 'envoy=1,log=2' } },
    ]);
    const second = first.kind === 'patched' ? patchPodAnnotations(first.annotations, [{ patchPolicy: 'MergePatchJson', annotations: { key1: '{"envoy":2}' } }]) : first;
    expect(second).toEqual({ kind: 'patched', annotations: { key1: '{"envoy":2,"log-agent":1}', key: 'envoy=1,log=2' }, changed: true });
  });

  it.each([
    ['Retain keeps the pod value', 'Retain' as const, { a: 'pod' }, { a: 'pod' }, false],
    ['Overwrite replaces it', 'Overwrite' as const, { a: 'pod' }, { a: 'sidecar' }, true],
    ['Retain adds a missing key', undefined, {}, { a: 'sidecar' }, true],
  ])('%s', (_story, patchPolicy, before, after, changed) => {
    expect(patchPodAnnotations(before, [{ ...(patchPolicy && { patchPolicy }), annotations: { a: 'sidecar' } }])).toEqual({ kind: 'patched', annotations: after, changed });
  });

  it('fails when a value cannot be merge-patched', () => {
    expect(patchPodAnnotations({ a: 'not json' }, [{ patchPolicy: 'MergePatchJson', annotations: { a: '{}' } }]).kind).toBe('failed');
  });
});

describe('jsonMergePatch', () => {
  it.each([
    ['{"a":{"b":1,"c":2}}', '{"a":{"b":null,"d":3}}', '{"a":{"c":2,"d":3}}'],
    ['{"a":1}', '{"a":[1,2]}', '{"a":[1,2]}'],
    ['{"z":1,"a":2}', '{}', '{"a":2,"z":1}'],
    ['[1]', '{}', undefined],
  ])('%s + %s → %s', (doc, patch, expected) => {
    expect(jsonMergePatch(doc, patch)).toBe(expected);
  });
});
