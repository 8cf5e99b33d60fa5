import { POD_TEMPLATE_HASH_LABEL } from '../api/labels.js';
import { canonicalJson } from '../shared/revision.js';
import { shortRevisionHash, WORKLOADSPREAD_VERSION_IGNORED } from './workloadSpreadPodVersion.js';

/** The parts of a workload (or ReplicaSet) {@link workloadLatestVersion} reads. */
export interface VersionedWorkload {
  /** `Deployment`, `ReplicaSet`, `CloneSet`, ... (any other kind has no version). */
  readonly kind?: string | undefined;
  readonly metadata: {
    /** A Deployment's uid: its ReplicaSets' controller reference. */
    readonly uid?: string | undefined;
    /** A CloneSet's generation, against `status.observedGeneration`. */
    readonly generation?: number | undefined;
    /** A ReplicaSet's labels: its `pod-template-hash`. */
    readonly labels?: Readonly<Record<string, string>> | undefined;
    /** A ReplicaSet being deleted is not the current one. */
    readonly deletionTimestamp?: string | undefined;
    /** A ReplicaSet's owners: its Deployment's uid as controller. */
    readonly ownerReferences?: readonly { readonly uid: string; readonly controller?: boolean | undefined }[] | undefined;
  };
  /** A Deployment's (or ReplicaSet's) pod template. */
  readonly spec?: { readonly template?: unknown } | undefined;
  /** A CloneSet's status: the generation it observed and its update revision. */
  readonly status?: { readonly observedGeneration?: number | undefined; readonly updateRevision?: string | undefined } | undefined;
}

/** The workload's newest version, or why it cannot be told yet (OpenKruise then retries the pass). */
export type WorkloadLatestVersion = { readonly kind: 'version'; readonly version: string } | { readonly kind: 'unknown'; readonly reason: 'status-stale' | 'no-current-replicaset' };

// A pod template without the pod-template-hash label, as Kubernetes' EqualIgnoreHash compares them.
function withoutHash(template: unknown): string {
  const t = (template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = t.metadata?.labels ?? {};
  return canonicalJson({ ...t, metadata: { ...t.metadata, labels } });
}

/**
 * Returns the version a workload creates its new pods with (OpenKruise's `GetWorkloadVersion`):
 * `versionIgnored` for a kind not in `kinds`; a ReplicaSet's `pod-template-hash` label; a CloneSet's
 * short `status.updateRevision` (unknown while its status is older than its spec); a Deployment's
 * ReplicaSet (controlled by it, not deleting) whose template equals the Deployment's but for the
 * hash label, its `pod-template-hash` (unknown until the Deployment controller has created it);
 * `versionIgnored` for any other kind.
 *
 * @example Deployment web (template image nginx:2) with ReplicaSets web-6b7f (nginx:1) and web-9c1d (nginx:2) → '9c1d'
 * @example CloneSet with status.updateRevision 'web-5d4c', kinds { 'cloneset' } → '5d4c'
 */
export function workloadLatestVersion(workload: VersionedWorkload, replicaSets: readonly VersionedWorkload[], kinds: ReadonlySet<string>): WorkloadLatestVersion {
  const kind = workload.kind ?? '';
  if (!kinds.has(kind.toLowerCase())) return { kind: 'version', version: WORKLOADSPREAD_VERSION_IGNORED };
  if (kind === 'ReplicaSet') return { kind: 'version', version: workload.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '' };
  if (kind === 'CloneSet') {
    if ((workload.metadata.generation ?? 0) > (workload.status?.observedGeneration ?? 0)) return { kind: 'unknown', reason: 'status-stale' };
    return { kind: 'version', version: shortRevisionHash(workload.status?.updateRevision ?? '') };
  }
  if (kind !== 'Deployment') return { kind: 'version', version: WORKLOADSPREAD_VERSION_IGNORED };
  const wanted = withoutHash(workload.spec?.template);
  const current = replicaSets.find(
    (rs) =>
      rs.metadata.deletionTimestamp === undefined &&
      (rs.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === workload.metadata.uid) &&
      withoutHash(rs.spec?.template) === wanted,
  );
  return current === undefined ? { kind: 'unknown', reason: 'no-current-replicaset' } : { kind: 'version', version: current.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '' };
}
