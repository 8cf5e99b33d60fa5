import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { findSidecarSetRevision, restoreSidecarSetFromRevision } from '../api/sidecarSetRevision.js';
import { parseIntOrPercent } from '../shared/intOrPercent.js';
import type { ControllerRevision } from '../shared/revision.js';
import { matchesLabelSelector } from '../shared/selector.js';

/** Why the latest spec is injected. */
export type LatestRevisionReason = 'no-pinned-revision' | 'partition-not-a-percentage' | 'partition-draw';
/** Why the pinned revision is injected. */
export type PinnedRevisionReason = 'policy-always' | 'update-paused' | 'not-selected-for-update' | 'partition-draw';
/** Why no revision can be injected (OpenKruise then refuses the pod). */
export type InjectionRevisionError = 'revision-not-found' | 'invalid-revision-data' | 'invalid-partition';

/** Which version of a SidecarSet to inject into a new pod. */
export type InjectionRevision =
  | { readonly kind: 'latest'; readonly sidecarSet: SidecarSet; readonly reason: LatestRevisionReason }
  | { readonly kind: 'pinned'; readonly sidecarSet: SidecarSet; readonly revision: string; readonly reason: PinnedRevisionReason }
  | { readonly kind: 'rejected'; readonly reason: InjectionRevisionError; readonly message: string };

/**
 * Returns the version of a SidecarSet to inject into a pod being created (OpenKruise's
 * `getSuitableRevisionSidecarSet`). Without `injectionStrategy.revision` (or with neither
 * `revisionName` nor `customVersion`): the latest spec. Otherwise the pinned revision is looked up
 * among `revisions` (missing: `rejected`) and restored (`restoreSidecarSetFromRevision`), then:
 * update paused → pinned; policy `Always` (default) → pinned; policy `Partial` → pinned when
 * `updateStrategy.selector` is set and does not select the pod, else the partition decides: an
 * int or no partition → latest; a percentage p → pinned when `random < p/100`. `random` is the
 * caller's draw in [0, 1) (OpenKruise uses `rand.Float64()` and `<=`; `<` makes 0% and 100% exact).
 *
 * @example Partial, updateStrategy.selector canary=true, pod without the label → { kind: 'pinned', reason: 'not-selected-for-update' }
 * @example Partial, partition '30%', random 0.5 → { kind: 'latest', reason: 'partition-draw' }; random 0.2 → pinned
 */
export function resolveInjectionRevision(ss: SidecarSet, pod: Pod, revisions: readonly ControllerRevision[], random: number): InjectionRevision {
  const info = ss.spec.injectionStrategy?.revision;
  if (info === undefined || (info.revisionName === undefined && info.customVersion === undefined)) {
    return { kind: 'latest', sidecarSet: ss, reason: 'no-pinned-revision' };
  }
  const found = findSidecarSetRevision(ss, info, revisions);
  if (found.kind === 'not-found') return { kind: 'rejected', reason: 'revision-not-found', message: found.message };
  const restored = restoreSidecarSetFromRevision(ss, found.revision);
  if (restored === undefined) {
    return { kind: 'rejected', reason: 'invalid-revision-data', message: `ControllerRevision ${found.revision.metadata.name ?? ''} does not hold a SidecarSet spec` };
  }
  const pinned = (reason: PinnedRevisionReason): InjectionRevision => ({ kind: 'pinned', sidecarSet: restored, revision: found.revision.metadata.name ?? '', reason });
  const strategy = ss.spec.updateStrategy;
  if (strategy?.paused === true) return pinned('update-paused');
  if ((info.policy ?? 'Always') === 'Always') return pinned('policy-always');
  if (strategy?.selector !== undefined && !matchesLabelSelector(strategy.selector, pod.metadata.labels)) return pinned('not-selected-for-update');
  const partition = strategy?.partition;
  if (partition === undefined || typeof partition === 'number') return { kind: 'latest', sidecarSet: ss, reason: 'partition-not-a-percentage' };
  const parsed = parseIntOrPercent(partition);
  if (parsed.kind !== 'percent') return { kind: 'rejected', reason: 'invalid-partition', message: `invalid partition ${JSON.stringify(partition)}` };
  return random < parsed.percent / 100 ? pinned('partition-draw') : { kind: 'latest', sidecarSet: ss, reason: 'partition-draw' };
}
