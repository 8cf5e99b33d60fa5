/** One RBAC rule: verbs on resources of an API group. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'] as const;
const WRITE = ['create', 'update', 'patch', 'delete'] as const;

/**
 * The cluster-wide permissions each controller needs, the least that its calls use. The RBAC in
 * `deploy/` is generated from these (`scripts/deploy/generateDeploy.ts`), and an end-to-end test
 * runs the manager with exactly them.
 */
export const CONTROLLER_PERMISSIONS: Readonly<Record<string, readonly PolicyRule[]>> = {
  cloneset: [
    // patch: truncating scaleStrategy.podsToDelete to pods that still exist (as OpenKruise).
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets'], verbs: [...READ, 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets/status'], verbs: ['get', 'update', 'patch'] },
    // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets/finalizers'], verbs: ['update'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['update', 'patch'] },
    { apiGroups: [''], resources: ['pods/resize'], verbs: ['update', 'patch'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['apps'], resources: ['controllerrevisions'], verbs: [...READ, ...WRITE] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
  ],
};

/** Permissions every manager needs: events, and the apiserver version (resize detection). */
export const MANAGER_PERMISSIONS: readonly PolicyRule[] = [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] }];

/** Permissions in the leader-election namespace only: its Lease. */
export const LEADER_ELECTION_PERMISSIONS: readonly PolicyRule[] = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }];
