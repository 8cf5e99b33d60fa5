import { labelKeyProblems, labelValueProblems, matchesLabelRequirement, type LabelSelectorRequirement, type Labels } from '@kruise-ts/core';

/** A label selector string that cannot be parsed; the message is the apiserver's. */
export class SelectorParseError extends Error {
  readonly _tag = 'SelectorParseError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'SelectorParseError';
  }
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: string } | { kind: 'end'; text: '' };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (SPECIAL.has(c)) {
      const two = text.slice(i, i + 2);
      const op = two === '==' || two === '!=' ? two : c;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      let j = i;
      while (j < text.length && !SPECIAL.has(text[j] ?? '') && !/\s/.test(text[j] ?? '')) j++;
      const word = text.slice(i, j);
      tokens.push(word === 'in' || word === 'notin' ? { kind: 'op', text: word } : { kind: 'id', text: word });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

/** A parsed requirement: one of core's label selector requirements, or a numeric comparison. */
type Requirement = { kind: 'set'; requirement: LabelSelectorRequirement } | { kind: 'numeric'; key: string; greater: boolean; value: number };

const set = (requirement: LabelSelectorRequirement): Requirement => ({ kind: 'set', requirement });

function check(key: string, values: readonly string[]): void {
  const problems = [...labelKeyProblems(key), ...values.flatMap((v) => labelValueProblems(v))];
  if (problems.length > 0) throw new SelectorParseError(`unable to parse requirement: ${problems.join('; ')}`);
}

function parseRequirements(tokens: Token[]): Requirement[] {
  const requirements: Requirement[] = [];
  let at = 0;
  const next = (): Token => tokens[at++] ?? { kind: 'end', text: '' };
  const peek = (): Token => tokens[at] ?? { kind: 'end', text: '' };
  const expected = (found: Token, what: string): SelectorParseError => new SelectorParseError(`found '${found.text}', expected: ${what}`);
  while (peek().kind !== 'end') {
    const first = next();
    if (first.kind === 'op' && first.text === '!') {
      const key = next();
      if (key.kind !== 'id') throw expected(key, 'identifier after \'!\'');
      check(key.text, []);
      requirements.push(set({ key: key.text, operator: 'DoesNotExist' }));
    } else if (first.kind === 'id') {
      const op = peek();
      if (op.kind === 'end' || op.text === ',') {
        check(first.text, []);
        requirements.push(set({ key: first.text, operator: 'Exists' }));
      } else if (op.kind !== 'op' || op.text === '!' || op.text === '(' || op.text === ')') {
        throw new SelectorParseError(`unable to parse requirement: found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
      } else {
        next();
        requirements.push(parseOperand(first.text, op.text, next, peek, expected));
      }
    } else {
      throw expected(first, 'identifier');
    }
    const separator = next();
    if (separator.kind !== 'end' && separator.text !== ',') throw expected(separator, "','");
  }
  return requirements;
}

function parseOperand(key: string, op: string, next: () => Token, peek: () => Token, expected: (t: Token, w: string) => SelectorParseError): Requirement {
  if (op === 'in' || op === 'notin') {
    const open = next();
    if (open.text !== '(') throw expected(open, "'('");
    const values: string[] = [];
    for (;;) {
      const value = peek().kind === 'id' ? next().text : '';
      values.push(value);
      const sep = next();
      if (sep.text === ')') break;
      if (sep.text !== ',') throw expected(sep, "',' or ')'");
    }
    check(key, values);
    return set({ key, operator: op === 'in' ? 'In' : 'NotIn', values });
  }
  const value = peek().kind === 'id' ? next().text : '';
  if (op === '<' || op === '>') {
    if (!/^-?[0-9]+$/.test(value)) throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    return { kind: 'numeric', key, greater: op === '>', value: Number(value) };
  }
  check(key, [value]);
  return set({ key, operator: op === '!=' ? 'NotIn' : 'In', values: [value] });
}

function matches(requirement: Requirement, labels: Labels): boolean {
  if (requirement.kind === 'set') return matchesLabelRequirement(requirement.requirement, labels);
  const raw = labels?.[requirement.key];
  if (raw === undefined || !/^-?[0-9]+$/.test(raw)) return false;
  return requirement.greater ? Number(raw) > requirement.value : Number(raw) < requirement.value;
}

/**
 * Returns a predicate over labels for a selector in Kubernetes' string form (`app=web,tier in
 * (a,b),!canary,release!=v1,replicas>2`), as a list call or watch sends it; `""` selects
 * everything. Throws a {@link SelectorParseError} with the apiserver's message when it cannot be
 * parsed.
 *
 * @example parseLabelSelector('app=web,!canary')({ app: 'web' }) → true
 */
export function parseLabelSelector(selector: string): (labels: Labels) => boolean {
  const requirements = parseRequirements(tokenize(selector));
  return (labels) => requirements.every((r) => matches(r, labels));
}
