import { describe, expect, it } from 'vitest';
import { formatGoQuantity, isGoQuantity, parseGoQuantity } from './sidecarSetGoQuantity.js';
import { evaluateResourceExpression, type ResourceExpressionValue } from './sidecarSetResourcesExpression.js';

const q = (text: string): ResourceExpressionValue => {
  const parsed = parseGoQuantity(text);
  if (!isGoQuantity(parsed)) throw new Error(parsed.message);
  return { kind: 'quantity', value: parsed };
};
const shown = (expression: string, variables: Record<string, ResourceExpressionValue>): string => {
  const result = evaluateResourceExpression(expression, variables);
  if (result.kind === 'invalid') return `error: ${result.message}`;
  return result.value.kind === 'quantity' ? formatGoQuantity(result.value.value) : `number ${String(result.value.value)}`;
};

describe('evaluateResourceExpression (OpenKruise calculator)', () => {
  it.each([
    ['cpu*50% of 600m', 'cpu*50%', { cpu: q('600m') }, '300m'],
    ['max(cpu*50%, 50m) of 400m', 'max(cpu*50%, 50m)', { cpu: q('400m') }, '200m'],
    ['max(cpu*50%, 50m) of 50m: the constant wins', 'max(cpu*50%, 50m)', { cpu: q('50m') }, '50m'],
    ['memory*30% of 600Mi (binary kept)', 'memory*30%', { memory: q('600Mi') }, '180Mi'],
    ['a constant quantity', '200Mi', { memory: q('1Gi') }, '200Mi'],
    ['a quantity plus a number (the number is cores)', 'cpu + 1', { cpu: q('500m') }, '1500m'],
    ['piecewise: 0.5*cpu - 0.3*max(0, cpu-4) + 0.3*max(0, cpu-8) of 6', '0.5*cpu - 0.3*max(0, cpu-4) + 0.3*max(0, cpu-8)', { cpu: q('6') }, '2400m'],
    ['min of a number and a quantity compares in millis', 'min(2, cpu)', { cpu: q('3') }, '2'],
    ['division by a number', 'cpu / 4', { cpu: q('1') }, '250m'],
    ['precedence and unary minus', '-2 + 3 * 2', {}, 'number 4'],
    ['percent and exponent numbers', '1e2% * 3', {}, 'number 3'],
    ['variables ignore case', 'CPU*2', { cpu: q('100m') }, '200m'],
  ])('%s → %s', (_story, expression, variables, expected) => {
    expect(shown(expression, variables)).toBe(expected);
  });

  it.each([
    ['an unknown variable', 'invalidvar * 50%', 'undefined variable: invalidvar'],
    ['an unknown function', 'avg(cpu, 1)', 'unknown function: avg'],
    ['two quantities multiplied', 'cpu * 50m', 'multiplication of two quantities'],
    ['a division by a quantity', '1 / cpu', 'division by quantity'],
    ['a division by zero', 'cpu / 0', 'division by zero'],
    ['a negative result', '50m - cpu', 'calculation result is negative: -50m'],
    ['a character the lexer does not know', 'invalid expression @#$', 'undefined variable: invalid'],
    ['an operator with no operand', 'cpu +*/ 50%', 'parse error: syntax error at line 1, col 7'],
    ['three arguments', 'max(1, 2, 3)', 'parse error: syntax error at line 1, col 10'],
    ['two numbers in a row', '1.5.5m', 'parse error: syntax error at line 1, col 7'],
  ])('refuses %s', (_story, expression, message) => {
    expect(shown(expression, { cpu: q('100m') })).toBe(`error: ${message}`);
  });
});
