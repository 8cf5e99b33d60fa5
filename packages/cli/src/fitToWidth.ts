/**
 * Fitting text to a terminal's width, so that a line never wraps: a wrapped line takes two rows,
 * and a view that redraws itself by moving the cursor up one row per line then leaves stale rows
 * behind. ANSI colour codes take no columns; every other code point is counted as one column.
 */

// ESC [ parameters final-byte: the colour and cursor sequences the view writes.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const ANSI_PART = new RegExp(`(${ANSI.source})`);
const RESET = '\x1b[0m';

/** The width used when the output is not a terminal (or does not say): 80 columns. */
export const FALLBACK_COLUMNS = 80;
/** Narrower terminals are treated as this wide (the view cannot say anything useful in less). */
export const MIN_COLUMNS = 20;

/**
 * Returns the width to fit lines to: the stream's `columns` (a TTY's, read at each call so a
 * resize takes effect), else {@link FALLBACK_COLUMNS}; at least {@link MIN_COLUMNS}.
 *
 * @example terminalWidth({ columns: 60 }) → 60; terminalWidth({}) → 80 (a pipe); terminalWidth({ columns: 8 }) → 20
 */
export function terminalWidth(out: { readonly columns?: number | undefined }): number {
  const columns = out.columns;
  return columns === undefined || !Number.isFinite(columns) || columns <= 0 ? FALLBACK_COLUMNS : Math.max(MIN_COLUMNS, Math.floor(columns));
}

/** Returns the columns `text` takes: `'\x1b[32mready\x1b[0m'` → 4, `'▶ step'` → 6. */
export function visibleWidth(text: string): number {
  return Array.from(text.replace(ANSI, '')).length;
}

/**
 * Returns `text` cut to at most `width` columns, ending in `…` when cut; colour codes are kept and
 * a colour cut open is reset.
 *
 * @example fitLine('abcdef', 4) → 'abc…'; fitLine('abc', 4) → 'abc'
 */
export function fitLine(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  let open = false;
  for (const part of text.split(ANSI_PART)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      open = part !== RESET;
      continue;
    }
    for (const char of part) {
      if (used === width - 1) return `${out}…${open ? RESET : ''}`;
      out += char;
      used += 1;
    }
  }
  return out;
}

/**
 * Returns as many of `items` as fit in `width` columns, joined by spaces, with `+N` for the rest.
 *
 * @example fitList(['4lb7x', '7nqgd', 'p2x9k', 'zz81c'], 15) → '4lb7x 7nqgd +2' (14 columns)
 */
export function fitList(items: readonly string[], width: number): string {
  const full = items.join(' ');
  if (visibleWidth(full) <= width) return full;
  for (let shown = items.length - 1; shown >= 0; shown -= 1) {
    const text = [...items.slice(0, shown), `+${items.length - shown}`].join(' ');
    if (visibleWidth(text) <= width) return text;
  }
  return fitLine(`+${items.length}`, Math.max(1, width));
}

/** Returns the first of `candidates` that fits `width` columns, else the last one cut to fit. */
export function firstThatFits(candidates: readonly string[], width: number): string {
  const fitting = candidates.find((c) => visibleWidth(c) <= width);
  return fitting ?? fitLine(candidates[candidates.length - 1] ?? '', width);
}

/**
 * Splits a line of `separator`-joined parts into lines of at most `width` columns, breaking only
 * between parts; a continuation line starts with `indent`, and a part too long on its own is cut.
 *
 * @example wrapParts('step 3/4 · a: 4 ready · b: 2 updating', 20, ' · ', '  ') →
 *   ['step 3/4', '  · a: 4 ready', '  · b: 2 updating'] (8, 14 and 17 columns)
 */
export function wrapParts(line: string, width: number, separator: string, indent: string): string[] {
  const [first = '', ...rest] = line.split(separator);
  const lines: string[] = [];
  let current = first;
  for (const part of rest) {
    const joined = `${current}${separator}${part}`;
    if (visibleWidth(joined) <= width) current = joined;
    else {
      lines.push(current);
      current = `${indent}${separator.trimStart()}${part}`;
    }
  }
  lines.push(current);
  return lines.map((l) => fitLine(l, width));
}

/**
 * Breaks `line` between words into lines of at most `width` columns; continuation lines are
 * indented two columns deeper than the line's own indentation, and a word too long is cut.
 *
 * @example wrapWords('  - images from Docker Hub', 16) → ['  - images from', '    Docker Hub']
 */
export function wrapWords(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const indent = `${/^ */.exec(line)?.[0] ?? ''}  `;
  const lines: string[] = [];
  let current = '';
  for (const word of line.trimStart().split(' ')) {
    const start = current === '' ? (lines.length === 0 ? line.slice(0, indent.length - 2) : indent) : `${current} `;
    if (current !== '' && visibleWidth(`${start}${word}`) > width) {
      lines.push(current.trimEnd());
      current = `${indent}${word}`;
    } else current = `${start}${word}`;
  }
  lines.push(current);
  return lines.map((l) => fitLine(l, width));
}
