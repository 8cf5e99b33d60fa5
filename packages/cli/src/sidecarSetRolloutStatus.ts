import { calculatePartitionReplicas, type IntOrPercent } from '@kruise-ts/core';
import type { RolloutStatus } from './rolloutStatus.js';

interface SidecarSetShape {
  readonly metadata: { readonly name?: string | undefined; readonly generation?: number | undefined };
  readonly spec?: { readonly updateStrategy?: { readonly type?: string | undefined; readonly partition?: IntOrPercent | undefined } | undefined } | undefined;
  readonly status?: Readonly<Record<string, unknown>> | undefined;
}

const num = (status: Readonly<Record<string, unknown>>, field: string): number => (typeof status[field] === 'number' ? status[field] : 0);

/**
 * Returns where a SidecarSet's rollout stands, in the words `rollout status` uses for a DaemonSet
 * (kubectl-kruise has no SidecarSet status; the counters are the SidecarSet's status, which its
 * controller computes over the pods it matched):
 * 1. `updateStrategy.type: NotUpdate` fails at once, as kubectl for a DaemonSet that does not roll
 *    ('rollout status is only available for RollingUpdate strategy type');
 * 2. the spec must be observed (`status.observedGeneration >= metadata.generation`);
 * 3. `matchedPods − partition` pods must be at the new sidecars (`updatedPods`), the partition read
 *    as the controller reads it (a percentage of the matched pods, rounded up);
 * 4. then those updated and ready (`updatedReadyPods`).
 * A paused SidecarSet keeps waiting (as a paused Deployment does).
 *
 * @example log, generation 2, observedGeneration 2, matchedPods 10, partition 3, updatedPods 4, updatedReadyPods 4
 *   → { kind: 'waiting', reason: 'updating', message: 'Waiting for SidecarSet "log" rollout to finish: 4 out of 7 new pods have been updated...' }
 * @example the same with updatedPods 7, updatedReadyPods 6 → waiting 'becoming-ready' '… 6 of 7 updated pods are ready...'; with 7 and 7 → { kind: 'done', message: 'SidecarSet "log" successfully rolled out' }
 */
export function sidecarSetRolloutStatus(object: unknown): RolloutStatus {
  const ss = object as SidecarSetShape;
  const name = ss.metadata.name ?? '';
  const strategy = ss.spec?.updateStrategy;
  if (strategy?.type === 'NotUpdate') return { kind: 'failed', reason: 'not-rolling-update', message: 'rollout status is only available for RollingUpdate strategy type' };
  const status = ss.status ?? {};
  const observed = status.observedGeneration;
  if (typeof observed !== 'number' || observed < (ss.metadata.generation ?? 0)) {
    return { kind: 'waiting', reason: 'not-observed', message: `Waiting for SidecarSet "${name}" spec update to be observed...` };
  }
  const matched = num(status, 'matchedPods');
  const held = calculatePartitionReplicas(strategy?.partition, matched);
  const wanted = matched - (held.kind === 'scaled' ? held.value : 0);
  const updated = num(status, 'updatedPods');
  const updatedReady = num(status, 'updatedReadyPods');
  if (updated < wanted) return { kind: 'waiting', reason: 'updating', message: `Waiting for SidecarSet "${name}" rollout to finish: ${String(updated)} out of ${String(wanted)} new pods have been updated...` };
  if (updatedReady < wanted) return { kind: 'waiting', reason: 'becoming-ready', message: `Waiting for SidecarSet "${name}" rollout to finish: ${String(updatedReady)} of ${String(wanted)} updated pods are ready...` };
  return { kind: 'done', message: `SidecarSet "${name}" successfully rolled out` };
}
