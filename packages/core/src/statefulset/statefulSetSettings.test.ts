import { describe, expect, it } from 'vitest';
import type { ReserveOrdinal } from '../api/statefulSet.js';
import { aStatefulSet, type StatefulSetOptions } from '../testing/index.js';
import { parseOrdinalRange, replicaEndOrdinal, reserveOrdinalSet, resolveStatefulSetSettings, type StatefulSetFeatureGates } from './statefulSetSettings.js';

// Expected values follow OpenKruise's `GetReserveOrdinalIntSet`/`ParseRange` (pkg/util/api/asts.go),
// `getStatefulSetReplicasRange` and its TestGetStatefulSetReplicasRange (stateful_set_utils*.go),
// and `rollingUpdateStatefulsetPods`/`getScaleMaxUnavailable` (stateful_set_control.go).

describe('reserveOrdinalSet', () => {
  it.each<{ story: string; reserve: readonly ReserveOrdinal[] | undefined; expected: number[] }>([
    { story: 'no reserveOrdinals: nothing reserved', reserve: undefined, expected: [] },
    { story: 'an empty list: nothing reserved', reserve: [], expected: [] },
    { story: 'numbers as they are', reserve: [1, 3], expected: [1, 3] },
    { story: 'a number listed twice counts once', reserve: [5, 5], expected: [5] },
    { story: 'a range includes both ends', reserve: [1, '3-4'], expected: [1, 3, 4] },
    { story: 'a one-element range', reserve: ['2-2'], expected: [2] },
    { story: 'overlapping ranges merge', reserve: ['1-3', '2-5'], expected: [1, 2, 3, 4, 5] },
    { story: 'Atoi reads a leading + and leading zeros', reserve: ['+1-02'], expected: [1, 2] },
    { story: 'a descending range makes the whole list empty', reserve: [1, '5-3'], expected: [] },
    { story: 'a single number as a string is not a range: whole list empty', reserve: [1, '7'], expected: [] },
    { story: 'a word is not a range: whole list empty', reserve: ['x', 2], expected: [] },
    { story: 'three parts ("1-2-3") is not a range', reserve: ['1-2-3'], expected: [] },
    { story: 'a negative start splits into three parts: not a range', reserve: ['-1-2'], expected: [] },
    { story: 'a missing end is not a range', reserve: ['1-'], expected: [] },
  ])('$story', ({ reserve, expected }) => {
    expect([...reserveOrdinalSet(reserve)].sort((a, b) => a - b)).toEqual(expected);
  });
});

describe('parseOrdinalRange', () => {
  it.each([
    { story: 'an ascending range', text: '3-5', expected: { start: 3, end: 5 } },
    { story: 'start equal to end', text: '4-4', expected: { start: 4, end: 4 } },
    { story: 'signed and zero-padded numbers (strconv.Atoi)', text: '+0-010', expected: { start: 0, end: 10 } },
    { story: 'descending: refused', text: '5-3', expected: undefined },
    { story: 'no dash: refused', text: '3', expected: undefined },
    { story: 'two dashes: refused', text: '1-2-3', expected: undefined },
    { story: 'not numbers: refused', text: 'a-b', expected: undefined },
    { story: 'empty start: refused', text: '-3', expected: undefined },
    { story: 'a decimal: refused', text: '1.5-3', expected: undefined },
  ])('$story', ({ text, expected }) => {
    expect(parseOrdinalRange(text)).toEqual(expected);
  });
});

describe('replicaEndOrdinal', () => {
  it.each([
    { story: 'replicas 3 from 0, nothing reserved → 3', start: 0, replicas: 3, reserved: [], end: 3 },
    { story: 'replicas 0 → the start ordinal', start: 4, replicas: 0, reserved: [1], end: 4 },
    { story: 'replicas 4, reserved {1, 3, 4} → 7 (pods 0, 2, 5, 6)', start: 0, replicas: 4, reserved: [1, 3, 4], end: 7 },
    { story: 'OpenKruise case: start 0, reserved {1, 3}, replicas 4 → 6', start: 0, replicas: 4, reserved: [1, 3], end: 6 },
    { story: 'OpenKruise case: start 2, reserved {1, 3}, replicas 4 → 7 (2, 4, 5, 6)', start: 2, replicas: 4, reserved: [1, 3], end: 7 },
    { story: 'OpenKruise case: start 3, reserved {1, 3}, replicas 4 → 8 (4..7)', start: 3, replicas: 4, reserved: [1, 3], end: 8 },
    { story: 'OpenKruise case: start 4, reserved {1, 3}, replicas 4 → 8 (4..7)', start: 4, replicas: 4, reserved: [1, 3], end: 8 },
    { story: 'reserved ordinals past the end do not move it', start: 0, replicas: 2, reserved: [10, 11], end: 2 },
  ])('$story', ({ start, replicas, reserved, end }) => {
    expect(replicaEndOrdinal(start, replicas, new Set(reserved))).toBe(end);
  });
});

describe('resolveStatefulSetSettings', () => {
  it('applies OpenKruise defaults to a bare set', () => {
    const settings = resolveStatefulSetSettings(aStatefulSet());
    expect(settings).toMatchObject({
      replicas: 1,
      startOrdinal: 0,
      endOrdinal: 1,
      podManagementPolicy: 'OrderedReady',
      updateType: 'RollingUpdate',
      hasRollingUpdate: false,
      partition: 0,
      maxUnavailable: 1,
      scaleMaxUnavailable: undefined,
      podUpdatePolicy: 'ReCreate',
      paused: false,
      unordered: false,
      priorityStrategy: undefined,
      minReadySeconds: 0,
      gracePeriodSeconds: 0,
      lifecycle: undefined,
      retention: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      autoDeletePvc: true,
      podIndexLabel: true,
      revisionHistoryLimit: 10,
    });
    expect([...settings.reserved]).toEqual([]);
  });

  it.each<{ story: string; options: StatefulSetOptions; expected: Record<string, unknown> }>([
    { story: 'replicas 10, maxUnavailable 25% → 2 (2.5 rounded down)', options: { replicas: 10, maxUnavailable: '25%' }, expected: { maxUnavailable: 2 } },
    { story: 'replicas 5, maxUnavailable 10% → 0 → at least 1', options: { replicas: 5, maxUnavailable: '10%' }, expected: { maxUnavailable: 1 } },
    { story: 'maxUnavailable 0 → at least 1', options: { replicas: 5, maxUnavailable: 0 }, expected: { maxUnavailable: 1 } },
    { story: 'maxUnavailable 3 as it is', options: { replicas: 5, maxUnavailable: 3 }, expected: { maxUnavailable: 3 } },
    { story: 'maxUnavailable above replicas is kept', options: { replicas: 2, maxUnavailable: 5 }, expected: { maxUnavailable: 5 } },
    { story: 'replicas 4, maxUnavailable 100% → 4', options: { replicas: 4, maxUnavailable: '100%' }, expected: { maxUnavailable: 4 } },
    { story: 'replicas 5, scaleStrategy.maxUnavailable 50% → 2 (rounded down)', options: { replicas: 5, scaleMaxUnavailable: '50%' }, expected: { scaleMaxUnavailable: 2 } },
    { story: 'scaleStrategy.maxUnavailable 0 → at least 1', options: { replicas: 5, scaleMaxUnavailable: 0 }, expected: { scaleMaxUnavailable: 1 } },
    { story: 'scaleStrategy.maxUnavailable 3 as it is', options: { replicas: 5, scaleMaxUnavailable: 3 }, expected: { scaleMaxUnavailable: 3 } },
    { story: 'a partition sets the rollingUpdate section', options: { replicas: 5, partition: 2 }, expected: { partition: 2, hasRollingUpdate: true } },
    { story: 'replicas 0 → end ordinal 0', options: { replicas: 0 }, expected: { replicas: 0, endOrdinal: 0 } },
    { story: 'replicas 4, reserveOrdinals [1, "3-4"] → end ordinal 7', options: { replicas: 4, reserveOrdinals: [1, '3-4'] }, expected: { startOrdinal: 0, endOrdinal: 7 } },
    { story: 'ordinals.start is ignored without the StatefulSetStartOrdinal gate', options: { replicas: 3, startOrdinal: 2 }, expected: { startOrdinal: 0, endOrdinal: 3 } },
    { story: 'empty unorderedUpdate: unordered without priority', options: { unorderedUpdate: true }, expected: { unordered: true, priorityStrategy: undefined, hasRollingUpdate: true } },
    {
      story: 'unorderedUpdate with a priority strategy',
      options: { unorderedUpdate: { weightPriority: [{ weight: 10, matchSelector: { matchLabels: { a: 'b' } } }] } },
      expected: { unordered: true, priorityStrategy: { weightPriority: [{ weight: 10, matchSelector: { matchLabels: { a: 'b' } } }] } },
    },
    { story: 'Parallel, OnDelete, InPlaceIfPossible, paused', options: { podManagementPolicy: 'Parallel', updateType: 'OnDelete', podUpdatePolicy: 'InPlaceIfPossible', paused: true }, expected: { podManagementPolicy: 'Parallel', updateType: 'OnDelete', podUpdatePolicy: 'InPlaceIfPossible', paused: true } },
    { story: 'minReadySeconds and in-place grace period', options: { minReadySeconds: 30, gracePeriodSeconds: 5 }, expected: { minReadySeconds: 30, gracePeriodSeconds: 5 } },
    { story: 'a retention policy as given', options: { retentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }, expected: { retention: { whenDeleted: 'Delete', whenScaled: 'Retain' } } },
  ])('$story', ({ options, expected }) => {
    expect(resolveStatefulSetSettings(aStatefulSet(options))).toMatchObject(expected);
  });

  it.each<{ story: string; options: StatefulSetOptions; gates: StatefulSetFeatureGates; expected: Record<string, unknown>; reserved: number[] }>([
    { story: 'StatefulSetStartOrdinal on: start 2, replicas 3 → [2, 5)', options: { replicas: 3, startOrdinal: 2 }, gates: { StatefulSetStartOrdinal: true }, expected: { startOrdinal: 2, endOrdinal: 5 }, reserved: [] },
    {
      story: 'StatefulSetStartOrdinal on: start 2, reserved {1, 3}, replicas 4 → [2, 7)',
      options: { replicas: 4, startOrdinal: 2, reserveOrdinals: [1, 3] },
      gates: { StatefulSetStartOrdinal: true },
      expected: { startOrdinal: 2, endOrdinal: 7 },
      reserved: [1, 3],
    },
    { story: 'StatefulSetAutoDeletePVC off', options: {}, gates: { StatefulSetAutoDeletePVC: false }, expected: { autoDeletePvc: false }, reserved: [] },
    { story: 'PodIndexLabel off', options: {}, gates: { PodIndexLabel: false }, expected: { podIndexLabel: false }, reserved: [] },
  ])('$story', ({ options, gates, expected, reserved }) => {
    const settings = resolveStatefulSetSettings(aStatefulSet(options), gates);
    expect(settings).toMatchObject(expected);
    expect([...settings.reserved].sort((a, b) => a - b)).toEqual(reserved);
  });

  it('reads revisionHistoryLimit from the spec', () => {
    const set = aStatefulSet();
    expect(resolveStatefulSetSettings({ ...set, spec: { ...set.spec, revisionHistoryLimit: 3 } }).revisionHistoryLimit).toBe(3);
  });
});
