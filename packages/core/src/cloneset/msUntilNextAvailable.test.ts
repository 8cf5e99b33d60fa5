import { describe, expect, it } from 'vitest';
import { aPod, at, T0 } from '../testing/index.js';
import { msUntilNextAvailable } from './msUntilNextAvailable.js';

describe('msUntilNextAvailable', () => {
  it.each([
    ['minReadySeconds 30, ready since T0, now T0+20s → 10 s', 30, [aPod({ readySince: T0 })], at(20), 10_000],
    ['the soonest of two pods counts', 30, [aPod({ name: 'a', readySince: T0 }), aPod({ name: 'b', readySince: at(5) })], at(20), 10_000],
    ['an available pod waits for nothing', 30, [aPod({ readySince: T0 })], at(40), undefined],
    ['a not-ready pod waits for an event, not a timer', 30, [aPod({ phase: 'not-ready' })], at(20), undefined],
    ['minReadySeconds 0 never waits', 0, [aPod({ readySince: T0 })], at(0), undefined],
  ])('%s', (_story, minReadySeconds, pods, now, expected) => {
    expect(msUntilNextAvailable(pods, minReadySeconds, now)).toBe(expected);
  });
});
