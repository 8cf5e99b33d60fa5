import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePatchOf } from './mergePatchOf.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386 `MergePatch(target, patch)`, as the apiserver applies `application/merge-patch+json`. */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

describe('mergePatchOf', () => {
  it.each<{ story: string; before: unknown; after: unknown; patch: unknown }>([
    { story: 'changed and removed fields (the TSDoc example)', before: { replicas: 3, ready: 2, x: 1 }, after: { replicas: 3, ready: 3 }, patch: { ready: 3, x: null } },
    { story: 'nothing changed → an empty patch', before: { a: 1, b: { c: [1, 2] } }, after: { a: 1, b: { c: [1, 2] } }, patch: {} },
    { story: 'the same object with its keys in another order → an empty patch', before: { a: 1, b: { c: 1, d: 2 } }, after: { b: { d: 2, c: 1 }, a: 1 }, patch: {} },
    { story: 'a new field', before: { a: 1 }, after: { a: 1, b: 'x' }, patch: { b: 'x' } },
    { story: 'nested objects: only what differs inside', before: { status: { replicas: 3, ready: 2, revision: 'r1' } }, after: { status: { replicas: 3, ready: 3, revision: 'r1' } }, patch: { status: { ready: 3 } } },
    { story: 'a field removed deep down → null there', before: { status: { collisionCount: 1, replicas: 3 } }, after: { status: { replicas: 3 } }, patch: { status: { collisionCount: null } } },
    {
      story: 'arrays replaced whole, even when one element changes',
      before: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }] },
      after: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }] },
      patch: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }] },
    },
    { story: 'an array emptied → the empty array', before: { conditions: [{ type: 'A' }] }, after: { conditions: [] }, patch: { conditions: [] } },
    { story: 'an object becoming a scalar, and a scalar becoming an object', before: { a: { b: 1 }, c: 2 }, after: { a: 5, c: { d: 1 } }, patch: { a: 5, c: { d: 1 } } },
    { story: 'a field whose value is undefined counts as absent', before: { a: 1, b: 2 }, after: { a: 1, b: undefined }, patch: { b: null } },
    { story: 'an undefined field that was absent → nothing', before: { a: 1 }, after: { a: 1, b: undefined }, patch: {} },
    { story: 'not objects → the new value itself', before: [1], after: [2], patch: [2] },
  ])('$story', ({ before, after, patch }) => {
    expect(mergePatchOf(before, after)).toStrictEqual(patch);
  });

  it.each([
    { story: 'added', before: '{"a":{}}', after: '{"a":{"__proto__":{"x":1}}}', patch: '{"a":{"__proto__":{"x":1}}}' },
    { story: 'added empty', before: '{}', after: '{"__proto__":{}}', patch: '{"__proto__":{}}' },
    { story: 'removed', before: '{"__proto__":1,"b":2}', after: '{"b":2}', patch: '{"__proto__":null}' },
  ])('treats a `__proto__` member (as JSON.parse makes it) as an ordinary field: $story', ({ before, after, patch }) => {
    expect(JSON.stringify(mergePatchOf(JSON.parse(before), JSON.parse(after)))).toBe(patch);
  });

  it('does not change its arguments', () => {
    const before = { status: { replicas: 3, conditions: [{ type: 'A' }] } };
    const after = { status: { replicas: 4, conditions: [] } };
    mergePatchOf(before, after);
    expect([before, after]).toEqual([{ status: { replicas: 3, conditions: [{ type: 'A' }] } }, { status: { replicas: 4, conditions: [] } }]);
  });

  // JSON values without undefined; null only inside arrays, since a merge patch cannot tell a member set to null from a removed one.
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.integer(), fc.string(), fc.boolean()),
      fc.array(fc.oneof(fc.constant(null), tie('value')), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c', 'replicas', 'status', 'conditions'), tie('value'), { maxKeys: 4 }),
    ),
  }));
  const object = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'replicas', 'status', 'conditions'), value, { maxKeys: 5 });

  it('applying the patch to `before` with an RFC 7386 merge gives `after`', () => {
    fc.assert(
      fc.property(object, object, (before, after) => {
        expect(applyMergePatch(before, mergePatchOf(before, after))).toEqual(after);
      }),
      { numRuns: 500 },
    );
  });

  it('the patch of a value to itself is empty', () => {
    fc.assert(
      fc.property(object, (state) => {
        expect(mergePatchOf(state, structuredClone(state))).toEqual({});
      }),
    );
  });
});
