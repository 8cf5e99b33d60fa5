import { describe, expect, it } from 'vitest';
import { addGoQuantities, formatGoQuantity, goMilliValue, goQuantityFromMilli, isGoQuantity, parseGoQuantity } from './sidecarSetGoQuantity.js';

// Expected values are Go's `resource.ParseQuantity(s).String()` and `.MilliValue()` (k8s.io/apimachinery v0.36).
describe('parseGoQuantity + formatGoQuantity (Go resource.Quantity)', () => {
  it.each([
    ['0.5', '500m', 500n],
    ['1024Mi', '1Gi', 1073741824000n],
    ['1.5Gi', '1536Mi', 1610612736000n],
    ['0.5Gi', '512Mi', 536870912000n],
    ['512Ki', '512Ki', 524288000n],
    ['100m', '100m', 100n],
    ['1000m', '1', 1000n],
    ['1500', '1500', 1500000n],
    ['2000000', '2M', 2000000000n],
    ['1.125G', '1.125G', 1125000000000n],
    ['1.5k', '1500', 1500000n],
    ['1e3', '1e3', 1000000n],
    ['1E3', '1E3', 1000000n],
    ['1e-3', '1e-3', 1n],
    ['0.0000000001', '1n', 1n],
    ['01Gi', '01Gi', 1073741824000n],
    ['1.', '1.', 1000n],
    ['.5', '500m', 500n],
    ['3Mi', '3Mi', 3145728000n],
    ['1.5m', '1500u', 2n],
    ['+100.5Ei', '9223372036854775807', undefined],
  ] as const)('%s prints %s', (text, printed, milli) => {
    const q = parseGoQuantity(text);
    if (!isGoQuantity(q)) throw new Error(q.message);
    expect(formatGoQuantity(q)).toBe(printed);
    if (milli !== undefined) expect(goMilliValue(q)).toBe(milli);
  });

  it.each(['', '1Mi5', '1K', 'abc', '.Pi'])('%j is not a quantity, as in Go', (text) => {
    expect(isGoQuantity(parseGoQuantity(text))).toBe(false);
  });

  it('adds keeping the first non-zero format, and prints a milli value in its format', () => {
    const parsed = (text: string) => {
      const q = parseGoQuantity(text);
      if (!isGoQuantity(q)) throw new Error(q.message);
      return q;
    };
    const sum = addGoQuantities(addGoQuantities({ numerator: 0n, scale: 0, format: 'DecimalSI' }, parsed('200Mi')), parsed('400Mi'));
    expect(formatGoQuantity(sum)).toBe('600Mi');
    expect(formatGoQuantity(goQuantityFromMilli(188743680000n, 'BinarySI'))).toBe('180Mi');
    expect(formatGoQuantity(goQuantityFromMilli(75n, 'DecimalSI'))).toBe('75m');
  });
});
