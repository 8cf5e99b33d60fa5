import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it.each([
    ['empty', '', ''],
    ['one byte pads twice', 'a', 'YQ=='],
    ['two bytes pad once', 'ab', 'YWI='],
    ['a metadata patch', '{"metadata":{"labels":{"a":"b"}}}', 'eyJtZXRhZGF0YSI6eyJsYWJlbHMiOnsiYSI6ImIifX19'],
    ['UTF-8 text', 'é€😀', 'w6nigqzwn5iA'],
  ])('%s', (_story, text, encoded) => {
    expect(encodeBase64(text)).toBe(encoded);
    expect(decodeBase64(encoded)).toBe(text);
  });

  it.each([
    ['not base64', 'a*b'],
    ['not UTF-8', '/w=='],
  ])('decodeBase64 is undefined for %s', (_story, encoded) => {
    expect(decodeBase64(encoded)).toBeUndefined();
  });
});
