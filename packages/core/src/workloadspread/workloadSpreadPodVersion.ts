import { CONTROLLER_REVISION_HASH_LABEL, POD_TEMPLATE_HASH_LABEL } from '../api/labels.js';
import type { Pod } from '../api/pod.js';

/** OpenKruise's `VersionIgnored`: the one version of the pods of a workload whose kind does not keep versioned statuses. */
export const WORKLOADSPREAD_VERSION_IGNORED = 'versionIgnored';

/**
 * The workload kinds (lower case) whose pods are counted per version by default: OpenKruise's
 * `--ws-enabled-versioned-status=deployment,replicaset`.
 */
export const DEFAULT_VERSIONED_STATUS_KINDS: ReadonlySet<string> = new Set(['deployment', 'replicaset']);

/**
 * Returns the kinds a `--ws-enabled-versioned-status` value enables, lower-cased, with
 * `replicaset` added when `deployment` is there (a Deployment's pods are owned by ReplicaSets), as
 * OpenKruise's flag parsing does.
 *
 * @example parseVersionedStatusKinds('Deployment,cloneset') → Set { 'deployment', 'cloneset', 'replicaset' }
 */
export function parseVersionedStatusKinds(value: string): ReadonlySet<string> {
  const kinds = new Set(value.split(',').map((kind) => kind.trim().toLowerCase()).filter((kind) => kind !== ''));
  if (kinds.has('deployment')) kinds.add('replicaset');
  return kinds;
}

/**
 * Returns the short form of a revision name, the part after its last `-` (OpenKruise's
 * `GetShortHash`).
 *
 * @example shortRevisionHash('web-7d9f8b6c5') → '7d9f8b6c5'
 */
export function shortRevisionHash(revision: string): string {
  return revision.slice(revision.lastIndexOf('-') + 1);
}

/**
 * Returns the version a WorkloadSpread counts a pod under (OpenKruise's `GetPodVersion`): for a pod
 * whose controller's kind is in `kinds`, its `pod-template-hash` label, else the short form of its
 * `controller-revision-hash` label; {@link WORKLOADSPREAD_VERSION_IGNORED} for any other pod or a
 * pod with neither label.
 *
 * @example a ReplicaSet's pod labelled pod-template-hash=6b7f9c → '6b7f9c'
 * @example a CloneSet's pod labelled controller-revision-hash=web-5d4c (default kinds) → 'versionIgnored'
 * @example the same with kinds { 'cloneset' } → '5d4c'
 */
export function podWorkloadVersion(pod: Pod, kinds: ReadonlySet<string> = DEFAULT_VERSIONED_STATUS_KINDS): string {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined || !kinds.has(owner.kind.toLowerCase())) return WORKLOADSPREAD_VERSION_IGNORED;
  const labels = pod.metadata.labels ?? {};
  const templateHash = labels[POD_TEMPLATE_HASH_LABEL];
  if (templateHash !== undefined) return templateHash;
  const revision = labels[CONTROLLER_REVISION_HASH_LABEL];
  return revision === undefined ? WORKLOADSPREAD_VERSION_IGNORED : shortRevisionHash(revision);
}
