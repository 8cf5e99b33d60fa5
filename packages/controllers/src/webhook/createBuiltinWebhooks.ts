import { NotFoundError, Resources, systemClock, type Clock, type KubeClient, type KubeReader } from '@kruise-ts/k8s-adapter';
import { advancedCronJobMutatingWebhook, advancedCronJobValidatingWebhook } from './advancedcronjob/advancedCronJobAdmission.js';
import { advancedCronJobConverter } from './advancedcronjob/advancedCronJobConverter.js';
import { broadcastJobMutatingWebhook, broadcastJobValidatingWebhook } from './broadcastjob/broadcastJobAdmission.js';
import { broadcastJobConverter } from './broadcastjob/broadcastJobConverter.js';
import { ephemeralJobValidatingWebhook } from './ephemeraljob/ephemeralJobAdmission.js';
import { cloneSetMutatingWebhook, cloneSetValidatingWebhook } from './cloneset/cloneSetAdmission.js';
import { cloneSetConverter } from './cloneset/cloneSetConverter.js';
import { daemonSetMutatingWebhook, daemonSetValidatingWebhook } from './daemonset/daemonSetAdmission.js';
import { daemonSetConverter } from './daemonset/daemonSetConverter.js';
import { unitedDeploymentMutatingWebhook, unitedDeploymentValidatingWebhook } from './uniteddeployment/unitedDeploymentAdmission.js';
import { unitedDeploymentConverter } from './uniteddeployment/unitedDeploymentConverter.js';
import { workloadSpreadConverter } from './workloadspread/workloadSpreadConverter.js';
import { createPodMutatingWebhook, type PodMutator } from './pod/podMutatingWebhook.js';
import { deletionProtectionWebhook } from './deletionprotection/deletionProtectionWebhook.js';
import { createPodValidatingWebhook } from './pod/podValidatingWebhook.js';
import { pubPodValidator } from './pod/pubPodValidator.js';
import { pubPodMutator } from './pod/pubPodMutator.js';
import { podUnavailableBudgetValidatingWebhook } from './podunavailablebudget/podUnavailableBudgetAdmission.js';
import { podUnavailableBudgetConverter } from './podunavailablebudget/podUnavailableBudgetConverter.js';
import { workloadSpreadValidatingWebhook } from './workloadspread/workloadSpreadAdmission.js';
import { workloadSpreadPodMutator } from './workloadspread/workloadSpreadPodMutator.js';
import { workloadSpreadPodValidator } from './workloadspread/workloadSpreadPodValidator.js';
import { resourceDistributionValidatingWebhook } from './resourcedistribution/resourceDistributionAdmission.js';
import { resourceDistributionConverter } from './resourcedistribution/resourceDistributionConverter.js';
import { persistentPodStateConverter, persistentPodStateValidatingWebhook } from './persistentpodstate/persistentPodStateAdmission.js';
import { clientPersistentPodStateSource, createPersistentPodStatePodMutator } from './persistentpodstate/persistentPodStatePodMutator.js';
import { launchPriorityPodMutator } from './pod/launchPriorityPodMutator.js';
import { createSidecarSetPodMutator } from './sidecarset/sidecarSetPodMutator.js';
import { configMapPatchMetadataWhitelist } from './sidecarset/patchMetadataWhitelist.js';
import { sidecarSetMutatingWebhook, sidecarSetValidatingWebhook } from './sidecarset/sidecarSetAdmission.js';
import { sidecarSetConverter } from './sidecarset/sidecarSetConverter.js';
import { clientSidecarSetSource, type SidecarSetSource } from './sidecarset/sidecarSetSource.js';
import { statefulSetMutatingWebhook, statefulSetValidatingWebhook } from './statefulset/statefulSetAdmission.js';
import { statefulSetConverter } from './statefulset/statefulSetConverter.js';
import { createWebhookRegistry, type WebhookRegistry } from './webhookRegistry.js';
import { imagePullAdmissionWebhooks } from './imagepulljob/imagePullAdmission.js';
import { crrMutatingWebhook, crrValidatingWebhook } from './containerrecreaterequest/containerRecreateRequestAdmission.js';
import { podProbeMarkerValidatingWebhook } from './podprobemarker/podProbeMarkerAdmission.js';

/** The feature gates the built-in webhooks read (absent ones take OpenKruise's defaults). */
export interface WebhookFeatureGates {
  /** NodeImage, ImagePullJob and ImageListPullJob validation refuse (403) while it is off (default on). */
  readonly KruiseDaemon?: boolean | undefined;
  /** PodProbeMarker validation refuses (403) while it is off (default on). */
  readonly PodProbeMarkerGate?: boolean | undefined;
  /** ImagePullJob and ImageListPullJob validation refuse (403) while it is off (default off). */
  readonly ImagePullJobGate?: boolean | undefined;
  readonly SidecarSetPatchPodMetadataDefaultsAllowed?: boolean | undefined;
  /** SidecarSet injection orders injected sidecars by name (default off). */
  readonly EnableSortSidecarContainerByName?: boolean | undefined;
  readonly TemplateNoDefaults?: boolean | undefined;
  readonly DefaultHostNetworkHostPortsInPodTemplates?: boolean | undefined;
  readonly StatefulSetAutoDeletePVC?: boolean | undefined;
  readonly StatefulSetAutoResizePVCGate?: boolean | undefined;
  /** Pod DELETE and eviction checked against PodUnavailableBudgets (default on). */
  readonly PodUnavailableBudgetDeleteGate?: boolean | undefined;
  /** Pod in-place UPDATE and resize checked against PodUnavailableBudgets (default off). */
  readonly PodUnavailableBudgetUpdateGate?: boolean | undefined;
  /** The cluster resizes pods natively (a budget then protects RESIZE only when it lists it). */
  readonly InPlacePodVerticalScaling?: boolean | undefined;
  /** Deletes of objects labelled policy.kruise.io/delete-protection checked (default off, as OpenKruise's). */
  readonly ResourcesDeletionProtection?: boolean | undefined;
  /** A Cascading CRD is refused while it has custom resources (off: refused outright). */
  readonly DeletionProtectionForCRDCascadingGate?: boolean | undefined;
  /** ResourceDistributions are refused while it is off (OpenKruise's default). */
  readonly ResourceDistributionGate?: boolean | undefined;
  /** Pods of a WorkloadSpread's workload spread over its subsets at creation, slots released at deletion (default on). */
  readonly WorkloadSpread?: boolean | undefined;
}

/** Options of {@link createBuiltinWebhooks}. */
export interface BuiltinWebhooksOptions {
  /** Reads pods for the CloneSet `podsToDelete` checks. */
  readonly client: KubeClient;
  /** failurePolicy of the pod webhook (default `Ignore`). */
  readonly podFailurePolicy?: 'Fail' | 'Ignore' | undefined;
  /** The manager's namespace (excluded from the pod webhook). */
  readonly managerNamespace: string;
  /**
   * Extra pod mutators of `/mutate-pod`, run after the built-in SidecarSet injection, container
   * launch priority and PersistentPodState, before PodUnavailableBudget and WorkloadSpread.
   */
  readonly podMutators?: readonly PodMutator[] | undefined;
  /**
   * The manager's SidecarSet cache: given, pods get SidecarSet injection from it and SidecarSet
   * validation reads it; absent, no injection and validation lists through `client` on each request.
   */
  readonly sidecarSets?: SidecarSetSource | undefined;
  /**
   * Feature gates the webhooks read: SidecarSet validation SidecarSetPatchPodMetadataDefaultsAllowed;
   * CloneSet and Advanced StatefulSet defaulting TemplateNoDefaults and
   * DefaultHostNetworkHostPortsInPodTemplates; Advanced StatefulSet defaulting
   * StatefulSetAutoDeletePVC (on when absent, as in OpenKruise) and StatefulSetAutoResizePVCGate.
   */
  readonly featureGates?: WebhookFeatureGates | undefined;
  /** The time PodUnavailableBudget records carry (default the system clock). */
  readonly clock?: Clock | undefined;
  /**
   * What the pod and deletion-protection webhooks read per request: PodUnavailableBudgets and
   * their workloads, evicted pods, PersistentPodStates, a namespace's pods and PVCs,
   * WorkloadSpreads and their workloads (and the WorkloadSpread webhook's conflict list). The manager
   * gives its informer cache (`createCachedReader` over the controllers' informer factory), as
   * OpenKruise's webhooks read its cached client; default `client` (every read a request).
   * Writes (a budget's or a WorkloadSpread's status) and re-reads after a conflict always go to `client`.
   */
  readonly reader?: KubeReader | undefined;
  /**
   * The workload kinds whose pods the WorkloadSpread pod webhooks place and release by their
   * version's statuses (default `deployment`, `replicaset`; `--ws-enabled-versioned-status`).
   */
  readonly workloadSpreadVersionedKinds?: ReadonlySet<string> | undefined;
}

/**
 * Returns the registry of every webhook the manager serves: CloneSet defaulting
 * (`/mutate-apps-kruise-io-cloneset`) and validation (`/validate-apps-kruise-io-cloneset`), the pod
 * mutating webhook (`/mutate-pod`) with the given mutators, SidecarSet defaulting and validation
 * (`/mutate-apps-kruise-io-sidecarset`, `/validate-apps-kruise-io-sidecarset`), Advanced
 * StatefulSet defaulting and validation (`/mutate-apps-kruise-io-statefulset`,
 * `/validate-apps-kruise-io-statefulset`), AdvancedCronJob defaulting and validation
 * (`/mutate-apps-kruise-io-advancedcronjob`, `/validate-apps-kruise-io-advancedcronjob`), BroadcastJob defaulting,
 * validation and conversion (`/mutate-apps-kruise-io-broadcastjob`, `/validate-apps-kruise-io-broadcastjob`), Advanced DaemonSet defaulting and validation
 * (`/mutate-apps-kruise-io-daemonset`, `/validate-apps-kruise-io-daemonset`), and CloneSet,
 * SidecarSet, Advanced StatefulSet and Advanced DaemonSet conversion (`/convert`); UnitedDeployment
 * defaulting, validation and conversion the same way; ResourceDistribution validation
 * (`/validate-apps-kruise-io-v1alpha1-resourcedistribution`, refused while ResourceDistributionGate is off) and conversion;
 * PersistentPodState validation (`/validate-apps-kruise-io-v1alpha1-persistentpodstate`) and conversion.
 * NodeImage, ImagePullJob and ImageListPullJob defaulting and validation (`/mutate-apps-kruise-io-v1alpha1-nodeimage`,
 * `/validate-apps-kruise-io-v1alpha1-imagepulljob`...; validation refused while KruiseDaemon, or ImagePullJobGate for the jobs, is off).
 * WorkloadSpread validation (`/validate-apps-kruise-io-v1alpha1-workloadspread`), and under the
 * WorkloadSpread gate its pod mutator (subset at creation) and pod validator (slot released at deletion).
 * PodUnavailableBudgets: validation (`/validate-policy-kruise-io-podunavailablebudget`), conversion,
 * and the pod validating webhook (`/validate-pod`) enforcing them on pod delete, eviction, in-place
 * update and resize.
 * Deletion protection (`/validate-deletion-protection`) of objects labelled `policy.kruise.io/delete-protection`.
 * Add more with `.admission(...)` / `.conversion(...)` on the result.
 */
export function createBuiltinWebhooks(options: BuiltinWebhooksOptions): WebhookRegistry {
  const { client } = options;
  const reader = options.reader ?? client;
  const pubGatesOff = options.featureGates?.PodUnavailableBudgetDeleteGate === false && options.featureGates.PodUnavailableBudgetUpdateGate !== true;
  const clock = options.clock ?? systemClock();
  const spread = options.featureGates?.WorkloadSpread !== false;
  const sidecarSets = options.sidecarSets ?? clientSidecarSetSource(client, options.managerNamespace);
  // The pod mutators in OpenKruise's order: SidecarSet injection (given a SidecarSet cache), then launch priority (so injected
  // sidecars are ordered too), PersistentPodState, then PUB's related-pub annotation and the
  // WorkloadSpread subset (when a PUB gate / the WorkloadSpread gate is on).
  const podMutators: PodMutator[] = [
    ...(options.sidecarSets === undefined ? [] : [createSidecarSetPodMutator({ source: options.sidecarSets, clock, featureGates: options.featureGates })]),
    launchPriorityPodMutator(),
    createPersistentPodStatePodMutator({ source: clientPersistentPodStateSource(reader) }),
    ...(options.podMutators ?? []),
    ...(pubGatesOff ? [] : [pubPodMutator({ client: reader })]),
    ...(spread ? [workloadSpreadPodMutator({ client, reader, clock, versionedKinds: options.workloadSpreadVersionedKinds })] : []),
  ];
  const registry = createWebhookRegistry()
    .admission(cloneSetMutatingWebhook({ featureGates: options.featureGates }))
    .admission(
      createPodMutatingWebhook({
        failurePolicy: options.podFailurePolicy,
        managerNamespace: options.managerNamespace,
        mutators: podMutators,
      }),
    )
    .admission(sidecarSetMutatingWebhook())
    .admission(statefulSetMutatingWebhook({ featureGates: options.featureGates }))
    .admission(advancedCronJobMutatingWebhook({ featureGates: options.featureGates }))
    .admission(broadcastJobMutatingWebhook({ featureGates: options.featureGates }))
    .admission(daemonSetMutatingWebhook())
    .admission(unitedDeploymentMutatingWebhook())
    .admission(deletionProtectionWebhook({ client, reader, featureGates: options.featureGates }))
    .admission(podUnavailableBudgetValidatingWebhook({ client }))
    .admission(
      createPodValidatingWebhook({
        failurePolicy: options.podFailurePolicy,
        managerNamespace: options.managerNamespace,
        // OpenKruise releases a WorkloadSpread slot only once the budget let the deletion through.
        validators: [pubPodValidator({ client, reader, clock, featureGates: options.featureGates }), ...(spread ? [workloadSpreadPodValidator({ client, reader, clock, versionedKinds: options.workloadSpreadVersionedKinds })] : [])],
      }),
    )
    .admission(
      cloneSetValidatingWebhook({
        lookupPod: async (namespace, name, signal) => {
          try {
            return await client.get(Resources.Pod, { namespace, name }, { signal });
          } catch (error) {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          }
        },
      }),
    )
    .admission(
      sidecarSetValidatingWebhook({
        source: sidecarSets,
        readPatchMetadataWhitelist: configMapPatchMetadataWhitelist(client, options.managerNamespace),
        featureGates: options.featureGates,
      }),
    )
    .admission(statefulSetValidatingWebhook())
    .admission(advancedCronJobValidatingWebhook())
    .admission(broadcastJobValidatingWebhook())
    .admission(ephemeralJobValidatingWebhook())
    .admission(daemonSetValidatingWebhook())
    .admission(unitedDeploymentValidatingWebhook())
    .admission(resourceDistributionValidatingWebhook({ featureGates: options.featureGates }))
    .admission(persistentPodStateValidatingWebhook({ source: clientPersistentPodStateSource(reader) }))
    .admission(workloadSpreadValidatingWebhook({ client: reader }))
    .conversion(podUnavailableBudgetConverter)
    .conversion(cloneSetConverter)
    .conversion(sidecarSetConverter)
    .conversion(statefulSetConverter)
    .conversion(advancedCronJobConverter)
    .conversion(broadcastJobConverter)
    .conversion(daemonSetConverter)
    .conversion(unitedDeploymentConverter)
    .conversion(resourceDistributionConverter)
    .conversion(persistentPodStateConverter)
    .conversion(workloadSpreadConverter);
  // Image pre-pull defaulting and validation, after the others (their order in the configurations).
  for (const webhook of imagePullAdmissionWebhooks({ featureGates: options.featureGates, clock })) registry.admission(webhook);
  // ContainerRecreateRequest defaulting from the pod and validation (refused while KruiseDaemon is off).
  registry.admission(crrMutatingWebhook({ client, kruiseDaemon: options.featureGates?.KruiseDaemon })).admission(crrValidatingWebhook({ kruiseDaemon: options.featureGates?.KruiseDaemon }));
  // PodProbeMarker validation (refused while PodProbeMarkerGate or KruiseDaemon is off).
  registry.admission(podProbeMarkerValidatingWebhook({ podProbeMarkerGate: options.featureGates?.PodProbeMarkerGate, kruiseDaemon: options.featureGates?.KruiseDaemon }));
  return registry;
}
