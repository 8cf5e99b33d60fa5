import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import { aPod } from '../testing/index.js';
import { isCurrentRevisionNeeded, type CurrentRevisionContext } from './isCurrentRevisionNeeded.js';

// Cases follow OpenKruise's TestIsCurrentRevisionNeeded (stateful_set_utils_test.go), with the
// replica slice laid out by slot as `updateStatefulSet` builds it: slot i holds ordinal
// start + i, a reserved ordinal is an empty slot, and a slot filled earlier in the same pass
// holds the pod about to be created. Current revision `r1`, update revision `r2`.

const CURRENT = 'web-r1';
const UPDATE = 'web-r2';

type Slot = 'cur' | 'upd' | '-';

/** Slots from a compact description: `cur`/`upd` a pod at that revision, `-` empty (reserved, or the ordinal asked about). */
function slots(start: number, layout: readonly Slot[]): (Pod | undefined)[] {
  return layout.map((slot, i) => (slot === '-' ? undefined : aPod({ name: `web-${String(start + i)}`, revision: slot === 'cur' ? CURRENT : UPDATE })));
}

interface Row {
  readonly story: string;
  readonly ordinal: number;
  readonly start?: number;
  readonly layout: readonly Slot[];
  readonly partition?: number;
  readonly rollingUpdate?: boolean;
  readonly unordered?: boolean;
  readonly onDelete?: boolean;
  readonly expected: boolean;
}

function contextOf(row: Row): CurrentRevisionContext {
  const start = row.start ?? 0;
  const layout = slots(start, row.layout);
  // As OpenKruise's test: status.currentReplicas counts the pods at the current revision.
  const statusCurrentReplicas = layout.filter((p) => p?.metadata.labels?.['controller-revision-hash'] === CURRENT).length;
  return {
    settings: {
      updateType: row.onDelete === true ? 'OnDelete' : 'RollingUpdate',
      hasRollingUpdate: row.rollingUpdate ?? true,
      unordered: row.unordered ?? false,
      partition: row.partition ?? 0,
      startOrdinal: start,
    },
    updateRevision: UPDATE,
    statusCurrentReplicas,
    slots: layout,
  };
}

describe('isCurrentRevisionNeeded', () => {
  it.each<Row>([
    // No rollingUpdate section: ordinal < start + status.currentReplicas.
    { story: 'no rollingUpdate, 0 and 2 at current (currentReplicas 2) → 1 current', rollingUpdate: false, ordinal: 1, layout: ['cur', '-', 'cur'], expected: true },
    { story: 'no rollingUpdate, 0 current, 2 updated (currentReplicas 1) → 1 updated', rollingUpdate: false, ordinal: 1, layout: ['cur', '-', 'upd'], expected: false },
    { story: 'no rollingUpdate, start 2, 2 and 4 current → 3 current', rollingUpdate: false, start: 2, ordinal: 3, layout: ['cur', '-', 'cur'], expected: true },
    { story: 'no rollingUpdate, start 2, 2 current, 4 updated → 3 updated', rollingUpdate: false, start: 2, ordinal: 3, layout: ['cur', '-', 'upd'], expected: false },
    // Ordered: the pods at lower slots plus this one still fit in the partition.
    { story: 'ordered, partition 0 → always updated', partition: 0, ordinal: 0, layout: ['-', 'cur', 'cur'], expected: false },
    { story: 'ordered, partition 1, 0 and 2 current → 1 updated (1 pod before it)', partition: 1, ordinal: 1, layout: ['cur', '-', 'cur'], expected: false },
    { story: 'ordered, partition 1, 0 current, 2 updated → 1 updated', partition: 1, ordinal: 1, layout: ['cur', '-', 'upd'], expected: false },
    { story: 'ordered, partition 1, 1 and 2 current → 0 current', partition: 1, ordinal: 0, layout: ['-', 'cur', 'cur'], expected: true },
    { story: 'ordered, partition 1, 1 and 2 updated → 0 current (revisions do not matter)', partition: 1, ordinal: 0, layout: ['-', 'upd', 'upd'], expected: true },
    { story: 'ordered, partition 3, pods 0..4 → 2 current (2 before it + itself ≤ 3)', partition: 3, ordinal: 2, layout: ['cur', 'cur', '-', 'cur', 'cur'], expected: true },
    { story: 'ordered, partition 3, pods 0..4 → 3 updated', partition: 3, ordinal: 3, layout: ['cur', 'cur', 'cur', '-', 'cur'], expected: false },
    { story: 'ordered, start 2, partition 1, 2 and 4 current → 3 updated', start: 2, partition: 1, ordinal: 3, layout: ['cur', '-', 'cur'], expected: false },
    { story: 'ordered, start 2, partition 1, 2 current, 4 updated → 3 updated', start: 2, partition: 1, ordinal: 3, layout: ['cur', '-', 'upd'], expected: false },
    { story: 'ordered, start 2, partition 1, 3 and 4 current → 2 current', start: 2, partition: 1, ordinal: 2, layout: ['-', 'cur', 'cur'], expected: true },
    // Reserved ordinals are empty slots and do not count against the partition.
    { story: 'ordered, reserved 1, partition 2, 2 and 3 current → 0 current', partition: 2, ordinal: 0, layout: ['-', '-', 'cur', 'cur'], expected: true },
    { story: 'ordered, reserved 1, partition 2, 0 current, 3 updated → 2 current (issue 1813)', partition: 2, ordinal: 2, layout: ['cur', '-', '-', 'upd'], expected: true },
    { story: 'ordered, start 2, reserved 3, partition 2, 2 current, 5 updated → 4 current', start: 2, partition: 2, ordinal: 4, layout: ['cur', '-', '-', 'upd'], expected: true },
    { story: 'ordered, reserved 1, partition 3, pods 0, 2, 3 → 4 updated (3 pods before it)', partition: 3, ordinal: 4, layout: ['cur', '-', 'cur', 'cur', '-'], expected: false },
    { story: 'ordered, reserved 1, partition 3, pods 0, 2, 4 → 3 current (2 pods before it)', partition: 3, ordinal: 3, layout: ['cur', '-', 'cur', '-', 'cur'], expected: true },
    // Unordered: fewer than partition other pods off the update revision.
    { story: 'unordered, partition 1, 0 current, 2 updated → 1 updated', unordered: true, partition: 1, ordinal: 1, layout: ['cur', '-', 'upd'], expected: false },
    { story: 'unordered, partition 1, 0 and 2 updated → 1 current', unordered: true, partition: 1, ordinal: 1, layout: ['upd', '-', 'upd'], expected: true },
    { story: 'unordered, start 2, partition 1, 2 current, 4 updated → 3 updated', unordered: true, start: 2, partition: 1, ordinal: 3, layout: ['cur', '-', 'upd'], expected: false },
    { story: 'unordered, start 2, partition 1, 2 and 4 updated → 3 current', unordered: true, start: 2, partition: 1, ordinal: 3, layout: ['upd', '-', 'upd'], expected: true },
    { story: 'unordered, reserved 1, partition 1, 0 current, 3 updated → 2 updated', unordered: true, partition: 1, ordinal: 2, layout: ['cur', '-', '-', 'upd'], expected: false },
    { story: 'unordered, reserved 1, partition 1, 0 and 3 updated, 2 planned at current → 2 current (itself not counted)', unordered: true, partition: 1, ordinal: 2, layout: ['upd', '-', 'cur', 'upd'], expected: true },
    { story: 'unordered, partition 0 → always updated', unordered: true, partition: 0, ordinal: 1, layout: ['upd', '-', 'upd'], expected: false },
    { story: 'unordered, partition 2, two others current → updated', unordered: true, partition: 2, ordinal: 0, layout: ['-', 'cur', 'cur'], expected: false },
    // OnDelete: a recreated pod always gets the update revision.
    { story: 'OnDelete, even with a partition → updated', onDelete: true, partition: 5, ordinal: 0, layout: ['-', 'cur', 'cur'], expected: false },
    { story: 'OnDelete without rollingUpdate → updated', onDelete: true, rollingUpdate: false, ordinal: 0, layout: ['-', 'cur', 'cur'], expected: false },
  ])('$story', (row) => {
    expect(isCurrentRevisionNeeded(row.ordinal, contextOf(row))).toBe(row.expected);
  });

  it('unordered compares short hashes as revision.IsPodUpdate does (label "r2" is at "web-r2")', () => {
    const context = contextOf({ story: '', unordered: true, partition: 1, ordinal: 1, layout: ['-', '-', '-'], expected: true });
    const shortHash = aPod({ name: 'web-0', revision: 'r2' });
    expect(isCurrentRevisionNeeded(1, { ...context, slots: [shortHash, undefined, aPod({ name: 'web-2', revision: UPDATE })] })).toBe(true);
  });
});
