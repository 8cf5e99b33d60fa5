import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareQuantities, parseQuantity, quantitiesEqual } from './quantity.js';

describe('parseQuantity', () => {
  it.each<[string, string | number, bigint, number]>([
    ['plain integer', '2', 2n, 0],
    ['JSON number', 2, 2n, 0],
    ['JSON fraction', 0.5, 5n, 1],
    ['millicores', '100m', 1n, 1],
    ['decimal fraction', '0.1', 1n, 1],
    ['binary suffix with a fraction', '1.5Gi', 1610612736n, 0],
    ['Ki', '1Ki', 1024n, 0],
    ['k', '1k', 1000n, 0],
    ['exponent', '2e3', 2000n, 0],
    ['negative exponent', '25E-2', 25n, 2],
    ['exa suffix, not an exponent', '1E', 10n ** 18n, 0],
    ['trailing dot', '5.', 5n, 0],
    ['leading dot', '.5', 5n, 1],
    ['negative', '-1.5', -15n, 1],
    ['explicit plus', '+3', 3n, 0],
    ['zero with a suffix', '0Gi', 0n, 0],
    ['zero millis', '0.000m', 0n, 0],
  ])('%s: %s', (_story, input, numerator, scale) => {
    expect(parseQuantity(input)).toEqual({ kind: 'quantity', numerator, scale });
  });

  it.each<[string, string | number, string]>([
    ['empty', '', 'malformed-quantity'],
    ['two dots', '1.5.2', 'malformed-quantity'],
    ['unknown suffix', '1Gb', 'malformed-quantity'],
    ['lowercase ki', '1ki', 'malformed-quantity'],
    ['space', '1 Gi', 'malformed-quantity'],
    ['exponent without digits', '1e', 'malformed-quantity'],
    ['fractional exponent', '1e1.5', 'malformed-quantity'],
    ['huge exponent', '1e5000', 'exponent-out-of-range'],
    ['NaN', Number.NaN, 'not-a-finite-number'],
  ])('rejects %s', (_story, input, reason) => {
    expect(parseQuantity(input)).toMatchObject({ kind: 'invalid', reason });
  });
});

describe('compareQuantities', () => {
  it.each<[string, string | number, string | number, -1 | 0 | 1]>([
    ['1 core equals 1000m', '1', '1000m', 0],
    ['0.1 equals 100m', '0.1', '100m', 0],
    ['500m is less than 1', '500m', 1, -1],
    ['1Gi is more than 1G', '1Gi', '1G', 1],
    ['1Ki equals 1024', '1Ki', '1024', 0],
    ['2e3 equals 2k', '2e3', '2k', 0],
    ['-1 is less than 0', '-1', '0', -1],
  ])('%s', (_story, a, b, order) => {
    expect(compareQuantities(a, b)).toEqual({ kind: 'compared', order });
  });

  it('reports the unreadable side', () => {
    expect(compareQuantities('1', 'abc')).toMatchObject({ kind: 'invalid', reason: 'malformed-quantity' });
  });

  it('agrees with integer arithmetic for millis', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, b) => {
        const result = compareQuantities(`${String(a)}m`, `${String(b)}m`);
        return result.kind === 'compared' && result.order === Math.sign(a - b);
      }),
    );
  });

  it('a value in millis equals the same value in cores', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (millis) =>
        quantitiesEqual(`${String(millis)}m`, (millis / 1000).toFixed(3)),
      ),
    );
  });
});

describe('quantitiesEqual', () => {
  it.each<[string, string | number, string | number, boolean]>([
    ['equal values', '1', '1000m', true],
    ['different values', '1Ki', '1k', false],
    ['identical unreadable text', 'abc', 'abc', true],
    ['different unreadable text', 'abc', 'abd', false],
  ])('%s', (_story, a, b, expected) => {
    expect(quantitiesEqual(a, b)).toBe(expected);
  });
});
