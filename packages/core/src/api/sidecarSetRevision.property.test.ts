import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SidecarContainer, SidecarSet } from './sidecarSet.js';
import { buildSidecarSetRevision, sidecarSetRevisionBytes, sidecarSetRevisionData } from './sidecarSetRevision.js';

// Strings with the characters Go escapes (<, >, &) and others JSON must escape.
const text = fc.string({ unit: fc.constantFrom('a', 'b', '<', '>', '&', '"', '\\', '\n', 'é', ' ', '1'), maxLength: 6 });
// JavaScript orders object keys that are array indices ("1") first; Go sorts them as strings. Such
// annotation keys are the one documented difference of the stored JSON (the bytes and the hash are right).
const key = text.filter((k) => !/^(0|[1-9]\d*)$/.test(k));
const container: fc.Arbitrary<SidecarContainer> = fc.record(
  {
    name: fc.constantFrom('log', 'proxy', 'agent'),
    image: fc.option(text, { nil: undefined }),
    command: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
    env: fc.option(fc.array(fc.record({ name: fc.constantFrom('A', 'B'), value: fc.option(text, { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
    resources: fc.option(fc.record({ limits: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.constantFrom('0.5', '1024Mi', '100m', '1.125G', '2')) }), { nil: undefined }),
  },
  { requiredKeys: ['name'] },
);
const sidecarSet: fc.Arbitrary<SidecarSet> = fc
  .record({ containers: fc.option(fc.array(container, { maxLength: 2 }), { nil: undefined }), patchPodMetadata: fc.option(fc.array(fc.record({ annotations: fc.dictionary(key, text, { maxKeys: 2 }) }), { maxLength: 1 }), { nil: undefined }) })
  .map((spec) => ({ metadata: { name: 'log' }, spec: Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) }));

const unescapeHtml = (bytes: string) => bytes.replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&');
const reversed = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(reversed) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)])) : value;

describe('SidecarSet revision data (properties)', () => {
  it('the stored JSON of the data is the Go bytes up to Go escaping <, > and &', () => {
    fc.assert(
      fc.property(sidecarSet, (ss) => {
        expect(JSON.stringify(sidecarSetRevisionData(ss))).toBe(unescapeHtml(sidecarSetRevisionBytes(ss)));
      }),
    );
  });

  it('the bytes and the revision name do not depend on the key order of the spec', () => {
    fc.assert(
      fc.property(sidecarSet, (ss) => {
        const other = { ...ss, spec: reversed(ss.spec) as SidecarSet['spec'] };
        expect(sidecarSetRevisionBytes(other)).toBe(sidecarSetRevisionBytes(ss));
        const name = (s: SidecarSet) => buildSidecarSetRevision({ sidecarSet: s, namespace: 'kruise-system', revision: 1, collisionCount: 0 }).metadata.name;
        expect(name(other)).toBe(name(ss));
      }),
    );
  });
});
