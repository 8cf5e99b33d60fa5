import type { KubeObject } from '@kruise-ts/k8s-adapter';
import { fitLine, terminalWidth } from './fitToWidth.js';
import type { RolloutStatus, RolloutTargetKind } from './rolloutStatus.js';

type Counters = Readonly<Record<string, unknown>>;

const num = (status: Counters, ...fields: readonly string[]): number => {
  for (const field of fields) if (typeof status[field] === 'number') return status[field];
  return 0;
};

/**
 * Returns the live view's lines for a workload, each cut to `width` columns (a wrapped line would
 * break the redraw): the title with the elapsed time, the counters (the widest form that fits), a
 * progress bar of updated and updated-ready pods, and kubectl's status message.
 *
 * @example a CloneSet web of 20 pods, 5 updated (4 ready), 2.5 s in, at 60 columns →
 *   ['CloneSet "web"  2.5s', '  updated 5/20 · updated ready 4 · ready 19 · available 19',
 *    '  [######·············································]  20%', '  Waiting for CloneSet "web" rollout to finish: 5 out of 20 n…']
 */
export function renderStatusBlock(kind: RolloutTargetKind, object: KubeObject, status: RolloutStatus, elapsedMs: number, width: number): string[] {
  const spec = (object as { spec?: { replicas?: number } }).spec ?? {};
  const s = ((object as { status?: Counters }).status ?? {});
  // Each kind's counters: a DaemonSet counts scheduled pods, a SidecarSet the pods it matched (it has no "available").
  const fields = {
    DaemonSet: ['desiredNumberScheduled', 'updatedNumberScheduled', 'numberAvailable', 'numberReady', 'numberAvailable'],
    SidecarSet: ['matchedPods', 'updatedPods', 'updatedReadyPods', 'readyPods', 'readyPods'],
  }[kind as 'DaemonSet' | 'SidecarSet'] as readonly string[] | undefined;
  const [wantedField = '', updatedField = 'updatedReplicas', updatedReadyField = 'updatedReadyReplicas', readyField = 'readyReplicas', availableField = 'availableReplicas'] = fields ?? [];
  const wanted = fields === undefined ? (spec.replicas ?? 1) : num(s, wantedField);
  const updated = num(s, updatedField);
  const updatedReady = num(s, updatedReadyField);
  const ready = num(s, readyField);
  const available = num(s, availableField);
  const counters = [
    `  updated ${String(updated)}/${String(wanted)} · updated ready ${String(updatedReady)} · ready ${String(ready)} · available ${String(available)}`,
    `  upd ${String(updated)}/${String(wanted)} · updRdy ${String(updatedReady)} · rdy ${String(ready)} · avl ${String(available)}`,
    `  ${String(updated)}/${String(wanted)} updated`,
  ];
  const barWidth = Math.max(4, width - 10);
  const cells = (n: number) => (wanted === 0 ? barWidth : Math.round((Math.min(n, wanted) / wanted) * barWidth));
  const done = cells(updatedReady);
  const moving = Math.max(0, cells(updated) - done);
  const percent = wanted === 0 ? 100 : Math.round((Math.min(updatedReady, wanted) / wanted) * 100);
  const bar = `  [${'#'.repeat(done)}${'+'.repeat(moving)}${'·'.repeat(Math.max(0, barWidth - done - moving))}] ${String(percent).padStart(3)}%`;
  const lines = [`${kind} "${object.metadata.name ?? ''}"  ${(elapsedMs / 1000).toFixed(1)}s`, counters.find((c) => c.length <= width) ?? counters.at(-1) ?? '', bar, `  ${status.message}`];
  return lines.map((l) => fitLine(l, width));
}

/** Where the live view writes, and the terminal's width. */
export interface LiveSink {
  readonly write: (text: string) => void;
  readonly columns: () => number | undefined;
}

/**
 * Returns a view that redraws its block in place on a terminal: the cursor goes back up over the
 * lines drawn before (`ESC [ n F`), clears to the end of the screen (`ESC [ J`) and draws the new
 * block, each line fitted to the terminal's width at that moment.
 */
export function createLiveStatusView(kind: RolloutTargetKind, sink: LiveSink, startedMs: number): { draw(object: KubeObject, status: RolloutStatus, nowMs: number): void } {
  let drawn = 0;
  return {
    draw(object, status, nowMs) {
      const lines = renderStatusBlock(kind, object, status, nowMs - startedMs, terminalWidth({ columns: sink.columns() }));
      sink.write(`${drawn > 0 ? `\x1b[${String(drawn)}F\x1b[J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    },
  };
}
