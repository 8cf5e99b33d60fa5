import { describe, expect, it } from 'vitest';
import { parsedOnce } from './parsedOnce.js';

describe('parsedOnce', () => {
  it('parses one object once, and each other object (a new version from the cache, an apiserver read) again', () => {
    const seen: unknown[] = [];
    const parse = parsedOnce((value: { n: number }) => {
      seen.push(value);
      return { kind: 'valid' as const, doubled: value.n * 2 };
    });
    const cached = { n: 2 };
    expect(parse(cached)).toEqual({ kind: 'valid', doubled: 4 });
    expect(parse(cached)).toBe(parse(cached));
    expect(parse({ n: 2 })).toEqual({ kind: 'valid', doubled: 4 });
    expect(seen).toHaveLength(2);
  });

  it('remembers an undefined result too', () => {
    let calls = 0;
    const parse = parsedOnce((_value: object) => {
      calls++;
      return undefined;
    });
    const object = {};
    parse(object);
    parse(object);
    expect(calls).toBe(1);
  });
});
