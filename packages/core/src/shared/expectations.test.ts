import { describe, expect, it } from 'vitest';
import {
  checkResourceVersion,
  checkScaleExpectations,
  expectResourceVersion,
  expectScale,
  isResourceVersionNewer,
  NO_SCALE_EXPECTATIONS,
  observeResourceVersion,
  observeScaleFromCache,
} from './expectations.js';

const T = 1_000_000;

describe('scale expectations', () => {
  it('blocks a second creation until the cache shows the first one (stale cache)', () => {
    let exp = expectScale(NO_SCALE_EXPECTATIONS, 'create', ['web-a', 'data-web-a']);
    expect(checkScaleExpectations(exp, T)).toMatchObject({ kind: 'unsatisfied', pending: { create: ['web-a', 'data-web-a'] }, requeueAfterMs: 300_000 });
    exp = observeScaleFromCache(exp, ['web-a']);
    expect(exp.create).toEqual(['data-web-a']);
    exp = observeScaleFromCache(exp, ['web-a', 'data-web-a']);
    expect(checkScaleExpectations(exp, T)).toEqual({ kind: 'satisfied', expectations: NO_SCALE_EXPECTATIONS });
  });

  it('sees deletions once the names are gone', () => {
    const exp = expectScale(NO_SCALE_EXPECTATIONS, 'delete', ['web-b']);
    expect(observeScaleFromCache(exp, ['web-b']).delete).toEqual(['web-b']);
    expect(observeScaleFromCache(exp, [])).toEqual(NO_SCALE_EXPECTATIONS);
  });

  it.each([
    { story: 'unsatisfied for 60 s → wait 240 s more', after: 60_000, want: { kind: 'unsatisfied', requeueAfterMs: 240_000 } },
    { story: 'unsatisfied for 5 min → timed out', after: 300_000, want: { kind: 'timed-out', requeueAfterMs: 0 } },
  ])('$story', ({ after, want }) => {
    const first = checkScaleExpectations(expectScale(NO_SCALE_EXPECTATIONS, 'create', ['x']), T);
    expect(checkScaleExpectations(first.expectations, T + after)).toMatchObject(want);
  });
});

describe('resource version expectations', () => {
  it.each([
    ['', 'x', true], ['x', '5', true], ['5', 'x', false], ['99', '100', true], ['100', '99', false], ['7', '7', true], ['007', '8', true],
  ])('isResourceVersionNewer(%j, %j) → %s', (current, candidate, want) => {
    expect(isResourceVersionNewer(current, candidate)).toBe(want);
  });

  it('waits until the cache reaches our write', () => {
    const pod = (rv: string) => ({ metadata: { uid: 'u1', resourceVersion: rv } });
    const exp = expectResourceVersion({}, pod('12'), T);
    expect(checkResourceVersion(exp, pod('11'), T + 1000)).toEqual({ kind: 'unsatisfied', expected: '12', requeueAfterMs: 299_000 });
    expect(checkResourceVersion(exp, pod('12'), T + 1000)).toEqual({ kind: 'satisfied' });
    expect(observeResourceVersion(exp, pod('11'))).toBe(exp);
    expect(observeResourceVersion(exp, pod('13'))).toEqual({});
  });

  it('times a newer write from the write, not from an older expectation of the same object', () => {
    const pod = (rv: string) => ({ metadata: { uid: 'u1', resourceVersion: rv } });
    const first = expectResourceVersion({}, pod('12'), T);
    const second = expectResourceVersion(first, pod('15'), T + 290_000);
    expect(checkResourceVersion(second, pod('12'), T + 300_000)).toEqual({ kind: 'unsatisfied', expected: '15', requeueAfterMs: 290_000 });
  });
});
