import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLine, fitList, terminalWidth, visibleWidth, wrapParts, wrapWords } from '@kruise-ts/cli';
import { createLiveView, renderStepBlock, renderStepLine, type StepFrame } from './liveView.js';
import type { PodRow } from './podRows.js';

const ESC = String.fromCharCode(27);
const CURSOR_UP = new RegExp(`${ESC}\\[(\\d+)A`, 'g');
const ANY_ESCAPE = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g');

const row = (instanceId: string, revision: string, state: PodRow['state'], extra: Partial<PodRow> = {}): PodRow => ({
  name: `cloneset-dev-${instanceId}`,
  uid: `uid-${instanceId}`,
  instanceId,
  revision,
  node: 'kwok-node-1',
  ip: '10.0.0.1',
  state,
  detail: '',
  lifecycle: 'Normal',
  available: state === 'ready',
  images: [],
  restarts: 0,
  ...extra,
});

/** Step 3 of the demo half-way: 2 pods on the old revision, 2 updated and ready, 2 updating in place. */
const frame: StepFrame = {
  index: 3,
  count: 4,
  title: 'net → nginx:1.28-alpine in place, partition 2, maxUnavailable 2',
  elapsedMs: 1234,
  status: {
    replicas: 6,
    readyReplicas: 4,
    availableReplicas: 4,
    updatedReplicas: 4,
    updatedReadyReplicas: 2,
    expectedUpdatedReplicas: 4,
    observedGeneration: 3,
    currentRevision: 'cloneset-dev-6f9c5b7d8',
    updateRevision: 'cloneset-dev-7b8d9c6f5',
    collisionCount: 0,
  },
  images: ['nginx:1.28-alpine', 'alpine:3.8'],
  rows: [
    row('4lb7x', 'cloneset-dev-6f9c5b7d8', 'ready'),
    row('7nqgd', 'cloneset-dev-6f9c5b7d8', 'ready'),
    row('p2x9k', 'cloneset-dev-7b8d9c6f5', 'ready'),
    row('zz81c', 'cloneset-dev-7b8d9c6f5', 'ready'),
    row('q4w8e', 'cloneset-dev-7b8d9c6f5', 'in-place updating', { detail: 'image of net', lifecycle: 'Updating', available: false }),
    row('m3n7b', 'cloneset-dev-7b8d9c6f5', 'in-place updating', { detail: 'grace 1s', lifecycle: 'Updating', available: false }),
  ],
  replicas: 6,
  maxUnavailable: 2,
  maxSeen: 2,
};

/** Collects what the view writes, as a terminal of `columns` would get it. */
function fakeTerminal(): { text: () => string; write: (chunk: string) => void } {
  let written = '';
  return { text: () => written, write: (chunk) => void (written += chunk) };
}

describe('the live view at a terminal width', () => {
  it.each([
    { width: 60, color: false },
    { width: 60, color: true },
    { width: 80, color: false },
    { width: 80, color: true },
  ])('renders a step 3 frame with no line longer than $width columns (color $color)', ({ width, color }) => {
    const lines = renderStepBlock(frame, color, width);
    for (const line of lines) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    // The elapsed time stays at the end of the title, the pods the view cannot list are counted.
    expect(lines[0]).toMatch(/^▶ step 3\/4 {2}net → .*… {2}1\.2s$/);
    expect(lines.join('\n')).toContain('unavailable 2, most so far 2 (maxUnavailable 2)');
    expect(lines.some((l) => l.includes('in-place updating [Updating]'))).toBe(true);
    expect(lines).toHaveLength(8); // title, status, current (header, ready), update (header, ready, updating), budget
  });

  it('shows the counters in the widest form that fits: full at 120, shorter at 80, shortest at 60', () => {
    const statusAt = (width: number): string => renderStepBlock(frame, false, width)[1] ?? '';
    expect(statusAt(120)).toBe('  status    replicas 6 · ready 4 · available 4 · updated 4 · updatedReady 2 · expectedUpdated 4');
    expect(statusAt(80)).toBe('  status  replicas 6 · ready 4 · available 4 · updated 4 (2 ready) · expected 4');
    expect(statusAt(60)).toBe('  status  rep 6 · rdy 4 · avl 4 · upd 4 · updRdy 2 · exp 4');
  });

  it.each([60, 80])('redraws in place at %i columns: each redraw moves up exactly the rows it drew', (width) => {
    const out = fakeTerminal();
    const view = createLiveView(out, { tty: true, color: true, width: () => width });
    view.show(frame);
    view.show({ ...frame, elapsedMs: 2345 });
    view.show({ ...frame, elapsedMs: 3456 });
    view.close();
    const text = out.text();
    const ups = [...text.matchAll(CURSOR_UP)].map((m) => Number(m[1]));
    expect(ups).toEqual([8, 8]);
    for (const line of text.replace(ANY_ESCAPE, '').split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
  });

  it.each([
    { width: 60, whole: false },
    { width: 80, whole: true },
  ])('breaks a plain line at its separators to fit $width columns (nothing cut: $whole)', ({ width, whole }) => {
    const out = fakeTerminal();
    const view = createLiveView(out, { tty: false, color: false, width: () => width });
    view.show(frame);
    const lines = out.text().trimEnd().split('\n').slice(1); // after the legend
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    // Joined again, the lines say what the one-line form says; at 60 the update revision's part is cut.
    const joined = lines.map((l, i) => (i === 0 ? l : l.trimStart())).join(' ');
    if (whole) expect(joined).toBe(`[  1.2s] ${renderStepLine(frame)}`);
    else expect(joined).toMatch(/^\[ {2}1\.2s\] step 3\/4 · cloneset-dev-6f9c5b7d8: 2 ready · cloneset-dev-7b8d9c6f5\*: 2 ready, 2 in-place updating \[…/);
  });

  it.each([60, 80])('breaks printed lines between words to fit %i columns, every word kept', (width) => {
    const header = [
      'Cluster: in-memory cluster (createMemoryCluster), 3 nodes: kwok-node-0, kwok-node-1, kwok-node-2',
      '  - images from Docker Hub instead of 192.168.6.77:5000: net nginx:1.27-alpine, alpine alpine:3.8',
      'short',
    ];
    const out = fakeTerminal();
    createLiveView(out, { tty: true, color: false, width: () => width }).print(...header);
    const lines = out.text().replace(ANY_ESCAPE, '').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(header.length);
    for (const line of lines) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    expect(lines.join(' ').split(/ +/).filter((w) => w !== '')).toEqual(header.join(' ').split(/ +/));
    expect(lines.at(-1)).toBe('short');
  });

  it('keeps plain lines whole without a width (a pipe: nothing wraps)', () => {
    const out = fakeTerminal();
    createLiveView(out, { tty: false, color: false }).show(frame);
    expect(out.text().trimEnd().split('\n')).toEqual(['Progress: one line per change; * marks the update revision.', `[  1.2s] ${renderStepLine(frame)}`]);
  });
});

describe('fitting text to a width', () => {
  it.each([
    { columns: 60, width: 60 },
    { columns: 132, width: 132 },
    { columns: undefined, width: 80 },
    { columns: 0, width: 80 },
    { columns: 8, width: 20 },
  ])('terminalWidth({ columns: $columns }) → $width', ({ columns, width }) => {
    expect(terminalWidth({ columns })).toBe(width);
  });

  it.each([
    { text: 'abcdef', width: 4, fitted: 'abc…' },
    { text: 'abc', width: 4, fitted: 'abc' },
    { text: 'abcd', width: 4, fitted: 'abcd' },
    { text: `${ESC}[32mready${ESC}[0m now`, width: 6, fitted: `${ESC}[32mready${ESC}[0m…` },
    { text: `${ESC}[32mready and more${ESC}[0m`, width: 4, fitted: `${ESC}[32mrea…${ESC}[0m` },
  ])('fitLine($text, $width)', ({ text, width, fitted }) => {
    expect(fitLine(text, width)).toBe(fitted);
  });

  it.each([
    { items: ['4lb7x', '7nqgd', 'p2x9k', 'zz81c'], width: 23, fitted: '4lb7x 7nqgd p2x9k zz81c' },
    { items: ['4lb7x', '7nqgd', 'p2x9k', 'zz81c'], width: 15, fitted: '4lb7x 7nqgd +2' },
    { items: ['4lb7x', '7nqgd', 'p2x9k', 'zz81c'], width: 3, fitted: '+4' },
  ])('fitList(…, $width) → $fitted', ({ items, width, fitted }) => {
    expect(fitList(items, width)).toBe(fitted);
  });

  it('wrapWords breaks between words, continuation lines indented two more', () => {
    expect(wrapWords('  - images from Docker Hub', 16)).toEqual(['  - images from', '    Docker Hub']);
    expect(wrapWords('fits', 16)).toEqual(['fits']);
  });

  it('wrapParts breaks between parts, continuation lines indented', () => {
    expect(wrapParts('step 3/4 · a: 4 ready · b: 2 updating', 20, ' · ', '  ')).toEqual(['step 3/4', '  · a: 4 ready', '  · b: 2 updating']);
  });

  it('never returns a line wider than asked, and keeps a line that fits unchanged', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', '▶', '·', ' ', `${ESC}[32m`, `${ESC}[0m`), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.integer({ min: 20, max: 120 }), (parts, width) => {
        const line = parts.join(' · ');
        expect(visibleWidth(fitLine(line, width))).toBeLessThanOrEqual(width);
        if (visibleWidth(line) <= width) expect(fitLine(line, width)).toBe(line);
        for (const l of wrapParts(line, width, ' · ', '   ')) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
        expect(visibleWidth(fitList(parts, width))).toBeLessThanOrEqual(width);
        for (const l of wrapWords(line, width)) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
      }),
    );
  });
});
