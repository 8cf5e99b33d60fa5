/**
 * Well-known label, annotation, finalizer, condition and env keys, spelled exactly as OpenKruise
 * and Kubernetes spell them, so a pod touched by OpenKruise can be finished by kruise-ts and the
 * other way round. Engineers append constants here with small edits; one TSDoc line each.
 */

// ---- Revisions ----------------------------------------------------------------------------

/** Pod label holding the full revision name (`<workload>-<hash>`), or only the hash with CloneSetShortHash. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** Pod label naming the pod itself, set by (Advanced) StatefulSets (`statefulset.kubernetes.io/pod-name`). */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/** Pod label holding a StatefulSet pod's ordinal (`apps.kubernetes.io/pod-index`, PodIndexLabel gate). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** Pod label holding the short revision hash (the part after the last `-` of the revision name). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Label OpenKruise's UnitedDeployment uses to record the controller revision of a subset workload. */
export const KRUISE_CONTROLLER_REVISION_HASH_LABEL = 'apps.kruise.io/controller-revision-hash';

/** ControllerRevision annotation holding the hash of the CloneSet's volumeClaimTemplates (or ""). */
export const VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION = 'kruise.io/cloneset-volumeclaimtemplate-hash';

// ---- Advanced DaemonSet -------------------------------------------------------------------

/**
 * Advanced DaemonSet annotation (v1alpha1) that makes pod creation follow the partition:
 * `"true"` is v1beta1's `spec.scaleStrategy.partitionedScaling: true`.
 */
export const DAEMONSET_PROGRESSIVE_CREATE_POD_ANNOTATION = 'daemonset.kruise.io/progressive-create-pod';

// ---- UnitedDeployment ----------------------------------------------------------------------

/** Label on a UnitedDeployment's child workloads and their pods: the subset they belong to. */
export const SUBSET_NAME_LABEL = 'apps.kruise.io/subset-name';

/** Annotation on a UnitedDeployment's child workload: the subset's `patch` as JSON (`""` without one). */
export const SUBSET_PATCH_ANNOTATION = 'apps.kruise.io/subset-patch';

/** Pod label of the Adaptive strategy with reserveUnschedulablePods: `"true"` on a reserved (pending) pod. */
export const UNITED_DEPLOYMENT_RESERVED_POD_LABEL = 'apps.kruise.io/united-deployment-reserved-pod';

// ---- CloneSet pods and PVCs ---------------------------------------------------------------

/** Label shared by a CloneSet pod and its PVCs: the instance id, also the suffix of their names. */
export const CLONESET_INSTANCE_ID_LABEL = 'apps.kruise.io/cloneset-instance-id';

/** Pod label asking the workload to delete (or recreate) this pod; the value may carry an option. */
export const SPECIFIED_DELETE_LABEL = 'apps.kruise.io/specified-delete';

/** Pod annotation ranking pods for scale-down: lower cost is deleted first (an int32 as a string). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** CloneSet label (`"true"`) that excludes PreparingDelete pods from the replica count (v1alpha1 form). */
export const CLONESET_SCALING_EXCLUDE_PREPARING_DELETE_LABEL = 'apps.kruise.io/cloneset-scaling-exclude-preparing-delete';

/** Label prefix: a pod with any label starting with it is unavailable for workloads and PUB, even if ready. */
export const UNAVAILABLE_POD_LABEL_PREFIX = 'unavailable-pod.kruise.io/';

// ---- Lifecycle ----------------------------------------------------------------------------

/** Pod label holding the lifecycle state (`PreparingNormal`, `Normal`, `PreparingUpdate`...). */
export const LIFECYCLE_STATE_LABEL = 'lifecycle.apps.kruise.io/state';

/** Pod annotation holding the RFC 3339 time the lifecycle state last changed. */
export const LIFECYCLE_TIMESTAMP_ANNOTATION = 'lifecycle.apps.kruise.io/timestamp';

// ---- In-place update ----------------------------------------------------------------------

/** Pod annotation holding the JSON `InPlaceUpdateState` of the latest in-place update. */
export const INPLACE_UPDATE_STATE_ANNOTATION = 'apps.kruise.io/inplace-update-state';

/** Legacy (pre-v1.0) key of the in-place update state, still read by OpenKruise. */
export const INPLACE_UPDATE_STATE_ANNOTATION_OLD = 'inplace-update-state';

/** Pod annotation holding the spec parked until `gracePeriodSeconds` have elapsed. */
export const INPLACE_UPDATE_GRACE_ANNOTATION = 'apps.kruise.io/inplace-update-grace';

/** Legacy (pre-v1.0) key of the parked in-place update spec, still read by OpenKruise. */
export const INPLACE_UPDATE_GRACE_ANNOTATION_OLD = 'inplace-update-grace';

/** Pod annotation where kruise-daemon reports runtime container hashes (`RuntimeContainerMetaSet` JSON). */
export const RUNTIME_CONTAINERS_META_ANNOTATION = 'apps.kruise.io/runtime-containers-meta';

/** Pod condition (and readiness gate) that is False while an in-place update is in progress. */
export const INPLACE_UPDATE_READY_CONDITION = 'InPlaceUpdateReady';

/** Pod condition (and readiness gate) that lifecycle hooks with `markPodNotReady` set to False. */
export const KRUISE_POD_READY_CONDITION = 'KruisePodReady';

// ---- Image pre-download -------------------------------------------------------------------

/** Workload annotation (v1alpha1 form): how many nodes pull the new images at once. */
export const IMAGE_PREDOWNLOAD_PARALLELISM_ANNOTATION = 'apps.kruise.io/image-predownload-parallelism';

/** Workload annotation (v1alpha1 form): timeout in seconds of each image pre-download. */
export const IMAGE_PREDOWNLOAD_TIMEOUT_SECONDS_ANNOTATION = 'apps.kruise.io/image-predownload-timeout-seconds';

/** Workload annotation (v1alpha1 form): updated-ready pods required before images are pre-downloaded. */
export const IMAGE_PREDOWNLOAD_MIN_UPDATED_READY_PODS_ANNOTATION = 'apps.kruise.io/image-predownload-min-updated-ready-pods';

/** ControllerRevision annotation: the ImagePullJob for this revision's images was created. */
export const IMAGE_PREDOWNLOAD_CREATED_ANNOTATION = 'apps.kruise.io/pre-predownload-created';

/** ControllerRevision annotation: this revision's images are not to be pre-downloaded. */
export const IMAGE_PREDOWNLOAD_IGNORED_ANNOTATION = 'apps.kruise.io/image-predownload-ignored';

// ---- Container launch priority ------------------------------------------------------------

/** Pod annotation (`Ordered`) asking containers to start one after another in declaration order. */
export const CONTAINER_LAUNCH_PRIORITY_ANNOTATION = 'apps.kruise.io/container-launch-priority';

/** Value of {@link CONTAINER_LAUNCH_PRIORITY_ANNOTATION} that orders containers by position. */
export const CONTAINER_LAUNCH_ORDERED = 'Ordered';

/** Container env a user sets to give that container a launch priority (an integer as a string). */
export const CONTAINER_LAUNCH_PRIORITY_ENV = 'KRUISE_CONTAINER_PRIORITY';

/** Container env the pod webhook injects (a configMapKeyRef `p_<N>`) to hold a container until its turn. */
export const CONTAINER_LAUNCH_BARRIER_ENV = 'KRUISE_CONTAINER_BARRIER';

/** Pod annotation (`"true"`) the launch-priority controller sets once every priority is in the pod's barrier ConfigMap. */
export const CONTAINER_LAUNCH_PRIORITY_COMPLETED_ANNOTATION = 'apps.kruise.io/container-launch-priority-completed';

// ---- SidecarSet ---------------------------------------------------------------------------

/** SidecarSet and pod annotation: the SidecarSet's hash (on a pod, JSON `{name: {hash, updateTimestamp, sidecarSetName, sidecarList, controllerRevision}}`). */
export const SIDECARSET_HASH_ANNOTATION = 'kruise.io/sidecarset-hash';

/** SidecarSet and pod annotation: the hash with images blanked (only images changed ⇔ equal), same JSON shape on pods. */
export const SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION = 'kruise.io/sidecarset-hash-without-image';

/** Pod annotation: names of the SidecarSets injected into the pod, sorted, comma-separated. */
export const SIDECARSET_INJECTED_LIST_ANNOTATION = 'kruise.io/sidecarset-injected-list';

/** Pod annotation: JSON `{sidecarSetName: InPlaceUpdateState}` recorded by the sidecar in-place upgrade. */
export const SIDECARSET_INPLACE_UPDATE_STATE_ANNOTATION = 'kruise.io/sidecarset-inplace-update-state';

/** Pod annotation: JSON `{sidecar: workingContainer}` of hot-upgrade sidecars, e.g. `{"envoy":"envoy-1"}`. */
export const SIDECARSET_WORKING_HOT_UPGRADE_CONTAINER_ANNOTATION = 'kruise.io/sidecarset-working-hotupgrade-container';

/** ControllerRevision label naming the SidecarSet a revision belongs to. */
export const SIDECARSET_NAME_LABEL = 'kruise.io/sidecarset-name';

/** Label of a v1alpha1 SidecarSet (and of its revisions) holding its custom version (`spec.customVersion` in v1beta1). */
export const SIDECARSET_CUSTOM_VERSION_LABEL = 'apps.kruise.io/sidecarset-custom-version';

/** Env var OpenKruise adds (`"true"`) to every injected sidecar container: it marks the container as injected. */
export const SIDECAR_INJECTED_ENV = 'IS_INJECTED';

/** Pod condition telling whether every SidecarSet of the pod can upgrade it in place (message: JSON `{name: bool}`). */
export const SIDECARSET_UPGRADABLE_CONDITION = 'SidecarSetUpgradable';

/** Namespace label whose value `controller-manager` keeps the pod webhook (and so sidecar injection) away from a namespace. */
export const CONTROL_PLANE_LABEL = 'control-plane';

/** Label Kubernetes (1.21+) puts on every namespace with the namespace's own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

// ---- Protection ---------------------------------------------------------------------------

/** Label on a workload or namespace protecting it from deletion (`Always` or `Cascading`). */
export const DELETION_PROTECTION_LABEL = 'policy.kruise.io/delete-protection';
