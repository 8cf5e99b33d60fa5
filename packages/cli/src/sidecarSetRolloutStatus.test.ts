import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rolloutStatus } from './rolloutStatus.js';
import { sidecarSetRolloutStatus } from './sidecarSetRolloutStatus.js';

interface Row {
  readonly story: string;
  readonly generation?: number;
  readonly strategy?: Record<string, unknown>;
  readonly status: Record<string, unknown>;
  readonly want: string;
  readonly message?: string;
}

const counters = (matchedPods: number, updatedPods: number, updatedReadyPods: number, observedGeneration = 1) => ({ observedGeneration, matchedPods, updatedPods, updatedReadyPods, readyPods: matchedPods });

const table: readonly Row[] = [
  { story: 'no status yet', status: {}, want: 'not-observed', message: 'Waiting for SidecarSet "log" spec update to be observed...' },
  { story: 'a new sidecar image not observed yet (observedGeneration 1 < generation 2)', generation: 2, status: counters(10, 10, 10, 1), want: 'not-observed' },
  { story: 'observed, none of 10 updated', generation: 2, status: counters(10, 0, 0, 2), want: 'updating', message: 'Waiting for SidecarSet "log" rollout to finish: 0 out of 10 new pods have been updated...' },
  { story: '4 of 10 updated', status: counters(10, 4, 4), want: 'updating', message: 'Waiting for SidecarSet "log" rollout to finish: 4 out of 10 new pods have been updated...' },
  { story: 'all 10 updated, 8 of them ready', status: counters(10, 10, 8), want: 'becoming-ready', message: 'Waiting for SidecarSet "log" rollout to finish: 8 of 10 updated pods are ready...' },
  { story: 'all 10 updated and ready', status: counters(10, 10, 10), want: 'done', message: 'SidecarSet "log" successfully rolled out' },
  { story: 'partition 3: 7 of 10 updated and ready is enough', strategy: { partition: 3 }, status: counters(10, 7, 7), want: 'done' },
  { story: 'partition 3: 6 of 10 updated', strategy: { partition: 3 }, status: counters(10, 6, 6), want: 'updating', message: 'Waiting for SidecarSet "log" rollout to finish: 6 out of 7 new pods have been updated...' },
  { story: "partition '50%' of 5 matched keeps 3 (rounded up, as the controller)", strategy: { partition: '50%' }, status: counters(5, 2, 1), want: 'becoming-ready', message: 'Waiting for SidecarSet "log" rollout to finish: 1 of 2 updated pods are ready...' },
  { story: "partition '99%' of 10 still updates one pod", strategy: { partition: '99%' }, status: counters(10, 0, 0), want: 'updating', message: 'Waiting for SidecarSet "log" rollout to finish: 0 out of 1 new pods have been updated...' },
  { story: 'no pod matched: nothing to roll', status: counters(0, 0, 0), want: 'done' },
  { story: 'paused mid-rollout keeps waiting', strategy: { paused: true }, status: counters(10, 4, 4), want: 'updating' },
  { story: 'NotUpdate rolls no pod: fails at once, as kubectl for a DaemonSet that does not roll', strategy: { type: 'NotUpdate' }, status: counters(10, 0, 0), want: 'failed', message: 'rollout status is only available for RollingUpdate strategy type' },
];

describe('sidecarSetRolloutStatus', () => {
  for (const row of table) {
    it(`${row.story} → ${row.want}`, () => {
      const object = { metadata: { name: 'log', generation: row.generation ?? 1 }, spec: { ...(row.strategy === undefined ? {} : { updateStrategy: row.strategy }) }, status: row.status };
      const status = sidecarSetRolloutStatus(object);
      expect(status.kind === 'waiting' ? status.reason : status.kind).toBe(row.want);
      if (row.message !== undefined) expect(status.message).toBe(row.message);
      expect(rolloutStatus('SidecarSet', object)).toEqual(status);
    });
  }

  it('is done exactly when observed and matchedPods − partition pods are updated and ready', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(35), fc.nat(35), fc.nat(35), fc.boolean(), (matched, kept, updated, ready, observed) => {
        const object = { metadata: { name: 'log', generation: 3 }, spec: { updateStrategy: { partition: kept } }, status: { ...counters(matched, updated, ready), observedGeneration: observed ? 3 : 2 } };
        const wanted = matched - Math.min(kept, matched);
        const done = observed && updated >= wanted && ready >= wanted;
        expect(sidecarSetRolloutStatus(object).kind).toBe(done ? 'done' : 'waiting');
      }),
    );
  });
});
