import { getPath } from './jsonValue.js';
import { SelectorParseError } from './labelSelectorString.js';

/** One term of a field selector: `spec.nodeName=node-1` or `status.phase!=Running`. */
interface FieldTerm {
  readonly field: string;
  readonly equals: boolean;
  readonly value: string;
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i] ?? '';
    if (c === '\\' && i + 1 < selector.length) {
      current += selector.slice(i, i + 2);
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms.filter((t) => t !== '');
}

function parseTerm(term: string): FieldTerm {
  const match = /^(.*?)(!=|==|=)(.*)$/.exec(term);
  if (match === null) throw new SelectorParseError(`invalid selector: '${term}'; can't understand '${term}'`);
  const [, field = '', op = '', value = ''] = match;
  return { field: field.trim(), equals: op !== '!=', value: value.replace(/\\(.)/g, '$1') };
}

function fieldValue(object: unknown, field: string): string {
  const value = getPath(object, field);
  if (value === undefined || value === null) return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Returns a predicate over objects for a field selector (`metadata.name=web-0,status.phase!=Failed`),
 * accepting only the field labels the kind supports (`supported`); an unsupported label throws a
 * {@link SelectorParseError} with the apiserver's message `field label not supported: spec.foo`.
 *
 * @example parseFieldSelector('spec.nodeName=n1', ['spec.nodeName'])({ spec: { nodeName: 'n1' } }) → true
 */
export function parseFieldSelector(selector: string, supported: readonly string[]): (object: unknown) => boolean {
  const terms = splitTerms(selector).map(parseTerm);
  for (const term of terms) {
    if (!supported.includes(term.field)) throw new SelectorParseError(`field label not supported: ${term.field}`);
  }
  return (object) => terms.every((t) => (fieldValue(object, t.field) === t.value) === t.equals);
}
