import {
  addGoQuantities,
  compareGoQuantities,
  formatGoQuantity,
  goMilliValue,
  goQuantityFromMilli,
  isGoQuantity,
  negateGoQuantity,
  parseGoQuantity,
  type GoQuantity,
} from './sidecarSetGoQuantity.js';

/*
 * The expression language of SidecarSet `resourcesPolicy.resourcesExpr` (OpenKruise's
 * `pkg/util/calculator`): `+ - * /`, parentheses, unary minus, `max(a, b)` and `min(a, b)`, plain
 * numbers (`0.5`, `1e3`), percentages (`50%` is 0.5), Kubernetes quantities (`50m`, `100Mi`) and
 * the variables `cpu` and `memory`. Numbers are float64; quantities are exact, and a quantity times
 * or divided by a number goes through its milli-value (`SetMilli(int64(milli × n))`), so the
 * rounding is OpenKruise's. A negative result is an error.
 */

/** A value of the calculator: a float64 number or a quantity. */
export type ResourceExpressionValue = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'quantity'; readonly value: GoQuantity };

/** The value of an expression, or OpenKruise's error text. */
export type ResourceExpressionResult = { readonly kind: 'value'; readonly value: ResourceExpressionValue } | { readonly kind: 'invalid'; readonly message: string };

type Token =
  | { readonly t: 'number' | 'quantity' | 'ident'; readonly text: string; readonly end: number }
  | { readonly t: 'op'; readonly text: string; readonly end: number }
  | { readonly t: 'eof'; readonly end: number };

const QUANTITY_UNITS = new Set(['m', 'k', 'M', 'G', 'T', 'P', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi']);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => /\p{L}/u.test(c);

// The lexer's number: digits, one dot, an exponent with its sign, a final `%`, or letters (a unit).
function readNumber(input: string, start: number): number {
  let i = start;
  let seenDot = false;
  let seenE = false;
  let expectExponentDigit = false;
  while (i < input.length) {
    const c = input.charAt(i);
    if (isDigit(c)) {
      expectExponentDigit = false;
      i += 1;
    } else if (c === '.' && !seenDot && !seenE) {
      seenDot = true;
      i += 1;
    } else if ((c === 'e' || c === 'E') && !seenE) {
      seenE = true;
      expectExponentDigit = true;
      i += 1;
    } else if ((c === '+' || c === '-') && expectExponentDigit) {
      expectExponentDigit = false;
      i += 1;
    } else if (c === '%') {
      return i + 1;
    } else if (isLetter(c) && !expectExponentDigit) {
      while (i < input.length && isLetter(input.charAt(i))) i += 1;
      return i;
    } else return i;
  }
  return i;
}

// A number token is a quantity when what follows its digits (and dots, signs, e) is a Kubernetes unit.
function isQuantityToken(text: string): boolean {
  const end = /^[\d.eE+-]*/.exec(text)?.[0].length ?? 0;
  return end > 0 && end < text.length && QUANTITY_UNITS.has(text.slice(end));
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && /\s/.test(input.charAt(i))) i += 1;
    if (i >= input.length) {
      tokens.push({ t: 'eof', end: i });
      return tokens;
    }
    const c = input.charAt(i);
    if (isDigit(c) || c === '.') {
      const end = readNumber(input, i);
      const text = input.slice(i, end);
      tokens.push({ t: isQuantityToken(text) ? 'quantity' : 'number', text, end });
      i = end;
    } else if (isLetter(c)) {
      let end = i;
      while (end < input.length && (isLetter(input.charAt(end)) || isDigit(input.charAt(end)) || input.charAt(end) === '_')) end += 1;
      tokens.push({ t: 'ident', text: input.slice(i, end), end });
      i = end;
    } else {
      tokens.push({ t: 'op', text: c, end: i + 1 });
      i += 1;
    }
  }
}

// strconv.ParseFloat on the lexer's text (Go ignores the error: an unreadable number is 0).
function parseNumber(text: string): number {
  const float = (s: string) => (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : Number.NaN);
  if (text.endsWith('%')) {
    const n = float(text.slice(0, -1));
    return Number.isFinite(n) ? n / 100 : 0;
  }
  const n = float(text);
  return Number.isNaN(n) ? 0 : n;
}

class SyntaxFailure extends Error {}

const number = (value: number): ResourceExpressionValue => ({ kind: 'number', value });
const quantity = (value: GoQuantity): ResourceExpressionValue => ({ kind: 'quantity', value });
// int64(float64) for the values that occur (truncation toward zero).
const int64 = (value: number): bigint => (Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n);
const milliQuantity = (value: number): GoQuantity => goQuantityFromMilli(int64(value * 1000), 'DecimalSI');
const toQuantity = (v: ResourceExpressionValue): GoQuantity => (v.kind === 'quantity' ? v.value : milliQuantity(v.value));

/** Evaluates while it parses, in the order OpenKruise's parser reduces, keeping its last semantic error. */
class Evaluator {
  private position = 0;
  lastError: string | undefined;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly variables: Readonly<Record<string, ResourceExpressionValue>>,
  ) {}

  private peek(): Token {
    return this.tokens[this.position] ?? { t: 'eof', end: 0 };
  }

  private take(): Token {
    const token = this.peek();
    if (token.t !== 'eof') this.position += 1;
    return token;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.t === 'op' && token.text === text;
  }

  private syntaxError(): never {
    throw new SyntaxFailure(`parse error: syntax error at line 1, col ${String(this.peek().end + 1)}`);
  }

  private expect(text: string): void {
    if (!this.isOp(text)) this.syntaxError();
    this.take();
  }

  // Records a semantic error (OpenKruise keeps the last one, some only when none is set); the failed value is undefined.
  private error(message: string, onlyIfUnset = false): ResourceExpressionValue | undefined {
    if (!onlyIfUnset || this.lastError === undefined) this.lastError = message;
    return undefined;
  }

  input(): ResourceExpressionValue | undefined {
    const value = this.expr();
    if (this.peek().t !== 'eof') this.syntaxError();
    return value;
  }

  private expr(): ResourceExpressionValue | undefined {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.take();
      const right = this.term();
      left = op.t === 'op' && op.text === '+' ? this.add(left, right) : this.sub(left, right);
      if (left === undefined) this.error(op.t === 'op' && op.text === '+' ? 'invalid addition operation' : 'invalid subtraction operation', true);
    }
    return left;
  }

  private term(): ResourceExpressionValue | undefined {
    let left = this.factor();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.take();
      const right = this.factor();
      left = op.t === 'op' && op.text === '*' ? this.mul(left, right) : this.div(left, right);
      if (left === undefined) this.error(op.t === 'op' && op.text === '*' ? 'invalid multiplication operation' : 'invalid division operation', true);
    }
    return left;
  }

  private factor(): ResourceExpressionValue | undefined {
    const token = this.take();
    if (token.t === 'number') return number(parseNumber(token.text));
    if (token.t === 'quantity') {
      const q = parseGoQuantity(token.text);
      return isGoQuantity(q) ? quantity(q) : this.error(q.message);
    }
    if (token.t === 'ident') return this.isOp('(') ? this.call(token.text) : this.variable(token.text);
    if (token.t === 'op' && token.text === '(') {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    if (token.t === 'op' && token.text === '-') {
      const operand = this.factor();
      if (operand === undefined) return undefined;
      return operand.kind === 'quantity' ? quantity(negateGoQuantity(operand.value)) : number(-operand.value);
    }
    this.position -= token.t === 'eof' ? 0 : 1;
    return this.syntaxError();
  }

  private variable(name: string): ResourceExpressionValue | undefined {
    const value = this.variables[name.toLowerCase()];
    return value ?? this.error(`undefined variable: ${name}`);
  }

  private call(name: string): ResourceExpressionValue | undefined {
    this.expect('(');
    const args = [this.expr()];
    if (this.isOp(',')) {
      this.take();
      args.push(this.expr());
    }
    this.expect(')');
    const result = this.callFunc(name, args);
    if (result === undefined) this.error('function call failed', true);
    return result;
  }

  private callFunc(name: string, args: readonly (ResourceExpressionValue | undefined)[]): ResourceExpressionValue | undefined {
    const fn = name.toLowerCase();
    if (fn !== 'max' && fn !== 'min') return this.error(`unknown function: ${name}`);
    if (args.length !== 2) return this.error(`${fn} function requires exactly 2 arguments, got ${String(args.length)}`);
    const [left, right] = args;
    if (left === undefined || right === undefined) return undefined;
    const pickLeft = (order: number) => (fn === 'max' ? order >= 0 : order <= 0);
    if (left.kind === 'number' && right.kind === 'number') return pickLeft(left.value === right.value ? 0 : left.value > right.value ? 1 : -1) ? left : right;
    // A number against a quantity is compared (and returned) as milli-quantity.
    const l = left.kind === 'quantity' ? left.value : milliQuantity(left.value);
    const r = right.kind === 'quantity' ? right.value : milliQuantity(right.value);
    return quantity(pickLeft(compareGoQuantities(l, r)) ? l : r);
  }

  private add(left: ResourceExpressionValue | undefined, right: ResourceExpressionValue | undefined): ResourceExpressionValue | undefined {
    if (left === undefined || right === undefined) return undefined;
    if (left.kind === 'number' && right.kind === 'number') return number(left.value + right.value);
    return quantity(addGoQuantities(toQuantity(left), toQuantity(right)));
  }

  private sub(left: ResourceExpressionValue | undefined, right: ResourceExpressionValue | undefined): ResourceExpressionValue | undefined {
    if (left === undefined || right === undefined) return undefined;
    if (left.kind === 'number' && right.kind === 'number') return number(left.value - right.value);
    return quantity(addGoQuantities(toQuantity(left), negateGoQuantity(toQuantity(right))));
  }

  private mul(left: ResourceExpressionValue | undefined, right: ResourceExpressionValue | undefined): ResourceExpressionValue | undefined {
    if (left === undefined || right === undefined) return undefined;
    if (left.kind === 'quantity' && right.kind === 'quantity') return this.error('multiplication of two quantities');
    if (left.kind === 'quantity' && right.kind === 'number') return quantity(goQuantityFromMilli(int64(Number(goMilliValue(left.value)) * right.value), left.value.format));
    if (right.kind === 'quantity' && left.kind === 'number') return quantity(goQuantityFromMilli(int64(Number(goMilliValue(right.value)) * left.value), right.value.format));
    return left.kind === 'number' && right.kind === 'number' ? number(left.value * right.value) : undefined;
  }

  private div(left: ResourceExpressionValue | undefined, right: ResourceExpressionValue | undefined): ResourceExpressionValue | undefined {
    if (left === undefined || right === undefined) return undefined;
    if (right.kind === 'quantity') return this.error('division by quantity');
    if (right.value === 0) return this.error('division by zero');
    if (left.kind === 'quantity') return quantity(goQuantityFromMilli(int64(Number(goMilliValue(left.value)) / right.value), left.value.format));
    return number(left.value / right.value);
  }
}

// Go's `%g` of a float64 (shortest representation, exponent form from 1e21 or below 1e-4).
function formatG(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(value);
}

/**
 * Returns the value of a resources expression with the given variables (names lower-case), or
 * OpenKruise's error: a syntax error (`parse error: syntax error at line 1, col N`), an
 * undefined variable or function, a wrong number of arguments, two quantities multiplied, a
 * division by a quantity or by zero, or a negative result.
 *
 * @example evaluateResourceExpression('max(cpu*50%, 50m)', { cpu: quantity 600m }) → quantity 300m
 * @example evaluateResourceExpression('invalidvar * 50%', { cpu: number 1 }) → { kind: 'invalid', message: 'undefined variable: invalidvar' }
 */
export function evaluateResourceExpression(expression: string, variables: Readonly<Record<string, ResourceExpressionValue>>): ResourceExpressionResult {
  const evaluator = new Evaluator(tokenize(expression), variables);
  let value: ResourceExpressionValue | undefined;
  try {
    value = evaluator.input();
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error;
    return { kind: 'invalid', message: evaluator.lastError ?? error.message };
  }
  if (value === undefined) return { kind: 'invalid', message: evaluator.lastError ?? 'no result from parser' };
  if (value.kind === 'quantity' && value.value.numerator < 0n) return { kind: 'invalid', message: `calculation result is negative: ${formatGoQuantity(value.value)}` };
  if (value.kind === 'number' && value.value < 0) return { kind: 'invalid', message: `calculation result is negative: ${formatG(value.value)}` };
  return { kind: 'value', value };
}
