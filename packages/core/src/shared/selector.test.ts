import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isEmptyLabelSelector,
  labelSelectorToString,
  matchesLabelSelector,
  validateLabelSelector,
  type LabelSelector,
} from './selector.js';

const nginx: LabelSelector = { matchLabels: { app: 'nginx' } };

describe('matchesLabelSelector', () => {
  it.each<[string, LabelSelector, Record<string, string> | undefined, boolean]>([
    ['an empty selector matches everything', {}, { any: 'thing' }, true],
    ['an empty selector matches a pod without labels', {}, undefined, true],
    ['matchLabels matches the same pair', nginx, { app: 'nginx', tier: 'web' }, true],
    ['matchLabels needs the same value', nginx, { app: 'redis' }, false],
    ['matchLabels needs the key', nginx, {}, false],
    ['In matches a listed value', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, { tier: 'b' }, true],
    ['In fails on another value', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, { tier: 'c' }, false],
    ['In fails without the key', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, {}, false],
    ['NotIn matches without the key', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}, true],
    ['NotIn fails on a listed value', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, { tier: 'a' }, false],
    ['Exists matches an empty value', { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { canary: '' }, true],
    ['DoesNotExist fails when present', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, { canary: 'x' }, false],
    ['NotIn without values is invalid and matches nothing', { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, {}, false],
    ['Exists with values is invalid and matches nothing', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, { a: 'x' }, false],
    ['a key inherited from Object.prototype is not a label', { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, {}, false],
    [
      'matchLabels and expressions are ANDed',
      { matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
      { app: 'nginx', tier: 'b' },
      false,
    ],
  ])('%s', (_story, selector, labels, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });

  it('a selector built from a pod’s own labels always matches that pod', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 })), (labels) =>
        matchesLabelSelector({ matchLabels: labels }, labels),
      ),
    );
  });
});

describe('labelSelectorToString', () => {
  it.each<[string, LabelSelector, string]>([
    ['an empty selector is ""', {}, ''],
    ['matchLabels become key=value, sorted by key', { matchLabels: { tier: 'web', app: 'nginx' } }, 'app=nginx,tier=web'],
    [
      'In values are sorted inside parentheses',
      { matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      'app=nginx,tier in (a,b)',
    ],
    ['NotIn uses notin', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, 'env notin (prod)'],
    ['Exists is the bare key', { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, 'canary'],
    ['DoesNotExist is !key', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, '!canary'],
  ])('%s', (_story, selector, expected) => {
    expect(labelSelectorToString(selector)).toBe(expected);
  });
});

describe('isEmptyLabelSelector', () => {
  it.each<[string, LabelSelector, boolean]>([
    ['{} is empty', {}, true],
    ['empty lists are empty', { matchLabels: {}, matchExpressions: [] }, true],
    ['one label is not empty', nginx, false],
  ])('%s', (_story, selector, expected) => {
    expect(isEmptyLabelSelector(selector)).toBe(expected);
  });
});

describe('validateLabelSelector', () => {
  it.each<[string, LabelSelector, { path: string; message: string }[]]>([
    ['a valid selector has no problems', { matchLabels: { 'app.kubernetes.io/name': 'nginx' } }, []],
    [
      'In without values',
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      [{ path: 'spec.selector.matchExpressions[0].values', message: "must be specified when `operator` is 'In' or 'NotIn'" }],
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      [{ path: 'spec.selector.matchExpressions[0].values', message: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" }],
    ],
    [
      'a key with spaces',
      { matchExpressions: [{ key: 'a b', operator: 'Exists' }] },
      [
        {
          path: 'spec.selector.matchExpressions[0].key',
          message: `name part of "a b" must be 1-63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
        },
      ],
    ],
    [
      'an uppercase prefix',
      { matchLabels: { 'Example.com/app': 'x' } },
      [{ path: 'spec.selector.matchLabels', message: 'prefix of "Example.com/app" must be a lowercase DNS subdomain of at most 253 characters' }],
    ],
    [
      'a value ending with a dash',
      { matchLabels: { app: 'nginx-' } },
      [
        {
          path: 'spec.selector.matchLabels',
          message: `"nginx-" must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
        },
      ],
    ],
  ])('%s', (_story, selector, expected) => {
    expect(validateLabelSelector(selector, 'spec.selector')).toEqual(expected);
  });
});
