import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rolloutStatus, type RolloutKind } from './rolloutStatus.js';

interface Row {
  readonly story: string;
  readonly kind: RolloutKind;
  readonly generation?: number;
  readonly spec: Record<string, unknown>;
  readonly status: Record<string, unknown>;
  readonly want: string;
  readonly message?: string;
}

const partition = (p: number | string) => ({ updateStrategy: { rollingUpdate: { partition: p } } });

const table: readonly Row[] = [
  { story: 'no status yet', kind: 'CloneSet', spec: { replicas: 3 }, status: {}, want: 'not-observed', message: 'Waiting for CloneSet "web" spec update to be observed...' },
  { story: 'a newer spec than the status', kind: 'CloneSet', generation: 3, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, updatedReadyReplicas: 3 }, want: 'not-observed' },
  { story: '5 of 10 updated', kind: 'CloneSet', spec: { replicas: 10 }, status: { observedGeneration: 1, replicas: 10, updatedReplicas: 5, updatedReadyReplicas: 5 }, want: 'updating', message: 'Waiting for CloneSet "web" rollout to finish: 5 out of 10 new replicas have been updated...' },
  { story: 'partition 3: 7 of 10 updated is enough', kind: 'CloneSet', spec: { replicas: 10, ...partition(3) }, status: { observedGeneration: 1, replicas: 10, updatedReplicas: 7, updatedReadyReplicas: 7 }, want: 'done', message: 'CloneSet "web" successfully rolled out' },
  { story: "partition '50%' of 5 keeps 3 (rounded up)", kind: 'CloneSet', spec: { replicas: 5, ...partition('50%') }, status: { observedGeneration: 1, replicas: 5, updatedReplicas: 1, updatedReadyReplicas: 1 }, want: 'updating', message: 'Waiting for CloneSet "web" rollout to finish: 1 out of 2 new replicas have been updated...' },
  { story: 'all updated, 2 not ready', kind: 'CloneSet', spec: { replicas: 4 }, status: { observedGeneration: 1, replicas: 4, updatedReplicas: 4, updatedReadyReplicas: 2 }, want: 'becoming-ready', message: 'Waiting for CloneSet "web" rollout to finish: 2 of 4 updated replicas are ready...' },
  { story: 'a surge pod still there', kind: 'CloneSet', spec: { replicas: 4 }, status: { observedGeneration: 1, replicas: 5, updatedReplicas: 4, updatedReadyReplicas: 4 }, want: 'old-pending-termination', message: 'Waiting for CloneSet "web" rollout to finish: 1 old replicas are pending termination...' },
  { story: 'progress deadline exceeded', kind: 'CloneSet', spec: { replicas: 4, progressDeadlineSeconds: 60 }, status: { observedGeneration: 1, replicas: 4, updatedReplicas: 1, updatedReadyReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }, want: 'failed', message: 'CloneSet "web" exceeded its progress deadline' },
  { story: 'Advanced StatefulSet, partition 2 of 5', kind: 'StatefulSet', spec: { replicas: 5, ...partition(2) }, status: { observedGeneration: 1, replicas: 5, updatedReplicas: 3, updatedReadyReplicas: 3 }, want: 'done' },
  { story: 'Advanced StatefulSet, 1 of 3 updated', kind: 'StatefulSet', spec: { replicas: 3 }, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1, updatedReadyReplicas: 1 }, want: 'updating', message: 'Waiting for StatefulSet "web" rollout to finish: 1 out of 3 new replicas have been updated...' },
  { story: 'Advanced DaemonSet on 4 nodes, 2 updated', kind: 'DaemonSet', spec: {}, status: { observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 2, numberAvailable: 4 }, want: 'updating', message: 'Waiting for DaemonSet "web" rollout to finish: 2 out of 4 new pods have been updated...' },
  { story: "Advanced DaemonSet, partition '50%' of 4", kind: 'DaemonSet', spec: partition('50%'), status: { observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 2, numberAvailable: 4 }, want: 'done' },
];

describe('rolloutStatus', () => {
  for (const row of table) {
    it(`${row.kind}: ${row.story} → ${row.want}`, () => {
      const status = rolloutStatus(row.kind, { metadata: { name: 'web', generation: row.generation ?? 1 }, spec: row.spec, status: row.status });
      expect('reason' in status && status.kind === 'waiting' ? status.reason : status.kind).toBe(row.want);
      if (row.message !== undefined) expect(status.message).toBe(row.message);
    });
  }

  it('a CloneSet is done exactly when observed and replicas − partition pods are updated and ready, with no extra pod', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.nat(25), fc.nat(25), fc.nat(25), fc.nat(25), fc.boolean(), (replicas, kept, current, updated, ready, observed) => {
        const object = { metadata: { name: 'web', generation: 2 }, spec: { replicas, ...partition(kept) }, status: { observedGeneration: observed ? 2 : 1, replicas: current, updatedReplicas: updated, updatedReadyReplicas: ready } };
        const wanted = replicas - Math.min(kept, replicas);
        const done = observed && updated >= wanted && ready >= wanted && current <= replicas;
        expect(rolloutStatus('CloneSet', object).kind).toBe(done ? 'done' : 'waiting');
      }),
    );
  });
});
