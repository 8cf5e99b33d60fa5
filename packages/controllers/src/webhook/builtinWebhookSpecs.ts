// The configuration of the manager's webhooks, as data (no handlers, no runtime imports): the
// manager registers handlers under these specs, and scripts/deploy renders deploy/ from them.
import type { AdmissionWebhookSpec } from './admissionTypes.js';
import { IMAGELISTPULLJOB_MUTATING_WEBHOOK, IMAGELISTPULLJOB_VALIDATING_WEBHOOK, IMAGEPULLJOB_MUTATING_WEBHOOK, IMAGEPULLJOB_VALIDATING_WEBHOOK, NODEIMAGE_MUTATING_WEBHOOK, NODEIMAGE_VALIDATING_WEBHOOK } from './imagepulljob/imagePullAdmission.js';
import { CRR_MUTATING_WEBHOOK, CRR_VALIDATING_WEBHOOK } from './containerrecreaterequest/containerRecreateRequestAdmission.js';
import { POD_PROBE_MARKER_VALIDATING_WEBHOOK } from './podprobemarker/podProbeMarkerAdmission.js';

const CLONESET_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['clonesets'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of CloneSets (OpenKruise `mcloneset.kb.io`): failurePolicy Fail, an undefaulted CloneSet is never stored. */
export const CLONESET_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'mcloneset.kb.io',
  path: '/mutate-apps-kruise-io-cloneset',
  type: 'mutating',
  rules: CLONESET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of CloneSets (OpenKruise `vcloneset.kb.io`): failurePolicy Fail, an invalid CloneSet is never stored. */
export const CLONESET_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vcloneset.kb.io',
  path: '/validate-apps-kruise-io-cloneset',
  type: 'validating',
  rules: CLONESET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const SIDECARSET_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['sidecarsets'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting and hash annotations of SidecarSets (OpenKruise `msidecarset.kb.io`): failurePolicy Fail. */
export const SIDECARSET_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'msidecarset.kb.io',
  path: '/mutate-apps-kruise-io-sidecarset',
  type: 'mutating',
  rules: SIDECARSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of SidecarSets, conflicts with other SidecarSets included (OpenKruise `vsidecarset.kb.io`): failurePolicy Fail. */
export const SIDECARSET_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vsidecarset.kb.io',
  path: '/validate-apps-kruise-io-sidecarset',
  type: 'validating',
  rules: SIDECARSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

// OpenKruise's markers also send DELETE to vstatefulset.kb.io, for its ResourcesDeletionProtection
// gate; kruise-ts has no deletion protection yet (as for CloneSet), so only CREATE and UPDATE.
const STATEFULSET_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['statefulsets'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of Advanced StatefulSets (OpenKruise `mstatefulset.kb.io`): failurePolicy Fail, an undefaulted set is never stored. */
export const STATEFULSET_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'mstatefulset.kb.io',
  path: '/mutate-apps-kruise-io-statefulset',
  type: 'mutating',
  rules: STATEFULSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of Advanced StatefulSets (OpenKruise `vstatefulset.kb.io`): failurePolicy Fail, an invalid set is never stored. */
export const STATEFULSET_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vstatefulset.kb.io',
  path: '/validate-apps-kruise-io-statefulset',
  type: 'validating',
  rules: STATEFULSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const DAEMONSET_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['daemonsets'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of Advanced DaemonSets (OpenKruise `mdaemonset.kb.io`): failurePolicy Fail, an undefaulted set is never stored. */
export const DAEMONSET_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'mdaemonset.kb.io',
  path: '/mutate-apps-kruise-io-daemonset',
  type: 'mutating',
  rules: DAEMONSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of Advanced DaemonSets (OpenKruise `vdaemonset.kb.io`): failurePolicy Fail, an invalid set is never stored. */
export const DAEMONSET_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vdaemonset.kb.io',
  path: '/validate-apps-kruise-io-daemonset',
  type: 'validating',
  rules: DAEMONSET_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const UNITEDDEPLOYMENT_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['uniteddeployments'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of UnitedDeployments (OpenKruise `muniteddeployment.kb.io`): failurePolicy Fail. */
export const UNITEDDEPLOYMENT_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'muniteddeployment.kb.io',
  path: '/mutate-apps-kruise-io-uniteddeployment',
  type: 'mutating',
  rules: UNITEDDEPLOYMENT_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of UnitedDeployments (OpenKruise `vuniteddeployment.kb.io`): failurePolicy Fail. */
export const UNITEDDEPLOYMENT_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vuniteddeployment.kb.io',
  path: '/validate-apps-kruise-io-uniteddeployment',
  type: 'validating',
  rules: UNITEDDEPLOYMENT_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const ADVANCEDCRONJOB_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['advancedcronjobs'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of AdvancedCronJobs (OpenKruise `madvancedcronjob.kb.io`): failurePolicy Fail, an undefaulted job is never stored. */
export const ADVANCEDCRONJOB_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'madvancedcronjob.kb.io',
  path: '/mutate-apps-kruise-io-advancedcronjob',
  type: 'mutating',
  rules: ADVANCEDCRONJOB_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of AdvancedCronJobs (OpenKruise `vadvancedcronjob.kb.io`): failurePolicy Fail, an invalid job is never stored. */
export const ADVANCEDCRONJOB_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vadvancedcronjob.kb.io',
  path: '/validate-apps-kruise-io-advancedcronjob',
  type: 'validating',
  rules: ADVANCEDCRONJOB_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const BROADCASTJOB_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['broadcastjobs'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Defaulting of BroadcastJobs (OpenKruise `mbroadcastjob.kb.io`): failurePolicy Fail, an undefaulted job is never stored. */
export const BROADCASTJOB_MUTATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'mbroadcastjob.kb.io',
  path: '/mutate-apps-kruise-io-broadcastjob',
  type: 'mutating',
  rules: BROADCASTJOB_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of BroadcastJobs (OpenKruise `vbroadcastjob.kb.io`): failurePolicy Fail, an invalid job is never stored. */
export const BROADCASTJOB_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vbroadcastjob.kb.io',
  path: '/validate-apps-kruise-io-broadcastjob',
  type: 'validating',
  rules: BROADCASTJOB_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const RESOURCEDISTRIBUTION_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['resourcedistributions'], operations: ['CREATE', 'UPDATE'] }] as const;

/**
 * Validation of ResourceDistributions (OpenKruise `vresourcedistribution.kb.io`; OpenKruise has no
 * mutating webhook for them): failurePolicy Fail. It refuses every one while the
 * ResourceDistributionGate gate is off.
 */
export const RESOURCEDISTRIBUTION_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vresourcedistribution.kb.io',
  path: '/validate-apps-kruise-io-v1alpha1-resourcedistribution',
  type: 'validating',
  rules: RESOURCEDISTRIBUTION_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const PERSISTENTPODSTATE_RULES = [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['persistentpodstates'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Validation of PersistentPodStates (OpenKruise `vpersistentpodstate.kb.io`): failurePolicy Fail. */
export const PERSISTENTPODSTATE_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vpersistentpodstate.kb.io',
  path: '/validate-apps-kruise-io-v1alpha1-persistentpodstate',
  type: 'validating',
  rules: PERSISTENTPODSTATE_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Validation of EphemeralJobs (OpenKruise `vephemeraljob.kb.io`, v1alpha1 only): failurePolicy Fail, an invalid job is never stored. */
export const EPHEMERALJOB_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vephemeraljob.kb.io',
  path: '/validate-apps-kruise-io-v1alpha1-ephemeraljob',
  type: 'validating',
  rules: [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1'], resources: ['ephemeraljobs'], operations: ['CREATE', 'UPDATE'] }],
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/** Label OpenKruise puts on its own namespace; namespaces carrying it are skipped by the pod webhook. */
export const CONTROL_PLANE_LABEL = 'control-plane';

/**
 * Returns the spec of the pod mutating webhook (OpenKruise `mpod.kb.io`, `/mutate-pod`, pod
 * CREATE), which SidecarSet injection and other pod mutators hang off. Pods in `kube-system`, in
 * the manager's namespace and in any namespace labelled `control-plane` are never sent, so the
 * manager can always start its own pods.
 *
 * failurePolicy is `Ignore` by default: while the manager is down or unreachable, pods in ordinary
 * namespaces are still created, but without what the webhook would add (no sidecars injected)
 * until they are recreated. `Fail` guarantees injection at the price of blocking every pod
 * creation in matching namespaces during an outage.
 */
export function podMutatingWebhookSpec(options: { readonly failurePolicy: 'Fail' | 'Ignore'; readonly managerNamespace: string }): AdmissionWebhookSpec {
  const excluded = [...new Set(['kube-system', options.managerNamespace])];
  return {
    name: 'mpod.kb.io',
    path: '/mutate-pod',
    type: 'mutating',
    rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] }],
    failurePolicy: options.failurePolicy,
    timeoutSeconds: 10,
    namespaceSelector: {
      matchExpressions: [
        { key: CONTROL_PLANE_LABEL, operator: 'DoesNotExist' },
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded },
      ],
    },
  };
}

const DELETION_PROTECTION_RULES = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces', 'services'], operations: ['DELETE'] },
  { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], resources: ['ingresses'], operations: ['DELETE'] },
  { apiGroups: ['apiextensions.k8s.io'], apiVersions: ['v1'], resources: ['customresourcedefinitions'], operations: ['DELETE'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'replicasets', 'statefulsets'], operations: ['DELETE'] },
  { apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['clonesets', 'statefulsets', 'daemonsets', 'uniteddeployments'], operations: ['DELETE'] },
] as const;

/**
 * Deletion protection (OpenKruise's ResourcesDeletionProtection handlers, spread there over the
 * webhooks of each kind; one webhook here): DELETE of Namespaces, Services, Ingresses, CRDs,
 * Deployments, ReplicaSets, StatefulSets and the Kruise workloads, sent only for objects labelled
 * `policy.kruise.io/delete-protection` (objectSelector), so no other delete ever waits on it.
 * failurePolicy Fail: a protected object is not deleted while the manager is down.
 */
export const DELETION_PROTECTION_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vdeletionprotection.kb.io',
  path: '/validate-deletion-protection',
  type: 'validating',
  rules: DELETION_PROTECTION_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
  objectSelector: { matchExpressions: [{ key: 'policy.kruise.io/delete-protection', operator: 'Exists' }] },
};

/** Validation of WorkloadSpreads, one per workload (OpenKruise `vworkloadspread.kb.io`, v1alpha1 as served): failurePolicy Fail. */
export const WORKLOADSPREAD_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vworkloadspread.kb.io',
  path: '/validate-apps-kruise-io-v1alpha1-workloadspread',
  type: 'validating',
  rules: [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1'], resources: ['workloadspreads'], operations: ['CREATE', 'UPDATE'] }],
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

const PUB_RULES = [{ apiGroups: ['policy.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: ['podunavailablebudgets'], operations: ['CREATE', 'UPDATE'] }] as const;

/** Validation of PodUnavailableBudgets, conflicts with the other budgets of the namespace included (OpenKruise `vpodunavailablebudget.kb.io`): failurePolicy Fail. */
export const PUB_VALIDATING_WEBHOOK: AdmissionWebhookSpec = {
  name: 'vpodunavailablebudget.kb.io',
  path: '/validate-policy-kruise-io-podunavailablebudget',
  type: 'validating',
  rules: PUB_RULES,
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
};

/**
 * Returns the spec of the pod validating webhook (OpenKruise `vpod.kb.io` and `vpodeviction.kb.io`
 * at `/validate-pod`, one webhook here): pod UPDATE and DELETE, `pods/eviction` CREATE and
 * `pods/resize` UPDATE, in the namespaces the pod mutating webhook serves. OpenKruise's
 * failurePolicy is Fail; kruise-ts takes the pod webhook's (`Ignore` by default), so that a manager
 * outage never blocks deleting pods (budgets are then not enforced until it is back).
 */
export function podValidatingWebhookSpec(options: { readonly failurePolicy: 'Fail' | 'Ignore'; readonly managerNamespace: string }): AdmissionWebhookSpec {
  const mutating = podMutatingWebhookSpec(options);
  return {
    name: 'vpod.kb.io',
    path: '/validate-pod',
    type: 'validating',
    rules: [
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['UPDATE', 'DELETE'] },
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods/eviction'], operations: ['CREATE'] },
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods/resize'], operations: ['UPDATE'] },
    ],
    failurePolicy: options.failurePolicy,
    timeoutSeconds: 10,
    ...(mutating.namespaceSelector === undefined ? {} : { namespaceSelector: mutating.namespaceSelector }),
  };
}

/** Returns the specs of every webhook the manager serves, in the order they are configured. */
export function builtinWebhookSpecs(options: { readonly podFailurePolicy: 'Fail' | 'Ignore'; readonly managerNamespace: string }): AdmissionWebhookSpec[] {
  return [
    CLONESET_MUTATING_WEBHOOK,
    podMutatingWebhookSpec({ failurePolicy: options.podFailurePolicy, managerNamespace: options.managerNamespace }),
    SIDECARSET_MUTATING_WEBHOOK,
    STATEFULSET_MUTATING_WEBHOOK,
    ADVANCEDCRONJOB_MUTATING_WEBHOOK,
    BROADCASTJOB_MUTATING_WEBHOOK,
    DAEMONSET_MUTATING_WEBHOOK,
    UNITEDDEPLOYMENT_MUTATING_WEBHOOK,
    DELETION_PROTECTION_VALIDATING_WEBHOOK,
    PUB_VALIDATING_WEBHOOK,
    podValidatingWebhookSpec({ failurePolicy: options.podFailurePolicy, managerNamespace: options.managerNamespace }),
    CLONESET_VALIDATING_WEBHOOK,
    SIDECARSET_VALIDATING_WEBHOOK,
    STATEFULSET_VALIDATING_WEBHOOK,
    ADVANCEDCRONJOB_VALIDATING_WEBHOOK,
    BROADCASTJOB_VALIDATING_WEBHOOK,
    EPHEMERALJOB_VALIDATING_WEBHOOK,
    DAEMONSET_VALIDATING_WEBHOOK,
    UNITEDDEPLOYMENT_VALIDATING_WEBHOOK,
    RESOURCEDISTRIBUTION_VALIDATING_WEBHOOK,
    PERSISTENTPODSTATE_VALIDATING_WEBHOOK,
    WORKLOADSPREAD_VALIDATING_WEBHOOK,
    NODEIMAGE_MUTATING_WEBHOOK,
    NODEIMAGE_VALIDATING_WEBHOOK,
    IMAGEPULLJOB_MUTATING_WEBHOOK,
    IMAGEPULLJOB_VALIDATING_WEBHOOK,
    IMAGELISTPULLJOB_MUTATING_WEBHOOK,
    IMAGELISTPULLJOB_VALIDATING_WEBHOOK,
    CRR_MUTATING_WEBHOOK,
    CRR_VALIDATING_WEBHOOK,
    POD_PROBE_MARKER_VALIDATING_WEBHOOK,
  ];
}
