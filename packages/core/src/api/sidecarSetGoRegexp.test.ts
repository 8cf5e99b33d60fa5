import { describe, expect, it } from 'vitest';
import { compileGoRegexp } from './sidecarSetGoRegexp.js';

// Expected values are Go's `regexp.Compile(expr)` and `MatchString` (Go 1.26).
describe('compileGoRegexp (RE2 syntax run as a RegExp)', () => {
  it.each([
    ['^istio\\.io/', 'istio.io/rev', true],
    ['(?i)^istio', 'ISTIO.io/x', true],
    ['^(?i)ISTIO', 'istio.io/rev', true],
    ['x(?i)APP', 'xapp', true],
    ['(?P<n>a)b', 'ab', true],
    ['\\Qa.b\\E', 'axb', false],
    ['app\\z', 'app', true],
    ['\\Aapp', 'xapp', false],
    ['[[:alpha:]]+$', 'A1_', false],
    ['[[:^alpha:]]', 'aaa', false],
    ['\\pL', 'é', true],
    ['\\p{Greek}', 'app', false],
    ['\\141', 'a', true],
    ['[]a]', 'a', true],
    ['(?U)a+', 'aaa', true],
    ['', 'anything', true],
  ] as const)('%s on %j → %s', (expr, input, matches) => {
    const compiled = compileGoRegexp(expr);
    expect(compiled.kind).toBe('compiled');
    if (compiled.kind === 'compiled') expect(compiled.regexp.test(input)).toBe(matches);
  });

  it.each([
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
    ['\\y', 'error parsing regexp: invalid escape sequence: `\\y`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
  ])('%s is refused as Go refuses it', (expr, message) => {
    expect(compileGoRegexp(expr)).toEqual({ kind: 'invalid', message });
  });
});
