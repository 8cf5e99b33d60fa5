/**
 * The live progress view: each step's pods grouped by revision and state, with the CloneSet's
 * status counters. On a terminal the block is redrawn in place (ANSI cursor moves); elsewhere (CI,
 * a pipe, a test) one plain line is printed whenever what it says changes. Every line of the
 * redrawn block fits the terminal's width (a wrapped line would break the redraw).
 */
import type { CloneSetStatus } from '@kruise-ts/core';
import { FALLBACK_COLUMNS, firstThatFits, fitLine, fitList, visibleWidth, wrapParts, wrapWords } from '@kruise-ts/cli';
import { countUnavailable, groupRows, type PodRow, type PodState } from './podRows.js';

/** Where the view writes: `process.stdout` or anything with `write`. */
export interface TextSink {
  write(text: string): unknown;
}

/** What the view shows of a running step. */
export interface StepFrame {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  readonly title: string;
  readonly elapsedMs: number;
  readonly status: CloneSetStatus | undefined;
  /** Images of the CloneSet's template (the update revision's). */
  readonly images: readonly string[];
  readonly rows: readonly PodRow[];
  readonly replicas: number;
  /** The step's maxUnavailable, when it updates pods. */
  readonly maxUnavailable: number | undefined;
  /** Most unavailable so far in this step. */
  readonly maxSeen: number;
}

const COLORS: Readonly<Record<PodState, number>> = { pending: 36, creating: 36, running: 33, ready: 32, 'in-place updating': 33, terminating: 31 };

/** Returns `seconds` with one decimal: 2345 → `2.3s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The status counters, most verbose first: the widest that fits is shown. */
function statusLines(status: CloneSetStatus | undefined): string[] {
  if (status === undefined) return ['status    (not reported yet)'];
  const n = (v: number | undefined): string => String(v ?? 0);
  const { replicas, readyReplicas: ready, availableReplicas: available, updatedReplicas: updated, updatedReadyReplicas: updatedReady, expectedUpdatedReplicas: expected } = status;
  return [
    `status    replicas ${n(replicas)} · ready ${n(ready)} · available ${n(available)} · updated ${n(updated)} · updatedReady ${n(updatedReady)} · expectedUpdated ${n(expected)}`,
    `status  replicas ${n(replicas)} · ready ${n(ready)} · available ${n(available)} · updated ${n(updated)} (${n(updatedReady)} ready) · expected ${n(expected)}`,
    `status  rep ${n(replicas)} · rdy ${n(ready)} · avl ${n(available)} · upd ${n(updated)} · updRdy ${n(updatedReady)} · exp ${n(expected)}`,
  ];
}

function stateLabel(state: PodState, lifecycle: string): string {
  return lifecycle === '' || lifecycle === 'Normal' ? state : `${state} [${lifecycle}]`;
}

function budgetText(frame: StepFrame): string {
  const now = countUnavailable(frame.rows, frame.replicas);
  const limit = frame.maxUnavailable === undefined ? '' : ` (maxUnavailable ${frame.maxUnavailable})`;
  return `unavailable ${now}, most so far ${frame.maxSeen}${limit}`;
}

/**
 * Returns the lines of a step's block, each at most `width` columns: a title with the elapsed
 * time, the status counters, then per revision its images and its pods by state (instance ids,
 * with what an in-place update waits for; `+N` for those that do not fit), then the unavailable
 * count. `color` wraps the states in ANSI colours on a terminal (colours take no columns).
 *
 * @example a step 3 frame at 80 columns → ['▶ step 3/4  net → nginx:1.28-alpine in place, partition 2, maxUnavailab…  1.2s',
 *   '  status  replicas 6 · ready 6 · available 6 · updated 4 (4 ready) · expected 4',
 *   '  cloneset-dev-6f9c5b7d8 (current)  nginx:1.27-alpine alpine:3.8', '      ready                       2  4lb7x 7nqgd', …]
 */
export function renderStepBlock(frame: StepFrame, color: boolean, width: number = FALLBACK_COLUMNS): string[] {
  const paint = (state: PodState, text: string): string => (color ? `\x1b[${COLORS[state]}m${text}\x1b[0m` : text);
  const head = `▶ step ${frame.index}/${frame.count}  `;
  const elapsed = `  ${seconds(frame.elapsedMs)}`;
  const title = fitLine(frame.title, Math.max(1, width - visibleWidth(head) - visibleWidth(elapsed)));
  const lines = [`${head}${title}${elapsed}`, firstThatFits(statusLines(frame.status).map((l) => `  ${l}`), width)];
  const groups = groupRows(frame.rows, frame.status?.updateRevision ?? '', frame.images);
  const labelWidth = Math.min(32, Math.max(0, ...groups.flatMap((g) => g.states.map((st) => stateLabel(st.state, st.lifecycle).length))));
  for (const group of groups) {
    const role = group.isUpdate ? (groups.length > 1 ? 'update' : 'update = current') : 'current';
    lines.push(`  ${group.revision} (${role})  ${group.images.join(' ')}`);
    for (const { state, lifecycle, rows } of group.states) {
      const prefix = `      ${paint(state, stateLabel(state, lifecycle).padEnd(labelWidth))} ${String(rows.length).padStart(2)}  `;
      const pods = rows.map((r) => (r.detail === '' ? r.instanceId : `${r.instanceId}(${r.detail})`));
      lines.push(`${prefix}${fitList(pods, Math.max(2, width - visibleWidth(prefix)))}`);
    }
  }
  if (groups.length === 0) lines.push('  (no pods yet)');
  lines.push(`  ${budgetText(frame)}`);
  return lines.map((line) => fitLine(line, width));
}

/**
 * Returns the one-line form of a step frame for plain output, without the elapsed time (the
 * caller prefixes it), e.g. `step 3/4 · cloneset-dev-6f9c5b7d8: 4 ready · cloneset-dev-7b8d9c6f5: 2
 * in-place updating [Updating] · unavailable 2, most so far 2 (maxUnavailable 2) · updated 2/6`.
 */
export function renderStepLine(frame: StepFrame): string {
  const groups = groupRows(frame.rows, frame.status?.updateRevision ?? '', frame.images).map(
    (g) => `${g.revision}${g.isUpdate ? '*' : ''}: ${g.states.map((s) => `${s.rows.length} ${stateLabel(s.state, s.lifecycle)}`).join(', ')}`,
  );
  const updated = `updated ${frame.status?.updatedReplicas ?? 0}/${frame.status?.replicas ?? 0}`;
  return [`step ${frame.index}/${frame.count}`, ...(groups.length === 0 ? ['no pods yet'] : groups), budgetText(frame), updated].join(' · ');
}

/** A view that shows one step at a time and keeps each finished step on screen. */
export interface LiveView {
  /** Shows the step's current frame (redraws, or prints a line if it changed). */
  show(frame: StepFrame): void;
  /** Leaves the step's last frame on screen followed by `message`. */
  finish(frame: StepFrame, message: string): void;
  /** Prints lines below the view (broken between words to fit the width, when there is one). */
  print(...lines: string[]): void;
  /** Restores the terminal (cursor). */
  close(): void;
}

/** How the view draws. */
export interface LiveViewOptions {
  /** Redraw the step's block in place (a terminal); else print one line per change. */
  readonly tty: boolean;
  /** ANSI colours. */
  readonly color: boolean;
  /**
   * The terminal's width, read at each draw (a resize takes effect). The block fits it (80 when
   * absent); plain lines are broken at ` · `, printed lines between words, to fit it, and both
   * are kept whole when it is absent (a pipe).
   */
  readonly width?: (() => number) | undefined;
}

/** Returns a live view on `out`: redrawn in place when `tty`, else one line per change. */
export function createLiveView(out: TextSink, options: LiveViewOptions): LiveView {
  let drawn = 0;
  let lastLine = '';
  let legendShown = false;
  const erase = (): void => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (lines: readonly string[]): void => {
    erase();
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const plainLines = (stamp: string, line: string): string[] => {
    const width = options.width?.();
    return width === undefined ? [`${stamp}${line}`] : wrapParts(`${stamp}${line}`, width, ' · ', '  ');
  };
  const show = (frame: StepFrame): void => {
    if (options.tty) {
      draw(renderStepBlock(frame, options.color, options.width?.() ?? FALLBACK_COLUMNS));
      return;
    }
    if (!legendShown) out.write('Progress: one line per change; * marks the update revision.\n');
    legendShown = true;
    const line = renderStepLine(frame);
    if (line !== lastLine) out.write(`${plainLines(`[${seconds(frame.elapsedMs).padStart(6)}] `, line).join('\n')}\n`);
    lastLine = line;
  };
  if (options.tty) out.write('\x1b[?25l'); // hide the cursor while redrawing
  return {
    show,
    finish(frame, message) {
      show(frame);
      drawn = 0;
      lastLine = '';
      out.write(`${message}\n\n`);
    },
    print(...lines) {
      drawn = 0;
      const width = options.width?.();
      out.write(`${(width === undefined ? lines : lines.flatMap((line) => wrapWords(line, width))).join('\n')}\n`);
    },
    close() {
      if (options.tty) out.write('\x1b[?25h');
    },
  };
}
