/*
 * Go regular expressions (RE2 syntax, `regexp.Compile` then `MatchString`, unanchored) run as
 * JavaScript RegExps. OpenKruise matches SidecarSet patch-metadata whitelist expressions and
 * `resourcesPolicy.targetContainersNameRegex` with Go's engine, so an expression Go accepts must
 * be accepted here and one Go refuses refused: RE2-only syntax is translated (`(?i)` flag groups,
 * `(?P<name>…)`, `\z`, `\A`, `\Q…\E`, POSIX classes such as `[[:alpha:]]`, `\pL`), and what RE2
 * does not support (back-references, look-around, unknown escapes) is an error, as in Go.
 */

/** A Go regular expression compiled to a RegExp, or Go's error. */
export type GoRegexp = { readonly kind: 'compiled'; readonly regexp: RegExp } | { readonly kind: 'invalid'; readonly message: string };

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
// Escapes RE2 accepts besides punctuation: character classes, anchors, control characters, hex, octal.
const RE2_ESCAPE_LETTERS = new Set(['d', 'D', 's', 'S', 'w', 'W', 'b', 'B', 'a', 'f', 't', 'n', 'r', 'v', 'x', 'p', 'P', 'A', 'z', 'Q', 'E']);

// Unicode general categories (RE2 and JavaScript name them alike); any other name is a script.
const CATEGORIES = new Set(['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs', 'Any']);
const unicodeProperty = (name: string): string => (CATEGORIES.has(name) ? name : `Script=${name}`);

class GoRegexpError extends Error {}

const fail = (code: string, expr: string): never => {
  throw new GoRegexpError(`${code}: \`${expr}\``);
};

// Escapes text outside a bracket expression (`-` needs no escape there, and may not have one in unicode mode).
function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

interface Translation {
  source: string;
  unicode: boolean;
}

// Translates one escape sequence at `i` (pointing at the backslash); returns it and its length.
function translateEscape(expr: string, i: number, inClass: boolean, out: Translation): [string, number] {
  const next = expr.charAt(i + 1);
  if (next === '') fail('trailing backslash at end of expression', '');
  if (/[0-9]/.test(next)) {
    // RE2 has no back-references: \0, or \1 to \7 followed by an octal digit, start an octal escape.
    if (next !== '0' && !/^[1-7][0-7]/.test(expr.slice(i + 1))) fail('invalid escape sequence', `\\${next}`);
    const octal = /^[0-7]{1,3}/.exec(expr.slice(i + 1))?.[0] ?? '0';
    return [`\\x${parseInt(octal, 8).toString(16).padStart(2, '0')}`, 1 + octal.length];
  }
  if (/[A-Za-z]/.test(next)) {
    if (!RE2_ESCAPE_LETTERS.has(next)) fail('invalid escape sequence', `\\${next}`);
    if (next === 'a') return ['\\x07', 2];
    if (next === 'z') return [inClass ? fail('invalid escape sequence', '\\z') : '(?![\\s\\S])', 2];
    if (next === 'A') return [inClass ? fail('invalid escape sequence', '\\A') : '(?<![\\s\\S])', 2];
    if (next === 'x') {
      const braced = /^\{([0-9A-Fa-f]+)\}/.exec(expr.slice(i + 2));
      if (braced) {
        out.unicode = true;
        return [`\\u{${braced[1] ?? '0'}}`, 2 + braced[0].length];
      }
      if (!/^[0-9A-Fa-f]{2}/.test(expr.slice(i + 2))) fail('invalid escape sequence', expr.slice(i, i + 4));
      return [expr.slice(i, i + 4), 4];
    }
    if (next === 'p' || next === 'P') {
      out.unicode = true;
      const braced = /^\{(\^?)([A-Za-z_]+)\}/.exec(expr.slice(i + 2));
      if (braced) return [`\\${braced[1] === '^' ? (next === 'p' ? 'P' : 'p') : next}{${unicodeProperty(braced[2] ?? '')}}`, 2 + braced[0].length];
      const one = expr.charAt(i + 2);
      if (!/[A-Za-z]/.test(one)) fail('invalid character class range', expr.slice(i, i + 3));
      return [`\\${next}{${one}}`, 3];
    }
    return [`\\${next}`, 2];
  }
  // Punctuation escapes itself; in unicode mode only some may be escaped, so write it safely.
  if (/[\w]/.test(next) || next.charCodeAt(0) > 0x7f) fail('invalid escape sequence', `\\${next}`);
  if (next === '-') return [inClass ? '\\-' : '-', 2];
  return [/[\\^$.*+?()[\]{}|/]/.test(next) ? `\\${next}` : next, 2];
}

// Translates a bracket expression starting at `i`; returns it and the index after it.
function translateClass(expr: string, start: number, out: Translation): [string, number] {
  // A class made of one negated POSIX class (`[[:^alpha:]]`) is the negated set.
  const negated = /^\[(\^?)\[:\^([a-z]+):\]\]/.exec(expr.slice(start));
  const negatedSet = negated ? POSIX_CLASSES[negated[2] ?? ''] : undefined;
  if (negated && negatedSet !== undefined) return [`[${negated[1] === '^' ? '' : '^'}${negatedSet}]`, start + negated[0].length];
  let i = start + 1;
  let body = '';
  if (expr.charAt(i) === '^') {
    body += '^';
    i += 1;
  }
  let first = true;
  while (i < expr.length) {
    const ch = expr.charAt(i);
    if (ch === ']' && !first) return [`[${body}]`, i + 1];
    if (ch === ']') {
      body += '\\]'; // a `]` right after `[` or `[^` is a literal in RE2
      first = false;
      i += 1;
      continue;
    }
    first = false;
    if (ch === '[' && expr.charAt(i + 1) === ':') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(expr.slice(i));
      if (posix) {
        const set = POSIX_CLASSES[posix[2] ?? ''];
        if (set === undefined) fail('invalid character class range', posix[0]);
        if (posix[1] === '^') fail('invalid character class range', posix[0]); // no negated sets inside a class in JS
        body += set ?? '';
        i += posix[0].length;
        continue;
      }
    }
    if (ch === '\\') {
      const [escaped, length] = translateEscape(expr, i, true, out);
      body += escaped;
      i += length;
      continue;
    }
    body += ch === '[' || ch === '/' ? `\\${ch}` : ch;
    i += 1;
  }
  return fail('missing closing ]', expr.slice(start));
}

const QUANTIFIER = /^(?:[*+?]|\{\d+(?:,\d*)?\})/;
const REPEAT = /^\{(\d+)(?:,(\d*))?\}/;

function translate(expr: string, out: Translation, ungreedy: boolean): string {
  let result = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr.charAt(i);
    if (ch === '\\') {
      if (expr.charAt(i + 1) === 'Q') {
        const end = expr.indexOf('\\E', i + 2);
        result += escapeLiteral(end < 0 ? expr.slice(i + 2) : expr.slice(i + 2, end));
        i = end < 0 ? expr.length : end + 2;
        continue;
      }
      const [escaped, length] = translateEscape(expr, i, false, out);
      result += escaped;
      i += length;
    } else if (ch === '[') {
      const [cls, next] = translateClass(expr, i, out);
      result += cls;
      i = next;
    } else if (ch === '(' && expr.charAt(i + 1) === '?') {
      const rest = expr.slice(i + 2);
      const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
      if (named) {
        result += `(?<${named[1] ?? ''}>`;
        i += 2 + named[0].length;
      } else if (rest.startsWith('<') || rest.startsWith('P<')) {
        fail('invalid named capture', expr.slice(i));
      } else if (rest.startsWith(':')) {
        result += '(?:';
        i += 3;
      } else {
        const flags = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (flags === null || (flags[1] === '' && (flags[2] ?? '') === '')) return fail('invalid or unsupported Perl syntax', expr.slice(i, i + 3));
        if ((flags[1] ?? '').includes('U') || (flags[2] ?? '').includes('U')) fail('invalid or unsupported Perl syntax', expr.slice(i, i + 2 + flags[0].length));
        const on = (flags[1] ?? '').replace(/U/g, '');
        const off = (flags[2] ?? '').replace(/U/g, '');
        // A bare `(?i)` applies to the rest of the enclosing group: open a modifier group closed with it.
        result += `(?${on}${off === '' ? '' : `-${off}`}:`;
        i += 2 + flags[0].length;
        if (flags[3] === ')') result += translateBareFlagTail(expr, i, out, ungreedy, (next) => (i = next));
      }
    } else if (ch === '{' && (REPEAT.exec(expr.slice(i))?.slice(1) ?? []).some((n) => Number(n) > 1000)) {
      fail('invalid repeat count', REPEAT.exec(expr.slice(i))?.[0] ?? '{');
    } else if (ungreedy && QUANTIFIER.test(expr.slice(i)) && result !== '') {
      const q = QUANTIFIER.exec(expr.slice(i))?.[0] ?? '';
      const lazy = expr.charAt(i + q.length) === '?';
      result += lazy ? q : `${q}?`;
      i += q.length + (lazy ? 1 : 0);
    } else {
      result += ch === '/' ? '\\/' : ch;
      i += 1;
    }
  }
  return result;
}

// The rest of the enclosing group after a bare flag group, closed; `advance` moves the caller past it.
function translateBareFlagTail(expr: string, from: number, out: Translation, ungreedy: boolean, advance: (next: number) => void): string {
  let depth = 0;
  let i = from;
  for (; i < expr.length; i++) {
    const ch = expr.charAt(i);
    if (ch === '\\') i += 1;
    else if (ch === '[') i = translateClass(expr, i, out)[1] - 1;
    else if (ch === '(') depth += 1;
    else if (ch === ')') {
      if (depth === 0) break;
      depth -= 1;
    }
  }
  advance(i);
  return `${translate(expr.slice(from, i), out, ungreedy)})`;
}

// Go's wording for the syntax errors JavaScript finds itself.
function goSyntaxMessage(expr: string, jsMessage: string): string {
  if (jsMessage.includes("Unmatched ')'")) return `unexpected ): \`${expr}\``;
  if (jsMessage.includes('Unterminated group')) return `missing closing ): \`${expr}\``;
  if (jsMessage.includes('Nothing to repeat')) {
    const nested = /(?:[*+?]|\{\d+(?:,\d*)?\})(?:[*+]|\{\d+(?:,\d*)?\})/.exec(expr);
    return nested ? `invalid nested repetition operator: \`${nested[0]}\`` : `missing argument to repetition operator: \`${expr}\``;
  }
  return `${jsMessage}: \`${expr}\``;
}

/**
 * Returns a Go regular expression compiled for JavaScript with the meaning Go gives it, or Go's
 * error (`error parsing regexp: …`) for syntax RE2 refuses. `(?U)` at the very start (ungreedy) is
 * supported; elsewhere it is refused here though Go accepts it.
 *
 * @example compileGoRegexp('(?i)^istio\\.io/') → { kind: 'compiled', regexp: /^istio\.io\//i }
 * @example compileGoRegexp('(a)\\1') → { kind: 'invalid', message: 'error parsing regexp: invalid escape sequence: `\\1`' }
 */
export function compileGoRegexp(expr: string): GoRegexp {
  const leading = /^\(\?([imsU]+)\)/.exec(expr);
  const flags = leading?.[1] ?? '';
  const body = leading ? expr.slice(leading[0].length) : expr;
  const out: Translation = { source: '', unicode: false };
  try {
    const source = translate(body, out, flags.includes('U'));
    const jsFlags = `${flags.includes('i') ? 'i' : ''}${flags.includes('m') ? 'm' : ''}${flags.includes('s') ? 's' : ''}${out.unicode ? 'u' : ''}`;
    return { kind: 'compiled', regexp: new RegExp(source, jsFlags) };
  } catch (error) {
    const message = error instanceof GoRegexpError ? error.message : goSyntaxMessage(expr, error instanceof Error ? error.message : String(error));
    return { kind: 'invalid', message: `error parsing regexp: ${message}` };
  }
}
