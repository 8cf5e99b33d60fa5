/** One RBAC rule (the shape of `rbac.authorization.k8s.io/v1` PolicyRule). */
export interface DaemonPolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What kruise-ts-daemon needs from the apiserver, and nothing more (its ClusterRole in
 * `deploy/daemon/rbac.yaml`, generated from this list): read and watch NodeImages (its own, by
 * field selector), write their status, read pull Secrets in the namespaces the images name (a
 * ClusterRole, as OpenKruise's kruise-daemon-role, since ImagePullJobs live in any namespace),
 * and record events; read and watch the ContainerRecreateRequests labelled with its node, write
 * their status and fill a missing statusContext (patch); read and watch the pods of its node and
 * patch `pods/status` (container meta: `apps.kruise.io/runtime-containers-meta`).
 */
export const DAEMON_PERMISSIONS: readonly DaemonPolicyRule[] = [
  { apiGroups: ['apps.kruise.io'], resources: ['nodeimages'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['nodeimages/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests/status'], verbs: ['get', 'patch', 'update'] },
  // Container meta (env from metadata): this node's pods, and runtime-containers-meta written through pods/status.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch', 'update'] },
];
