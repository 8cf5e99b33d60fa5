import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../shared/revision.js';
import { jsonMembers, sortedJson, stringifyInOrder } from './annotationJson.js';

/** Keys JavaScript objects order specially (array indices first, numerically) next to ordinary ones. */
const trickyKey = fc.constantFrom('0', '9', '10', '07', '-1', '1.5', '4294967294', '4294967295', 'a', 'B', 'é', '', '__proto__', 'x/y');
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(trickyKey, fc.string({ maxLength: 3 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('sortedJson', () => {
  it.each<[string, unknown, string]>([
    ['keys sorted at every depth', { b: [1, { d: true, c: null }], a: 'x' }, '{"a":"x","b":[1,{"c":null,"d":true}]}'],
    ['array-index keys first, in numeric order', { b: 1, 10: 2, 9: 3, '07': 4 }, '{"9":3,"10":2,"07":4,"b":1}'],
    ['undefined members left out, undefined items null', { a: undefined, b: [undefined, 1] }, '{"b":[null,1]}'],
    ['strings escaped as JSON does', { 'q"': 'line\nbreak' }, '{"q\\"":"line\\nbreak"}'],
    ['a value alone', 'web-2', '"web-2"'],
    ['undefined alone', undefined, 'null'],
  ])('%s', (_story, value, text) => {
    expect(sortedJson(value)).toBe(text);
  });

  it('writes the same text as canonicalJson for any JSON value (property)', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(sortedJson(value)).toBe(canonicalJson(value));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('jsonMembers and stringifyInOrder', () => {
  it.each<[string, ReadonlyArray<readonly [string, unknown]>, string]>([
    ['members in the order given, values sorted', [['revision', 'web-1'], ['next', { b: 1, a: 2 }]], '"revision":"web-1","next":{"a":2,"b":1}'],
    ['undefined members left out, wherever they are', [['a', undefined], ['b', 1], ['c', undefined]], '"b":1'],
    ['nothing', [], ''],
  ])('%s', (_story, members, text) => {
    expect(jsonMembers(members)).toBe(text);
    expect(stringifyInOrder(members)).toBe(`{${text}}`);
  });
});
