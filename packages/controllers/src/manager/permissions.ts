import { KruiseResources, kruiseCrdName } from '@kruise-ts/k8s-adapter';
import { MUTATING_WEBHOOK_CONFIGURATION_NAME, VALIDATING_WEBHOOK_CONFIGURATION_NAME } from '../webhook/webhookConfigurations.js';

/** One RBAC rule: verbs on resources of an API group (only the named objects when `resourceNames` is set). */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
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
    // Image pre-download (PreDownloadImageForInPlaceUpdate / ...ForDaemonSetUpdate; Advanced DaemonSet shares this rule):
    // ImagePullJobs created for an update revision, deleted once the revisions agree.
    { apiGroups: ['apps.kruise.io'], resources: ['imagepulljobs'], verbs: [...READ, 'create', 'delete'] },
  ],
  // Advanced StatefulSet: its controller reads and patches the set (OpenKruise updates it, e.g. to
  // drop reserveOrdinals that no longer matter), writes its status, and is scaled through `scale`.
  // Pods (and their status and resize), PVCs and ControllerRevisions: the same rules as CloneSet's
  // above, not repeated here.
  statefulset: [
    { apiGroups: ['apps.kruise.io'], resources: ['statefulsets', 'statefulsets/status', 'statefulsets/scale'], verbs: [...READ, 'update', 'patch'] },
    // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
    { apiGroups: ['apps.kruise.io'], resources: ['statefulsets/finalizers'], verbs: ['update'] },
    // PVC expansion during updates (StatefulSetAutoResizePVCGate) reads whether a class allows it.
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: [...READ] },
  ],
  // Advanced DaemonSet: its controller reads the set and may patch it (OpenKruise's controller
  // updates its own annotations), writes its status, and reads nodes to place one pod per eligible
  // node. Pods (and their status and resize), ControllerRevisions and the nodes read: the same
  // rules as CloneSet's above, not repeated here.
  daemonset: [
    { apiGroups: ['apps.kruise.io'], resources: ['daemonsets'], verbs: [...READ, 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['daemonsets/status'], verbs: ['get', 'update', 'patch'] },
    // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
    { apiGroups: ['apps.kruise.io'], resources: ['daemonsets/finalizers'], verbs: ['update'] },
  ],
  // UnitedDeployment: reads the UnitedDeployment, writes its status and ControllerRevisions (the
  // rule CloneSet's above already gives), and creates, patches and deletes its child workloads of
  // every kind it may use (OpenKruise's kubebuilder markers; the Kruise children's rules are theirs).
  uniteddeployment: [
    { apiGroups: ['apps.kruise.io'], resources: ['uniteddeployments'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['uniteddeployments/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['uniteddeployments/finalizers'], verbs: ['update'] },
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets', 'statefulsets'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['apps'], resources: ['statefulsets', 'deployments'], verbs: [...READ, ...WRITE] },
  ],
  // AdvancedCronJob: its controller reads the cron jobs and writes their status, creates the Jobs
  // (BroadcastJobs, ImageListPullJobs) of each run, and deletes finished ones beyond the history
  // limits and, with concurrencyPolicy Replace, the running ones.
  advancedcronjob: [
    { apiGroups: ['apps.kruise.io'], resources: ['advancedcronjobs'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['advancedcronjobs/status'], verbs: ['get', 'update', 'patch'] },
    // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
    { apiGroups: ['apps.kruise.io'], resources: ['advancedcronjobs/finalizers'], verbs: ['update'] },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['apps.kruise.io'], resources: ['broadcastjobs'], verbs: [...READ, ...WRITE] },
    { apiGroups: ['apps.kruise.io'], resources: ['imagelistpulljobs'], verbs: [...READ, ...WRITE] },
  ],
  // BroadcastJob: reads the jobs, writes their status, deletes a job past its TTL, and creates and
  // deletes one pod per eligible node, read from the nodes.
  broadcastjob: [
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'create', 'delete'] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['broadcastjobs'], verbs: [...READ, 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['broadcastjobs/status'], verbs: ['get', 'update', 'patch'] },
    // Owner references with blockOwnerDeletion need update on the owner's finalizers subresource.
    { apiGroups: ['apps.kruise.io'], resources: ['broadcastjobs/finalizers'], verbs: ['update'] },
  ],
  // ResourceDistribution (only with ResourceDistributionGate, off by default as in OpenKruise):
  // reads the distributions and writes their status; watches namespaces; creates, patches and
  // deletes its copies. RBAC cannot be narrower for Secrets: copies have names chosen by users,
  // in any namespace, so no resourceNames; and a conflict can only be seen by reading every
  // Secret of the name. The cache keeps no Secret data but its own copies' (distributedCopyView).
  // These rules are rendered apart (deploy/manager/rbac-resourcedistribution.yaml, see
  // GATED_CONTROLLERS), outside the default install: the manager holds no Secret permission
  // unless the gate is turned on and that file applied.
  resourcedistribution: [
    { apiGroups: ['apps.kruise.io'], resources: ['resourcedistributions'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['resourcedistributions/status'], verbs: ['get', 'update', 'patch'] },
    // Copies carry a blockOwnerDeletion owner reference to their distribution.
    { apiGroups: ['apps.kruise.io'], resources: ['resourcedistributions/finalizers'], verbs: ['update'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: [...READ] },
    { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: [...READ, 'create', 'patch', 'delete'] },
  ],
  // PodUnavailableBudget: reads the budgets and writes their status (recorded disruptions kept or
  // expired), writes the related-pub annotation on their pods, and reads the workloads whose
  // replicas a budget counts (OpenKruise reads them through the scale subresource of any kind).
  podunavailablebudget: [
    { apiGroups: ['policy.kruise.io'], resources: ['podunavailablebudgets'], verbs: [...READ] },
    { apiGroups: ['policy.kruise.io'], resources: ['podunavailablebudgets/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets', 'statefulsets'], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: ['get'] },
  ],
  // PersistentPodState: reads and writes the states (status; generated ones created, updated and
  // deleted from their StatefulSet's annotations), reads pods, nodes (their topology labels) and
  // both kinds of StatefulSet.
  persistentpodstate: [
    { apiGroups: ['apps.kruise.io'], resources: ['persistentpodstates'], verbs: [...READ, 'create', 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['persistentpodstates/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods', 'nodes'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['statefulsets'], verbs: [...READ] },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: [...READ] },
  ],
  // Container launch priority: reads pods and annotates them completed; creates each pod's
  // `<pod>-barrier` ConfigMap, reads it and patches keys into it (OpenKruise's kubebuilder markers
  // grant more: update and delete are never used).
  containerlaunchpriority: [
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'patch'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'patch'] },
  ],
  // SidecarTerminator (gate SidecarTerminator, off by default): reads pods and nodes, patches a
  // sidecar's image (virtual kubelet) and the pod's phase, creates the CRR that stops the sidecars.
  sidecarterminator: [
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'patch'] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests'], verbs: ['get', 'create'] },
  ],
  // NodeImage (KruiseDaemon): one per node, created, relabelled, cleaned and deleted with its node;
  // its status written when the daemon does not answer; the ImagePullJobs that own its tags read.
  nodeimage: [
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['nodeimages'], verbs: [...READ, 'create', 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['nodeimages/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['imagepulljobs'], verbs: [...READ] },
  ],
  // ImagePullJob (ImagePullJobGate): reads the jobs, writes their status, deletes one past its TTL,
  // patches its tag entries into NodeImages (read from the API on a conflict), reads pods (podSelector);
  // reads the pull Secrets jobs name (watched to follow their changes, as OpenKruise) and checks the
  // daemons' namespace exists; patches jobs for the protection finalizer. Copies are written only in
  // kruise-daemon-config (DAEMON_CONFIG_SECRET_PERMISSIONS, a Role there).
  imagepulljob: [
    { apiGroups: ['apps.kruise.io'], resources: ['imagepulljobs'], verbs: [...READ, 'patch', 'delete'] },
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
    { apiGroups: ['apps.kruise.io'], resources: ['imagepulljobs/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['nodeimages'], verbs: [...READ, 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ] },
  ],
  // ImageListPullJob (ImagePullJobGate): labels itself with its template hash, writes its status,
  // deletes itself past its TTL; creates and deletes the ImagePullJobs it controls.
  imagelistpulljob: [
    { apiGroups: ['apps.kruise.io'], resources: ['imagelistpulljobs'], verbs: [...READ, 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['imagelistpulljobs/status'], verbs: ['get', 'update', 'patch'] },
    // Its ImagePullJobs carry a blockOwnerDeletion owner reference to it.
    { apiGroups: ['apps.kruise.io'], resources: ['imagelistpulljobs/finalizers'], verbs: ['update'] },
    { apiGroups: ['apps.kruise.io'], resources: ['imagepulljobs'], verbs: [...READ, 'create', 'delete'] },
  ],
  // WorkloadSpread: reads the WorkloadSpreads and writes their status, reads the workloads they
  // target and their pods, writes the pods' deletion cost and subset annotation, deletes pods the
  // Adaptive strategy reschedules (OpenKruise's kubebuilder markers).
  workloadspread: [
    { apiGroups: ['apps.kruise.io'], resources: ['workloadspreads'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['workloadspreads/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['clonesets', 'statefulsets'], verbs: [...READ] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: [...READ] },
    { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get'] },
    // The nodes of pods created before their WorkloadSpread (which subset they belong to).
    { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
  ],
  // ContainerRecreateRequest (KruiseDaemon): reads the CRRs, labels/annotates them, adds and
  // removes its finalizer, completes them (status), deletes one past its TTL; reads pods and holds
  // them not ready through the KruisePodReady condition (OpenKruise's kubebuilder markers).
  containerrecreaterequest: [
    { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests'], verbs: [...READ, 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['containerrecreaterequests/finalizers'], verbs: ['update'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
  ],
  // PodProbeMarker (PodProbeMarkerGate): reads the markers, adds and removes their cleanup
  // finalizer, writes their status; merges their probes into the NodePodProbes (patch); reads pods
  // and nodes (OpenKruise's kubebuilder markers).
  podprobemarker: [
    { apiGroups: ['apps.kruise.io'], resources: ['podprobemarkers'], verbs: [...READ, 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['podprobemarkers/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps.kruise.io'], resources: ['podprobemarkers/finalizers'], verbs: ['update'] },
    { apiGroups: ['apps.kruise.io'], resources: ['nodepodprobes'], verbs: [...READ, 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
  ],
  // NodePodProbe (PodProbeMarkerGate): creates one per node and deletes it with the node, drops gone
  // pods from it; reads the daemon's results and writes them on the pods (labels/annotations and
  // the probe's condition).
  nodepodprobe: [
    { apiGroups: ['apps.kruise.io'], resources: ['nodepodprobes'], verbs: [...READ, 'create', 'patch', 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['podprobemarkers'], verbs: [...READ] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'patch'] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
    { apiGroups: [''], resources: ['nodes'], verbs: [...READ] },
  ],
  // EphemeralJob: reads the jobs, writes their status, deletes a job past its TTL, reads pods and
  // adds ephemeral containers to them (OpenKruise's kubebuilder markers).
  ephemeraljob: [
    { apiGroups: ['apps.kruise.io'], resources: ['ephemeraljobs'], verbs: [...READ, 'delete'] },
    { apiGroups: ['apps.kruise.io'], resources: ['ephemeraljobs/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: [...READ] },
    { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['get', 'update', 'patch'] },
  ],
  sidecarset: [
    { apiGroups: ['apps.kruise.io'], resources: ['sidecarsets'], verbs: [...READ] },
    { apiGroups: ['apps.kruise.io'], resources: ['sidecarsets/status'], verbs: ['get', 'update', 'patch'] },
    // Its ControllerRevisions carry a blockOwnerDeletion owner reference to it.
    { apiGroups: ['apps.kruise.io'], resources: ['sidecarsets/finalizers'], verbs: ['update'] },
    // In-place sidecar upgrades (update) and the SidecarSetUpgradable condition (pods/status).
    { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'update', 'patch'] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['update', 'patch'] },
    // namespaceSelector matching.
    { apiGroups: [''], resources: ['namespaces'], verbs: [...READ] },
    { apiGroups: ['apps'], resources: ['controllerrevisions'], verbs: [...READ, ...WRITE] },
  ],
};

/**
 * Controllers behind a feature gate that is off by default, and that gate: their permissions are
 * rendered into a ClusterRole of their own (`deploy/manager/rbac-<controller>.yaml`), left out of
 * the default kustomization, so a default install grants none of them; apply the file when
 * turning the gate on. `resourcedistribution` and `imagepulljob` are the ones that read Secrets
 * (ImagePullJob pull secrets, copied into kruise-daemon-config).
 */
export const GATED_CONTROLLERS: Readonly<Record<string, string>> = { resourcedistribution: 'ResourceDistributionGate', imagepulljob: 'ImagePullJobGate', sidecarterminator: 'SidecarTerminator' };

/** Gates that turn another one on in the manager (`applyCascades`): a gated ClusterRole comes with either. */
export const GATES_IMPLYING: Readonly<Record<string, readonly string[]>> = { ImagePullJobGate: ['PreDownloadImageForInPlaceUpdate', 'PreDownloadImageForDaemonSetUpdate'] };

/**
 * The feature gate each gated controller needs, whatever its default (OpenKruise's `Add` returns
 * early without it): {@link GATED_CONTROLLERS}, plus NodeImage behind KruiseDaemon (on by default),
 * the image pull jobs behind ImagePullJobGate (off by default, turned on by the PreDownload
 * gates; KruiseDaemon off turns it off), ContainerRecreateRequest behind KruiseDaemon and WorkloadSpread behind WorkloadSpread (on by default;
 * PodWebhook off turns it off). Their RBAC is in the default install.
 */
export const CONTROLLER_GATES: Readonly<Record<string, string>> = { ...GATED_CONTROLLERS, nodeimage: 'KruiseDaemon', imagepulljob: 'ImagePullJobGate', imagelistpulljob: 'ImagePullJobGate', workloadspread: 'WorkloadSpread', containerrecreaterequest: 'KruiseDaemon', podprobemarker: 'PodProbeMarkerGate', nodepodprobe: 'PodProbeMarkerGate' };

/** Permissions every manager needs: events, and the apiserver version (resize detection). */
export const MANAGER_PERMISSIONS: readonly PolicyRule[] = [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] }];

/** Permissions in the leader-election namespace only: its Lease. */
export const LEADER_ELECTION_PERMISSIONS: readonly PolicyRule[] = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }];

/** The CRDs whose `spec.conversion` the manager points at its conversion webhook. */
export const CONVERTED_CRDS: readonly string[] = [
  kruiseCrdName(KruiseResources.PodUnavailableBudget),
  kruiseCrdName(KruiseResources.CloneSet),
  kruiseCrdName(KruiseResources.SidecarSet),
  kruiseCrdName(KruiseResources.StatefulSet),
  kruiseCrdName(KruiseResources.AdvancedCronJob),
  kruiseCrdName(KruiseResources.BroadcastJob),
  kruiseCrdName(KruiseResources.DaemonSet),
  kruiseCrdName(KruiseResources.UnitedDeployment),
  kruiseCrdName(KruiseResources.ResourceDistribution),
  kruiseCrdName(KruiseResources.PersistentPodState),
  kruiseCrdName(KruiseResources.WorkloadSpread),
];

/**
 * Cluster-wide permissions of the webhook side (every replica): create its two webhook
 * configurations, then read and update only those; read and patch the conversion of only the CRDs
 * it converts; read pods (CloneSet `podsToDelete` checks); watch SidecarSets, namespaces and
 * ControllerRevisions (the SidecarSet cache behind pod injection and SidecarSet validation).
 * `create` cannot be limited by name in RBAC.
 */
export const WEBHOOK_PERMISSIONS: readonly PolicyRule[] = [
  // PersistentPodStates of a pod's namespace (pod injection) and of a state's (one per workload).
  { apiGroups: ['apps.kruise.io'], resources: ['persistentpodstates'], verbs: ['list'] },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], verbs: ['create'] },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
    verbs: ['get', 'update'],
    resourceNames: [MUTATING_WEBHOOK_CONFIGURATION_NAME, VALIDATING_WEBHOOK_CONFIGURATION_NAME],
  },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'patch'], resourceNames: [...CONVERTED_CRDS] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
  // Deletion protection: a Cascading namespace's pods and PVCs are counted. (A Cascading CRD's
  // custom resources are listed too; grant list on them to use DeletionProtectionForCRDCascadingGate:
  // kruise-ts grants no wildcard.)
  { apiGroups: [''], resources: ['pods', 'persistentvolumeclaims'], verbs: ['list'] },
  // PodUnavailableBudgets: the pod webhook reads a pod's budget and writes its status (one
  // disruption taken); the budget webhook lists the namespace's budgets (conflicts).
  { apiGroups: ['policy.kruise.io'], resources: ['podunavailablebudgets'], verbs: ['get', 'list'] },
  { apiGroups: ['policy.kruise.io'], resources: ['podunavailablebudgets/status'], verbs: ['update'] },
  // WorkloadSpreads: the pod webhook lists a pod's namespace's, reads one and writes its status
  // (a subset slot taken or released); the WorkloadSpread webhook lists them (one per workload).
  { apiGroups: ['apps.kruise.io'], resources: ['workloadspreads'], verbs: ['get', 'list'] },
  { apiGroups: ['apps.kruise.io'], resources: ['workloadspreads/status'], verbs: ['update'] },
  // The pod mutating webhook resolves a pod's controller to the workload a targetRef budget names.
  { apiGroups: ['apps.kruise.io'], resources: ['clonesets', 'statefulsets'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: ['get'] },
  { apiGroups: ['apps.kruise.io'], resources: ['sidecarsets'], verbs: [...READ] },
  { apiGroups: [''], resources: ['namespaces'], verbs: [...READ] },
  { apiGroups: ['apps'], resources: ['controllerrevisions'], verbs: [...READ] },
];

/**
 * Permissions in `kruise-daemon-config` only (a Role there): the ImagePullJob controller creates,
 * patches and deletes the copies of pull Secrets the daemons read.
 */
export const DAEMON_CONFIG_SECRET_PERMISSIONS: readonly PolicyRule[] = [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'patch', 'delete'] }];

/**
 * Permissions in the manager's namespace only: the Secret holding the webhook certificates
 * (create it, then read and update only it; no access to any other Secret), and reading the
 * `kruise-configuration` ConfigMap (the SidecarSet patchPodMetadata whitelist).
 */
export function webhookSecretPermissions(secretName: string): readonly PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'], resourceNames: [secretName] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['kruise-configuration'] },
  ];
}
