import { describe, expect, it } from 'vitest';
import { SIDECARSET_HASH_ANNOTATION } from '../api/labels.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { withSidecarSetDefaults } from '../api/withSidecarSetDefaults.js';
import { sha256Hex } from '../shared/sha256.js';
import { computeSidecarSetHash, computeSidecarSetHashWithoutImage, sidecarSetHash, withSidecarSetHashAnnotations } from './sidecarSetHash.js';

// The cases of OpenKruise's hash_test.go, by their meaning.
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

// OpenKruise's values for the same specs (`SidecarSetHash` run in Go 1.26 with k8s.io/api v0.36).
describe('OpenKruise hash values', () => {
  const logAgent = withSidecarSetDefaults({
    metadata: { name: 'log' },
    spec: {
      containers: [
        {
          name: 'log-agent',
          image: 'fluent/fluent-bit:2.0',
          command: ['sh', '-c', 'tail -F /var/log/app.log && sleep 1'],
          env: [{ name: 'LEVEL', value: '<info>' }, { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
          resources: { limits: { cpu: '0.5', memory: '1024Mi' }, requests: { cpu: 0.25, memory: '64Mi' } },
          volumeMounts: [{ name: 'logs', mountPath: '/var/log' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 2020 } },
        },
      ],
    },
  });
  const mesh = withSidecarSetDefaults({ metadata: { name: 'mesh' }, spec: { initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }] } });

  it.each<[string, SidecarSet, string, string]>([
    ['a bare container', { metadata: { name: 'log' }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:1' }] } }, 'ddw24x9z8wx9vw6z57db4d4977244x5bc987zwb55xdczff4458w98zfd2dv4b5w', 'xb2x44cz6262z586zx4cb7vzx5v449cv8v4vdfbc8422vb57dwww2bcf7c7f792b'],
    ['a defaulted container (struct field order, canonical quantities, escaped &, <, >)', logAgent, '665xvdd2b6xvxc9wf48c9xz474w4845cv7bb4x4bd255cc42c48bzzwz74xx9cv2', 'v745xzxz4x44x42f4bc5d6972fwdb9wb2d4zcw752x5wcv8588x744dc8fd5894b'],
    ['only a native sidecar init container ("containers":null)', mesh, 'wbxz6b4d87bwwd476x9bfx7wv486926z8d48b42wcv4bfcb69vz2z4w4wcv75fz5', 'bd45xcfw8w49265z27cw47vvfdvdbdv9c464b468f85w492df6894x8z2wwb7d4z'],
  ])('%s', (_story, ss, hash, withoutImage) => {
    expect(computeSidecarSetHash(ss)).toBe(hash);
    expect(computeSidecarSetHashWithoutImage(ss)).toBe(withoutImage);
  });

  it('sha256Hex is SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('a'.repeat(1000))).toBe('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  });
});
