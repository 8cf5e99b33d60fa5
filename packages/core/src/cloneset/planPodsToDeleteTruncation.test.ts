import { describe, expect, it } from 'vitest';
import { aPod } from '../testing/index.js';
import { planPodsToDeleteTruncation } from './planPodsToDeleteTruncation.js';

describe('planPodsToDeleteTruncation', () => {
  it.each([
    ['no list: keep', undefined, [aPod({ name: 'web-a' })], { kind: 'keep' }],
    ['empty list: keep', [], [aPod({ name: 'web-a' })], { kind: 'keep' }],
    ['every named pod still runs: keep', ['web-a'], [aPod({ name: 'web-a' }), aPod({ name: 'web-b' })], { kind: 'keep' }],
    [
      'web-a was deleted: drop it, keep web-b',
      ['web-a', 'web-b'],
      [aPod({ name: 'web-b' }), aPod({ name: 'web-c' })],
      { kind: 'truncate', from: ['web-a', 'web-b'], podsToDelete: ['web-b'], gone: ['web-a'] },
    ],
    [
      'a terminating pod no longer counts (OpenKruise lists active pods only)',
      ['web-a'],
      [aPod({ name: 'web-a', phase: 'terminating' })],
      { kind: 'truncate', from: ['web-a'], podsToDelete: [], gone: ['web-a'] },
    ],
    [
      'scale 10→3 naming 7 pods, all gone: empty list',
      ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6', 'web-7'],
      [aPod({ name: 'web-8' }), aPod({ name: 'web-9' }), aPod({ name: 'web-10' })],
      { kind: 'truncate', from: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6', 'web-7'], podsToDelete: [], gone: ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6', 'web-7'] },
    ],
  ])('%s', (_story, podsToDelete, pods, expected) => {
    expect(planPodsToDeleteTruncation(podsToDelete, pods)).toEqual(expected);
  });
});
