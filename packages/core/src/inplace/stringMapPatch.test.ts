import { describe, expect, it } from 'vitest';
import { applyStringMapPatch, diffStringMap } from './stringMapPatch.js';

describe('string map patches', () => {
  it('diff then apply gives the new map', () => {
    const before = { a: '1', b: '2', c: '3' };
    const after = { a: '1', b: '9', d: '4' };
    expect(diffStringMap(before, after)).toEqual({ b: '9', d: '4', c: null });
    expect(applyStringMapPatch(before, diffStringMap(before, after))).toEqual(after);
  });
});
