import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculatePartitionReplicas,
  parseIntOrPercent,
  scaledValueFromIntOrPercent,
  type IntOrPercent,
} from './intOrPercent.js';

describe('parseIntOrPercent', () => {
  it.each<[string, IntOrPercent, ReturnType<typeof parseIntOrPercent>['kind'], string | number]>([
    ['an integer is a count', 5, 'int', 5],
    ['a negative integer is still a count (validation rejects it later)', -1, 'int', -1],
    ['"20%" is a percentage', '20%', 'percent', 20],
    ['"0%" is a percentage', '0%', 'percent', 0],
    ['"+5%" parses as Go Atoi does', '+5%', 'percent', 5],
    ['"-5%" parses (validation rejects it later)', '-5%', 'percent', -5],
    ['"5" is rejected as OpenKruise v1.9 does', '5', 'invalid', 'string-not-a-percentage'],
    ['"" is rejected', '', 'invalid', 'string-not-a-percentage'],
    ['"5.5%" is rejected', '5.5%', 'invalid', 'malformed-percentage'],
    ['" 5%" is rejected', ' 5%', 'invalid', 'malformed-percentage'],
    ['"%" is rejected', '%', 'invalid', 'malformed-percentage'],
    ['"abc%" is rejected', 'abc%', 'invalid', 'malformed-percentage'],
    ['an unsafe integer is rejected', 2 ** 60, 'invalid', 'out-of-range'],
  ])('%s', (_story, input, kind, detail) => {
    const parsed = parseIntOrPercent(input);
    expect(parsed.kind).toBe(kind);
    if (parsed.kind === 'int') expect(parsed.value).toBe(detail);
    if (parsed.kind === 'percent') expect(parsed.percent).toBe(detail);
    if (parsed.kind === 'invalid') expect(parsed.reason).toBe(detail);
  });

  it('explains a numeric string in words', () => {
    expect(parseIntOrPercent('5')).toEqual({
      kind: 'invalid',
      reason: 'string-not-a-percentage',
      message: '"5" is a string but not a percentage such as "5%"',
    });
  });
});

describe('scaledValueFromIntOrPercent', () => {
  it.each<[string, IntOrPercent, number, boolean, number]>([
    ['20% of 10 is 2 either way', '20%', 10, true, 2],
    ['25% of 10 rounds up to 3', '25%', 10, true, 3],
    ['25% of 10 rounds down to 2', '25%', 10, false, 2],
    ['20% of 3 rounds up to 1', '20%', 3, true, 1],
    ['20% of 3 rounds down to 0', '20%', 3, false, 0],
    ['an int is returned as is', 7, 10, false, 7],
    ['an int above total is not clamped', 15, 10, true, 15],
    ['150% of 4 is 6', '150%', 4, true, 6],
    ['anything of 0 is 0', '50%', 0, true, 0],
  ])('%s', (_story, value, total, roundUp, expected) => {
    expect(scaledValueFromIntOrPercent(value, total, roundUp)).toEqual({ kind: 'scaled', value: expected });
  });

  it('passes the parse problem through', () => {
    expect(scaledValueFromIntOrPercent('5', 10, true)).toMatchObject({ kind: 'invalid', reason: 'string-not-a-percentage' });
  });

  it('rounding up is never below rounding down, and they differ by at most 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100_000 }), (percent, total) => {
        const up = scaledValueFromIntOrPercent(`${String(percent)}%`, total, true);
        const down = scaledValueFromIntOrPercent(`${String(percent)}%`, total, false);
        if (up.kind !== 'scaled' || down.kind !== 'scaled') return false;
        return up.value - down.value >= 0 && up.value - down.value <= 1 && down.value * 100 <= percent * total;
      }),
    );
  });
});

describe('calculatePartitionReplicas', () => {
  it.each<[string, IntOrPercent | undefined, number | undefined, number]>([
    ['no partition keeps nothing', undefined, 10, 0],
    ['an int partition is used as is', 3, 10, 3],
    ['an int partition above replicas is clamped', 15, 10, 10],
    ['a negative int partition is clamped to 0', -2, 10, 0],
    ['50% of 5 rounds up to 3', '50%', 5, 3],
    ['10% of 5 rounds up to 1: at least one old pod is kept', '10%', 5, 1],
    ['99% of 10 would keep all 10, lowered to 9 so one pod updates', '99%', 10, 9],
    ['90% of 2 would keep both, lowered to 1', '90%', 2, 1],
    ['100% keeps every pod', '100%', 10, 10],
    ['99% of a single replica keeps it (lowering needs more than one replica)', '99%', 1, 1],
    ['replicas undefined counts as 1', '50%', undefined, 1],
    ['0% keeps nothing', '0%', 10, 0],
    ['anything of 0 replicas is 0', '50%', 0, 0],
  ])('%s', (_story, partition, replicas, expected) => {
    expect(calculatePartitionReplicas(partition, replicas)).toEqual({ kind: 'scaled', value: expected });
  });

  it('rejects a numeric string partition', () => {
    expect(calculatePartitionReplicas('3', 10)).toMatchObject({ kind: 'invalid', reason: 'string-not-a-percentage' });
  });

  it('stays within [0, replicas], and a percentage under 100% updates at least one of several pods', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 10_000 }), (percent, replicas) => {
        const result = calculatePartitionReplicas(`${String(percent)}%`, replicas);
        if (result.kind !== 'scaled') return false;
        const inRange = result.value >= 0 && result.value <= replicas;
        const updatesOne = percent >= 100 || replicas <= 1 || result.value < replicas;
        return inRange && updatesOne;
      }),
    );
  });
});
