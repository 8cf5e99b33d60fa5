/** One RBAC rule (the shape of `rbac.authorization.k8s.io/v1` PolicyRule). */
export interface DaemonPolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What kruise-ts-daemon needs from the apiserver, and nothing more (its ClusterRole in
 * `deploy/daemon/rbac.yaml`, generated from this list): read and watch NodeImages (its own, by
 * field selector), write their status and record events (pull Secrets are read only in
 * `kruise-daemon-config`, see {@link DAEMON_CONFIG_NAMESPACE_PERMISSIONS}); read and watch the ContainerRecreateRequests labelled with its node, write
 * their status and fill a missing statusContext (patch); read and watch the pods of its node and
 * patch `pods/status` (container meta: `apps.kruise.io/runtime-containers-meta`); read and watch
 * its NodePodProbe and write its status (pod probes).
 */
export const DAEMON_PERMISSIONS: readonly DaemonPolicyRule[] = [
  { apiGroups: ['apps.kruise.io'], resources: ['nodeimages'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['nodeimages/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests/status'], verbs: ['get', 'patch', 'update'] },
  // Container meta (env from metadata): this node's pods, and runtime-containers-meta written through pods/status.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'patch', 'update'] },
  // Pod probes: this node's NodePodProbe (by field selector) and its status, where the results go.
  { apiGroups: ['apps.kruise.io'], resources: ['nodepodprobes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps.kruise.io'], resources: ['nodepodprobes/status'], verbs: ['get', 'patch', 'update'] },
];

/** The namespace the manager copies ImagePullJob pull Secrets into for the daemons (OpenKruise's `kruise-daemon-config`). */
export const DAEMON_CONFIG_NAMESPACE = 'kruise-daemon-config';

/**
 * What kruise-ts-daemon may do in {@link DAEMON_CONFIG_NAMESPACE} (a Role there, in
 * `deploy/daemon/rbac.yaml`): read the pull Secrets the NodeImages name, which the manager's
 * ImagePullJob controller copies there; no Secret of any other namespace.
 */
export const DAEMON_CONFIG_NAMESPACE_PERMISSIONS: readonly DaemonPolicyRule[] = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }];
