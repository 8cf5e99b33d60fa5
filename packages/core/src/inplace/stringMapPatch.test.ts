import { describe, expect, it } from 'vitest';
import { applyStringMapPatch, diffStringMap, withoutKeys } from './stringMapPatch.js';

describe('string map patches', () => {
  it('diff then apply gives the new map', () => {
    const before = { a: '1', b: '2', c: '3' };
    const after = { a: '1', b: '9', d: '4' };
    expect(diffStringMap(before, after)).toEqual({ b: '9', d: '4', c: null });
    expect(applyStringMapPatch(before, diffStringMap(before, after))).toEqual(after);
  });

  it.each<[string, Record<string, string> | undefined, Record<string, string> | undefined, Record<string, string | null>]>([
    ['nothing on either side', undefined, undefined, {}],
    ['an empty value is a value', { a: '1' }, { a: '' }, { a: '' }],
    ['changed keys in the new map\'s order, then removed ones', { z: '1', a: '1' }, { b: '2', z: '2' }, { b: '2', z: '2', a: null }],
  ])('diffStringMap: %s', (_story, before, after, patch) => {
    expect(Object.entries(diffStringMap(before, after))).toEqual(Object.entries(patch));
  });
});

describe('withoutKeys', () => {
  it.each<[string, Record<string, string> | undefined, string[], Record<string, string>]>([
    ['drops the keys present', { a: '1', b: '2', c: '3' }, ['b', 'x'], { a: '1', c: '3' }],
    ['none present: a copy', { a: '1' }, ['b'], { a: '1' }],
    ['no map: an empty one', undefined, ['b'], {}],
  ])('%s', (_story, map, keys, expected) => {
    const result = withoutKeys(map, keys);
    expect(result).toEqual(expected);
    expect(result).not.toBe(map);
  });
});
