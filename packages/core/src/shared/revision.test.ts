import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from '../api/pod.js';
import {
  buildControllerRevision,
  canonicalJson,
  computeRevisionHash,
  equalToRevisionHash,
  fnv1a32,
  revisionName,
  safeEncode,
  shortHash,
  templateFromRevision,
  utf8Bytes,
  volumeClaimTemplatesHash,
} from './revision.js';

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }] },
};

const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', namespace: 'prod', uid: 'uid-web', annotations: { team: 'a' } };

/** Rebuilds a JSON value with its object keys in reverse order at every depth. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reverseKeys(member)]));
}

describe('revision hashing', () => {
  it.each([
    ['empty text is the FNV offset basis', '', 2166136261],
    ['a single letter', 'a', 0xe40c292c],
    ['the classic test vector "foobar"', 'foobar', 0xbf9cf968],
  ])('fnv1a32: %s', (_story, text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it.each([
    ['digits map through char code modulo 27', '1234', '5678'],
    ['the result keeps the length', '4294967295', '86f8fbc6f9'],
  ])('safeEncode: %s', (_story, text, expected) => {
    expect(safeEncode(text)).toBe(expected);
  });

  it.each([
    ['ASCII is one byte each', 'ab', [0x61, 0x62]],
    ['é is two bytes', 'é', [0xc3, 0xa9]],
    ['€ is three bytes', '€', [0xe2, 0x82, 0xac]],
    ['an emoji is four bytes', '😀', [0xf0, 0x9f, 0x98, 0x80]],
  ])('utf8Bytes: %s', (_story, text, expected) => {
    expect(utf8Bytes(text)).toEqual(expected);
  });

  it.each([
    ['keys sorted at every depth', { b: 1, a: { d: 2, c: 3 } }, '{"a":{"c":3,"d":2},"b":1}'],
    ['undefined members dropped', { a: undefined, b: 1 }, '{"b":1}'],
    ['array order kept', [3, 1, 2], '[3,1,2]'],
    ['undefined alone is null', undefined, 'null'],
  ])('canonicalJson: %s', (_story, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('renders a hash with the safe alphabet only', () => {
    expect(computeRevisionHash(template, 0)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('gives different hashes for no collision count and a count of 0, as Kubernetes does', () => {
    expect(computeRevisionHash(template)).not.toBe(computeRevisionHash(template, 0));
  });

  it('property: equal templates give equal hashes whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (extra, count) => {
        const withExtra = { ...template, metadata: { ...template.metadata, annotations: { extra: JSON.stringify(extra) } }, spec: { ...template.spec, extra } };
        const reordered = reverseKeys(withExtra) as PodTemplateSpec;
        expect(computeRevisionHash(reordered, count)).toBe(computeRevisionHash(withExtra, count));
      }),
    );
  });

  it('property: a different collisionCount gives a different hash', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(100_000), fc.nat(100_000), (image, a, b) => {
        fc.pre(a !== b);
        const t: PodTemplateSpec = { spec: { containers: [{ name: 'app', image }] } };
        expect(computeRevisionHash(t, a)).not.toBe(computeRevisionHash(t, b));
      }),
    );
  });
});

describe('revision names', () => {
  it.each([
    ['name is <workload>-<hash>', 'web', 'abc', 'web-abc'],
    ['a long workload name is cut to 223 characters', 'x'.repeat(300), 'abc', `${'x'.repeat(223)}-abc`],
  ])('revisionName: %s', (_story, workload, hash, expected) => {
    expect(revisionName(workload, hash)).toBe(expected);
  });

  it.each([
    ['full name', 'web-api-c4b9d7f6x', 'c4b9d7f6x'],
    ['already short', 'c4b9d7f6x', 'c4b9d7f6x'],
  ])('shortHash: %s', (_story, name, expected) => {
    expect(shortHash(name)).toBe(expected);
  });

  it.each([
    ['same full name', 'web-abc', 'web-abc', true],
    ['pod labelled with the short hash (CloneSetShortHash)', 'abc', 'web-abc', true],
    ['different hash', 'web-abd', 'web-abc', false],
    ['pod without the label', undefined, 'web-abc', false],
    ['empty label, revision ending in "-" (both short hashes empty)', '', 'web-', true],
    ['same hash, other last character', 'web-abc', 'web-abd', false],
  ])('equalToRevisionHash: %s', (_story, label, revision, expected) => {
    expect(equalToRevisionHash(label, revision)).toBe(expected);
  });

  it('equalToRevisionHash: equal names or equal short hashes (property)', () => {
    const name = fc.stringMatching(/^[a-c-]{0,6}$/);
    fc.assert(
      fc.property(name, name, (label, revision) => {
        expect(equalToRevisionHash(label, revision)).toBe(label === revision || shortHash(label) === shortHash(revision));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('buildControllerRevision', () => {
  const revision = buildControllerRevision({ owner, template, revision: 3, collisionCount: 0, volumeClaimTemplates: [] });

  it('names the revision <workload>-<hash of the template and collision count>', () => {
    expect(revision.metadata.name).toBe(`web-${computeRevisionHash(template, 0)}`);
  });

  it('stores the template as a replace patch, and reads it back', () => {
    expect(revision.data).toEqual({ spec: { template: { $patch: 'replace', ...template } } });
    expect(templateFromRevision(revision)).toEqual(template);
  });

  it('copies template labels and workload annotations, adds the empty VCT hash, and is owned by the workload', () => {
    expect(revision.metadata).toMatchObject({
      namespace: 'prod',
      labels: { app: 'web' },
      annotations: { team: 'a', 'kruise.io/cloneset-volumeclaimtemplate-hash': '' },
      ownerReferences: [{ kind: 'CloneSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
    });
    expect(revision.revision).toBe(3);
  });

  it('leaves the VCT hash out for workloads other than CloneSet', () => {
    const plain = buildControllerRevision({ owner: { ...owner, annotations: {} }, template, revision: 1 });
    expect(plain.metadata.annotations).toEqual({});
  });

  it.each([
    ['data is not a revision patch', { foo: 1 }],
    ['template has no containers', { spec: { template: { spec: {} } } }],
  ])('templateFromRevision is undefined when %s', (_story, data) => {
    expect(templateFromRevision({ data })).toBeUndefined();
  });
});

describe('volumeClaimTemplatesHash', () => {
  const pvc = (name: string, size: string) => ({ metadata: { name, labels: { x: name } }, spec: { resources: { requests: { storage: size } } } });

  it.each([
    ['no templates give ""', [], ''],
    ['one template gives a decimal number', [pvc('data', '1Gi')], expect.stringMatching(/^\d+$/)],
  ])('%s', (_story, templates, expected) => {
    expect(volumeClaimTemplatesHash(templates)).toEqual(expected);
  });

  it('ignores order and labels, but not sizes', () => {
    const base = volumeClaimTemplatesHash([pvc('a', '1Gi'), pvc('b', '2Gi')]);
    expect(volumeClaimTemplatesHash([pvc('b', '2Gi'), { ...pvc('a', '1Gi'), metadata: { name: 'a' } }])).toBe(base);
    expect(volumeClaimTemplatesHash([pvc('a', '1Gi'), pvc('b', '3Gi')])).not.toBe(base);
  });
});
