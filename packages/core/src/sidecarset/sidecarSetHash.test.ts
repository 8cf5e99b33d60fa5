import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION } from '../api/labels.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { withSidecarSetDefaults } from '../api/withSidecarSetDefaults.js';
import { computeSidecarSetHash, computeSidecarSetHashWithoutImage, sidecarSetHash, withSidecarSetHashAnnotations } from './sidecarSetHash.js';

// The cases of OpenKruise's hash_test.go, by their meaning (the values are kruise-ts's own).
const containers = [{ name: 'container1', image: 'test-image' }];
const plain: SidecarSet = { metadata: { name: 'test-sidecar-set' }, spec: { containers } };
const withInit: SidecarSet = { ...plain, spec: { containers, initContainers: [{ name: 'container1', image: 'test-image' }] } };
const withNativeSidecar: SidecarSet = { ...plain, spec: { containers, initContainers: [{ name: 'container1', image: 'test-image', restartPolicy: 'Always' }] } };

const imageChanged = (ss: SidecarSet): SidecarSet => ({
  ...ss,
  spec: { ...ss.spec, containers: [{ name: 'container1', image: 'new-image' }], ...(ss.spec.initContainers && { initContainers: ss.spec.initContainers.map((c) => ({ ...c, image: 'new-image' })) }) },
});

describe('computeSidecarSetHash', () => {
  it('ignores init containers unless one is a native sidecar', () => {
    expect(computeSidecarSetHash(withInit)).toBe(computeSidecarSetHash(plain));
    expect(computeSidecarSetHash(withNativeSidecar)).not.toBe(computeSidecarSetHash(plain));
  });

  it.each([plain, withInit, withNativeSidecar])('changes with an image (%#)', (ss) => {
    expect(computeSidecarSetHash(imageChanged(ss))).not.toBe(computeSidecarSetHash(ss));
  });

  it('does not depend on key order, and renders in the safe-encode alphabet', () => {
    const reordered: SidecarSet = { metadata: { name: 'x' }, spec: { containers: [{ image: 'test-image', name: 'container1' }] } };
    expect(computeSidecarSetHash(reordered)).toBe(computeSidecarSetHash(plain));
    expect(computeSidecarSetHash(plain)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});

describe('computeSidecarSetHashWithoutImage', () => {
  it.each([withInit, withNativeSidecar])('is the same when only images change (%#)', (ss) => {
    expect(computeSidecarSetHashWithoutImage(imageChanged(ss))).toBe(computeSidecarSetHashWithoutImage(ss));
  });

  it('changes with anything else', () => {
    const withArgs: SidecarSet = { ...plain, spec: { containers: [{ ...containers[0], name: 'container1', args: ['-v'] }] } };
    expect(computeSidecarSetHashWithoutImage(withArgs)).not.toBe(computeSidecarSetHashWithoutImage(plain));
  });
});

describe('hash annotations', () => {
  it('reads the annotation the webhook wrote, else computes', () => {
    expect(sidecarSetHash({ ...plain, metadata: { name: 'x', annotations: { [SIDECARSET_HASH_ANNOTATION]: 'c4k2dbb95d' } } })).toBe('c4k2dbb95d');
    expect(sidecarSetHash(plain)).toBe(computeSidecarSetHash(plain));
  });

  it('writes both annotations, stable under defaults applied twice', () => {
    const once = withSidecarSetHashAnnotations(withSidecarSetDefaults(plain));
    const twice = withSidecarSetHashAnnotations(withSidecarSetDefaults(once));
    expect(twice.metadata?.annotations).toEqual(once.metadata?.annotations);
    expect(Object.keys(once.metadata?.annotations ?? {})).toEqual(['kruise.io/sidecarset-hash', 'kruise.io/sidecarset-hash-without-image']);
  });
});
