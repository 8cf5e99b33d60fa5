import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson, escapeJsonPointer, jsonEqual, type JsonPatchOperation } from './diffJson.js';

/** A minimal RFC 6902 applier (add/replace/remove), enough to check the diff. */
function applyPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let root = structuredClone(document);
  for (const operation of operations) {
    const tokens = operation.path.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (tokens.length === 0) {
      root = operation.op === 'remove' ? undefined : operation.value;
      continue;
    }
    const last = tokens.pop()!;
    const parent = tokens.reduce<Record<string, unknown>>((node, token) => node[token] as Record<string, unknown>, root as Record<string, unknown>);
    if (Array.isArray(parent)) {
      const index = Number(last);
      if (operation.op === 'remove') parent.splice(index, 1);
      else if (operation.op === 'add') parent.splice(index, 0, operation.value);
      else parent[index] = operation.value;
    } else if (operation.op === 'remove') Reflect.deleteProperty(parent, last);
    else parent[last] = operation.value;
  }
  return root;
}

/** JSON values with no null, {} or [] anywhere (those count as absent in the diff). */
const denseJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { minLength: 1, maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie('value'), { minKeys: 1, maxKeys: 4 }),
  ),
})).value;

/**
 * The reading diffJson implements, written the plain way: drop every empty member (null, {}, [])
 * at every depth from copies of both documents, then diff those copies, writing `to`'s own values.
 * diffJson walks the documents without making the copies; the two must agree on every input.
 */
function prunedDiff(from: unknown, to: unknown): JsonPatchOperation[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const empty = (v: unknown): boolean => v === null || v === undefined || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
  const prune = (v: unknown): unknown => (Array.isArray(v) ? v.map(prune) : isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, m]) => [k, prune(m)] as const).filter(([, m]) => !empty(m))) : v);
  const out: JsonPatchOperation[] = [];
  const walk = (f: unknown, t: unknown, raw: unknown, path: string): void => {
    if (isObject(f) && isObject(t)) {
      for (const key of [...new Set([...Object.keys(f), ...Object.keys(t)])].sort()) {
        const at = `${path}/${escapeJsonPointer(key)}`;
        if (!Object.hasOwn(t, key)) out.push({ op: 'remove', path: at });
        else if (!Object.hasOwn(f, key)) out.push({ op: 'add', path: at, value: (raw as Record<string, unknown>)[key] });
        else walk(f[key], t[key], (raw as Record<string, unknown>)[key], at);
      }
    } else if (Array.isArray(f) && Array.isArray(t)) {
      const common = Math.min(f.length, t.length);
      for (let i = 0; i < common; i++) walk(f[i], t[i], (raw as unknown[])[i], `${path}/${String(i)}`);
      for (let i = common; i < t.length; i++) out.push({ op: 'add', path: `${path}/${String(i)}`, value: (raw as unknown[])[i] });
      for (let i = f.length - 1; i >= common; i--) out.push({ op: 'remove', path: `${path}/${String(i)}` });
    } else if (f === undefined) out.push({ op: 'add', path, value: raw });
    else if (t === undefined) out.push({ op: 'remove', path });
    else if (!jsonEqual(f, t)) out.push({ op: 'replace', path, value: raw });
  };
  walk(prune(from), prune(to), to, '');
  return out;
}

/** JSON values with empties anywhere (null, {}, [] and nested ones), from a small alphabet of keys so two documents overlap. */
const sparseJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, {}, [], 'x', 1, true),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c/d', 'e~'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('diffJson', () => {
  it.each<[string, unknown, unknown, JsonPatchOperation[]]>([
    ['equal documents give no operation', { a: 1 }, { a: 1 }, []],
    ['a changed image is one replace', { c: [{ image: 'a:1' }] }, { c: [{ image: 'a:2' }] }, [{ op: 'replace', path: '/c/0/image', value: 'a:2' }]],
    ['a new member is an add', { a: 1 }, { a: 1, b: 2 }, [{ op: 'add', path: '/b', value: 2 }]],
    ['a missing member is a remove', { a: 1, b: 2 }, { a: 1 }, [{ op: 'remove', path: '/b' }]],
    ['a longer array adds at the end', { c: [1] }, { c: [1, 2, 3] }, [{ op: 'add', path: '/c/1', value: 2 }, { op: 'add', path: '/c/2', value: 3 }]],
    ['a shorter array removes from the end, highest first', { c: [1, 2, 3] }, { c: [1] }, [{ op: 'remove', path: '/c/2' }, { op: 'remove', path: '/c/1' }]],
    ['keys with / and ~ are escaped', { labels: {} }, { labels: { 'a/b~c': 'x' } }, [{ op: 'add', path: '/labels', value: { 'a/b~c': 'x' } }]],
    ['Go-written empties equal absent members', { metadata: { creationTimestamp: null }, resources: {}, args: [] }, {}, []],
    ['a type change is a replace', { a: [1] }, { a: { b: 1 } }, [{ op: 'replace', path: '/a', value: { b: 1 } }]],
    [
      'an added value keeps its empties: a volume with emptyDir {} stays an emptyDir volume',
      { spec: {} },
      { spec: { volumes: [{ name: 'logs', emptyDir: {} }] } },
      [{ op: 'add', path: '/spec', value: { volumes: [{ name: 'logs', emptyDir: {} }] } }],
    ],
    ['a replaced value keeps its empties', { c: [{ name: 'a' }] }, { c: [{ name: 'b', resources: {} }] }, [{ op: 'replace', path: '/c/0/name', value: 'b' }]],
    ['a value replacing another type keeps its empties', { c: 'x' }, { c: { emptyDir: {}, name: 'v' } }, [{ op: 'replace', path: '/c', value: { emptyDir: {}, name: 'v' } }]],
  ])('%s', (_story, from, to, expected) => {
    expect(diffJson(from, to)).toEqual(expected);
  });

  it('escapes nested keys in paths', () => {
    expect(diffJson({ labels: { x: '1' } }, { labels: { x: '1', 'a/b~c': 'x' } })).toEqual([{ op: 'add', path: '/labels/a~1b~0c', value: 'x' }]);
  });

  it.each([
    ['slash', 'apps.kruise.io/state', 'apps.kruise.io~1state'],
    ['tilde before slash', '~/', '~0~1'],
  ])('escapeJsonPointer: %s', (_story, token, expected) => {
    expect(escapeJsonPointer(token)).toBe(expected);
  });

  it('jsonEqual ignores key order', () => {
    expect(jsonEqual({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
  });

  it('property: applying the diff of a to b turns a into b', () => {
    fc.assert(
      fc.property(denseJson, denseJson, (a, b) => {
        expect(applyPatch(a, diffJson(a, b))).toEqual(b);
      }),
    );
  });

  it('property: the diff of a value with itself is empty', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (a) => {
        expect(diffJson(a, structuredClone(a))).toEqual([]);
      }),
    );
  });

  it('property: the same operations as diffing copies pruned of every empty member', () => {
    fc.assert(
      fc.property(sparseJson, sparseJson, (a, b) => {
        expect(diffJson(a, b)).toEqual(prunedDiff(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a subtree both documents share (a mutator kept it) gives the same operations as a copy of it', () => {
    fc.assert(
      fc.property(sparseJson, sparseJson, sparseJson, (shared, a, b) => {
        expect(diffJson({ a, shared }, { b, shared })).toEqual(diffJson({ a, shared }, { b, shared: structuredClone(shared) }));
      }),
    );
  });
});
