import type { AdvancedCronJob, AdvancedCronJobV1alpha1, BroadcastJob, BroadcastJobV1alpha1, EphemeralJob } from '@kruise-ts/core';
import type { PersistentPodState, ResourceDistribution, ResourceDistributionV1alpha1 } from '@kruise-ts/core';
import type { ImageListPullJob, ImagePullJob, NodeImage } from '@kruise-ts/core';
import type { ContainerRecreateRequest } from '@kruise-ts/core';
import type { NodePodProbe, PodProbeMarker } from '@kruise-ts/core';
import type { PodUnavailableBudget, PodUnavailableBudgetV1alpha1 } from '@kruise-ts/core';
import type { WorkloadSpread, WorkloadSpreadV1beta1 } from '@kruise-ts/core';
import type { CloneSet, CloneSetV1alpha1, DaemonSet, DaemonSetV1alpha1, SidecarSet, SidecarSetV1alpha1, StatefulSet, StatefulSetV1alpha1, UnitedDeployment, UnitedDeploymentV1alpha1 } from '@kruise-ts/core';
// Type-only: resourceType.ts reads this registry at load time (`Resources.CloneSet`), so importing
// `defineResource` from it here would be an import cycle; `kruise` below is the same identity.
import type { KubeObject, ResourceType } from './resourceType.js';

const kruise = <T extends KubeObject>(type: Omit<ResourceType<T>, '__type'>): ResourceType<T> => type;

/**
 * Every Kruise resource type kruise-ts reads or writes, one entry per served version: the storage
 * version under the kind's name (`CloneSet`, `SidecarSet`, `StatefulSet`, `DaemonSet`: `apps.kruise.io/v1beta1`) and the older
 * version OpenKruise still serves under `<Kind>V1alpha1` (converted by the manager's `/convert`).
 * The CRDs in `deploy/crds/` are generated with the same group, plural and scope.
 *
 * @example
 * ```ts
 * await client.get(KruiseResources.CloneSet, { namespace: 'apps', name: 'web' });      // GET /apis/apps.kruise.io/v1beta1/namespaces/apps/clonesets/web
 * await client.get(KruiseResources.SidecarSetV1alpha1, { name: 'log' });              // GET /apis/apps.kruise.io/v1alpha1/sidecarsets/log
 * await client.get(KruiseResources.StatefulSet, { namespace: 'db', name: 'mysql' });   // GET /apis/apps.kruise.io/v1beta1/namespaces/db/statefulsets/mysql
 * await client.get(KruiseResources.DaemonSet, { namespace: 'infra', name: 'log' });     // GET /apis/apps.kruise.io/v1beta1/namespaces/infra/daemonsets/log
 * ```
 */
export const KruiseResources = {
  /** `apps.kruise.io/v1beta1` CloneSets (namespaced; the storage version). */
  CloneSet: kruise<CloneSet & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'CloneSet', plural: 'clonesets', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` CloneSets, served through the conversion webhook. */
  CloneSetV1alpha1: kruise<CloneSetV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'CloneSet', plural: 'clonesets', namespaced: true }),
  /** `apps.kruise.io/v1beta1` SidecarSets (cluster-scoped; the storage version). */
  SidecarSet: kruise<SidecarSet & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'SidecarSet', plural: 'sidecarsets', namespaced: false }),
  /** `apps.kruise.io/v1alpha1` SidecarSets, served through the conversion webhook. */
  SidecarSetV1alpha1: kruise<SidecarSetV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', plural: 'sidecarsets', namespaced: false }),
  /**
   * `apps.kruise.io/v1beta1` Advanced StatefulSets (namespaced; the storage version). Not the
   * built-in `apps/v1` StatefulSet, hence no `Resources.StatefulSet`.
   */
  StatefulSet: kruise<StatefulSet & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` Advanced StatefulSets, served through the conversion webhook. */
  StatefulSetV1alpha1: kruise<StatefulSetV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true }),
  /** `apps.kruise.io/v1beta1` AdvancedCronJobs (namespaced; the storage version). */
  AdvancedCronJob: kruise<AdvancedCronJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'AdvancedCronJob', plural: 'advancedcronjobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` AdvancedCronJobs, served through the conversion webhook. */
  AdvancedCronJobV1alpha1: kruise<AdvancedCronJobV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'AdvancedCronJob', plural: 'advancedcronjobs', namespaced: true }),
  /** `apps.kruise.io/v1beta1` BroadcastJobs (namespaced; the storage version). */
  BroadcastJob: kruise<BroadcastJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'BroadcastJob', plural: 'broadcastjobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` BroadcastJobs, served through the conversion webhook. */
  BroadcastJobV1alpha1: kruise<BroadcastJobV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'BroadcastJob', plural: 'broadcastjobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` EphemeralJobs (namespaced; v1alpha1 only, as in OpenKruise). */
  EphemeralJob: kruise<EphemeralJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'EphemeralJob', plural: 'ephemeraljobs', namespaced: true }),
  /**
   * `apps.kruise.io/v1beta1` Advanced DaemonSets (namespaced; the storage version). Not the
   * built-in `apps/v1` DaemonSet, hence no `Resources.DaemonSet`.
   */
  DaemonSet: kruise<DaemonSet & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` Advanced DaemonSets, served through the conversion webhook. */
  DaemonSetV1alpha1: kruise<DaemonSetV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true }),
  /** `apps.kruise.io/v1beta1` UnitedDeployments (namespaced; the storage version). */
  UnitedDeployment: kruise<UnitedDeployment & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'UnitedDeployment', plural: 'uniteddeployments', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` UnitedDeployments, served through the conversion webhook. */
  UnitedDeploymentV1alpha1: kruise<UnitedDeploymentV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'UnitedDeployment', plural: 'uniteddeployments', namespaced: true }),
  /** `apps.kruise.io/v1beta1` ResourceDistributions (cluster-scoped; the storage version). */
  ResourceDistribution: kruise<ResourceDistribution & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'ResourceDistribution', plural: 'resourcedistributions', namespaced: false }),
  /** `apps.kruise.io/v1alpha1` ResourceDistributions, served through the conversion webhook. */
  ResourceDistributionV1alpha1: kruise<ResourceDistributionV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'ResourceDistribution', plural: 'resourcedistributions', namespaced: false }),
  /** `apps.kruise.io/v1beta1` PersistentPodStates (namespaced; the storage version). */
  PersistentPodState: kruise<PersistentPodState & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'PersistentPodState', plural: 'persistentpodstates', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` PersistentPodStates, served through the conversion webhook. */
  PersistentPodStateV1alpha1: kruise<PersistentPodState & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'PersistentPodState', plural: 'persistentpodstates', namespaced: true }),
  /**
   * `apps.kruise.io/v1alpha1` WorkloadSpreads (namespaced), the version kruise-ts's controller and
   * pod webhook read: the apiserver stores v1beta1 and converts through the conversion webhook.
   */
  WorkloadSpread: kruise<WorkloadSpread & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'WorkloadSpread', plural: 'workloadspreads', namespaced: true }),
  /** `apps.kruise.io/v1beta1` WorkloadSpreads (the storage version; renamed subset node selectors). */
  WorkloadSpreadV1beta1: kruise<WorkloadSpreadV1beta1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'WorkloadSpread', plural: 'workloadspreads', namespaced: true }),
  /**
   * `apps.kruise.io/v1beta1` NodeImages (cluster-scoped, one per node; the storage version). The
   * v1alpha1 version has the same fields and is served by the apiserver alone (conversion None).
   */
  NodeImage: kruise<NodeImage & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'NodeImage', plural: 'nodeimages', namespaced: false }),
  /** `apps.kruise.io/v1alpha1` NodeImages: the same fields as v1beta1, the apiserver only rewrites apiVersion. */
  NodeImageV1alpha1: kruise<NodeImage & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'NodeImage', plural: 'nodeimages', namespaced: false }),
  /** `apps.kruise.io/v1beta1` ImagePullJobs (namespaced; the storage version; v1alpha1 has the same fields). */
  ImagePullJob: kruise<ImagePullJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'ImagePullJob', plural: 'imagepulljobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` ImagePullJobs: the same fields as v1beta1, the apiserver only rewrites apiVersion. */
  ImagePullJobV1alpha1: kruise<ImagePullJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'ImagePullJob', plural: 'imagepulljobs', namespaced: true }),
  /** `apps.kruise.io/v1beta1` ImageListPullJobs (namespaced; the storage version; v1alpha1 has the same fields). */
  ImageListPullJob: kruise<ImageListPullJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'ImageListPullJob', plural: 'imagelistpulljobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` ImageListPullJobs: the same fields as v1beta1, the apiserver only rewrites apiVersion. */
  ImageListPullJobV1alpha1: kruise<ImageListPullJob & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'ImageListPullJob', plural: 'imagelistpulljobs', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` ContainerRecreateRequests (namespaced; OpenKruise serves v1alpha1 only). */
  ContainerRecreateRequest: kruise<ContainerRecreateRequest & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'ContainerRecreateRequest', plural: 'containerrecreaterequests', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` PodProbeMarkers (namespaced; OpenKruise serves v1alpha1 only). */
  PodProbeMarker: kruise<PodProbeMarker & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'PodProbeMarker', plural: 'podprobemarkers', namespaced: true }),
  /** `apps.kruise.io/v1alpha1` NodePodProbes (cluster-scoped, one per node, named after it). */
  NodePodProbe: kruise<NodePodProbe & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'NodePodProbe', plural: 'nodepodprobes', namespaced: false }),
  /** `policy.kruise.io/v1beta1` PodUnavailableBudgets (namespaced; the storage version). */
  PodUnavailableBudget: kruise<PodUnavailableBudget & KubeObject>({ group: 'policy.kruise.io', version: 'v1beta1', kind: 'PodUnavailableBudget', plural: 'podunavailablebudgets', namespaced: true }),
  /** `policy.kruise.io/v1alpha1` PodUnavailableBudgets, served through the conversion webhook. */
  PodUnavailableBudgetV1alpha1: kruise<PodUnavailableBudgetV1alpha1 & KubeObject>({ group: 'policy.kruise.io', version: 'v1alpha1', kind: 'PodUnavailableBudget', plural: 'podunavailablebudgets', namespaced: true }),
} as const;

/**
 * Returns the name of the CustomResourceDefinition serving `type`: `<plural>.<group>`. Every
 * version of a kind shares one CRD.
 *
 * @example kruiseCrdName(KruiseResources.SidecarSetV1alpha1) // 'sidecarsets.apps.kruise.io'
 */
export function kruiseCrdName(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.plural}.${type.group}`;
}
