import { stringify } from 'yaml';
import { AdvancedCronJobSchema } from '../../packages/core/src/api/advancedCronJob.js';
import { AdvancedCronJobV1alpha1Schema } from '../../packages/core/src/api/advancedCronJobV1alpha1.js';
import { BroadcastJobSchema } from '../../packages/core/src/api/broadcastJob.js';
import { BroadcastJobV1alpha1Schema } from '../../packages/core/src/api/broadcastJobV1alpha1.js';
import { EphemeralJobSchema } from '../../packages/core/src/api/ephemeralJob.js';
import { ContainerRecreateRequestSchema } from '../../packages/core/src/api/containerRecreateRequest.js';
import { CloneSetSchema } from '../../packages/core/src/api/cloneSet.js';
import { CloneSetV1alpha1Schema } from '../../packages/core/src/api/cloneSetV1alpha1.js';
import { DaemonSetSchema } from '../../packages/core/src/api/daemonSet.js';
import { DaemonSetV1alpha1Schema } from '../../packages/core/src/api/daemonSetV1alpha1.js';
import { PersistentPodStateSchema } from '../../packages/core/src/api/persistentPodState.js';
import { WorkloadSpreadSchema } from '../../packages/core/src/api/workloadSpread.js';
import { WorkloadSpreadV1beta1Schema } from '../../packages/core/src/api/workloadSpreadV1beta1.js';
import { ImageListPullJobSchema } from '../../packages/core/src/api/imageListPullJob.js';
import { ImagePullJobSchema } from '../../packages/core/src/api/imagePullJob.js';
import { NodeImageSchema } from '../../packages/core/src/api/nodeImage.js';
import { NodePodProbeSchema, PodProbeMarkerSchema } from '../../packages/core/src/api/podProbeMarker.js';
import { ResourceDistributionSchema } from '../../packages/core/src/api/resourceDistribution.js';
import { ResourceDistributionV1alpha1Schema } from '../../packages/core/src/api/resourceDistributionV1alpha1.js';
import { PodUnavailableBudgetSchema } from '../../packages/core/src/api/podUnavailableBudget.js';
import { PodUnavailableBudgetV1alpha1Schema } from '../../packages/core/src/api/podUnavailableBudgetV1alpha1.js';
import { SidecarContainerSchema, SidecarSetSchema } from '../../packages/core/src/api/sidecarSet.js';
import { SidecarSetV1alpha1Schema } from '../../packages/core/src/api/sidecarSetV1alpha1.js';
import { StatefulSetSchema } from '../../packages/core/src/api/statefulSet.js';
import { StatefulSetV1alpha1Schema } from '../../packages/core/src/api/statefulSetV1alpha1.js';
import { UnitedDeploymentSchema } from '../../packages/core/src/api/unitedDeployment.js';
import { UnitedDeploymentV1alpha1Schema } from '../../packages/core/src/api/unitedDeploymentV1alpha1.js';
import { preservedUnknownFields, toStructuralSchema, withSchemaDefaults, type SchemaNode } from './structuralSchema.js';

/** A printer column of `kubectl get`, as in a CRD version. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'integer' | 'string' | 'date' | 'boolean';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
}

/** One served version of a kind: its zod schema, and how the apiserver exposes it. */
export interface CrdVersion {
  readonly name: string;
  /** The zod schema (zod is core's dependency, so only its `toJSONSchema` method is used here). */
  readonly schema: { toJSONSchema(params: { io: 'input'; unrepresentable: 'throw' }): unknown };
  readonly storage: boolean;
  readonly printerColumns: readonly PrinterColumn[];
  /** The scale subresource paths; absent when the kind has no scale subresource. */
  readonly scale?: { readonly specReplicasPath: string; readonly statusReplicasPath: string; readonly labelSelectorPath: string };
  /**
   * Schema defaults (`default:`) by dotted path through `properties`, for the fields OpenKruise's
   * Go types mark `+kubebuilder:default` (see `withSchemaDefaults`). None for CloneSet: the
   * OpenKruise CloneSet CRD we could read has no `default:`, and v1beta1's
   * `scaleStrategy.enablePVCReuse` is false as Go's zero value (an interim v1beta1 marked
   * `disablePVCReuse` `default=true`, a field the released API replaced). Its defaults are the
   * mutating webhook's.
   */
  readonly defaults?: ReadonlyMap<string, unknown>;
}

/** A custom resource kind to emit a CRD for. */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CrdVersion[];
  /** Dotted paths kept schemaless (`x-kubernetes-preserve-unknown-fields`), as OpenKruise's CRD does. */
  readonly preserveUnknownFields: ReadonlyMap<string, SchemaNode>;
}

const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

const int = (name: string, jsonPath: string, description: string): PrinterColumn => ({ name, type: 'integer', jsonPath, description });
const wide = (name: string, jsonPath: string, description: string): PrinterColumn => ({ name, type: 'string', priority: 1, jsonPath, description });

function cloneSetColumns(withUpdatedAvailable: boolean): PrinterColumn[] {
  return [
    int('DESIRED', '.spec.replicas', 'The desired number of pods.'),
    int('UPDATED', '.status.updatedReplicas', 'The number of pods updated.'),
    int('UPDATED_READY', '.status.updatedReadyReplicas', 'The number of pods updated and ready.'),
    ...(withUpdatedAvailable ? [int('UPDATED_AVAILABLE', '.status.updatedAvailableReplicas', 'The number of pods updated and available.')] : []),
    int('READY', '.status.readyReplicas', 'The number of pods ready.'),
    int('TOTAL', '.status.replicas', 'The number of currently all pods.'),
    { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
    wide('CONTAINERS', '.spec.template.spec.containers[*].name', 'The containers of currently cloneset.'),
    wide('IMAGES', '.spec.template.spec.containers[*].image', 'The images of currently cloneset.'),
    wide('SELECTOR', '.status.labelSelector', 'The selector of currently cloneset.'),
  ];
}

// CloneSet's and Advanced StatefulSet's scale subresource (kubectl scale, HPA).
const cloneSetScale = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' };

// The same in both versions (OpenKruise's v1alpha1 markers gained CONTAINERS and IMAGES too).
const statefulSetColumns: PrinterColumn[] = [
  int('DESIRED', '.spec.replicas', 'The desired number of pods.'),
  int('CURRENT', '.status.replicas', 'The number of currently all pods.'),
  int('UPDATED', '.status.updatedReplicas', 'The number of pods updated.'),
  int('READY', '.status.readyReplicas', 'The number of pods ready.'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
  wide('CONTAINERS', '.spec.template.spec.containers[*].name', 'The containers of currently advanced statefulset.'),
  wide('IMAGES', '.spec.template.spec.containers[*].image', 'The images of currently advanced statefulset.'),
];

// The same in both versions, OpenKruise's descriptions as they are (AVAILABLE's and the double
// space of CONTAINERS' included).
const daemonSetColumns: PrinterColumn[] = [
  int('DESIRED', '.status.desiredNumberScheduled', 'The desired number of pods.'),
  int('CURRENT', '.status.currentNumberScheduled', 'The current number of pods.'),
  int('READY', '.status.numberReady', 'The ready number of pods.'),
  int('UP-TO-DATE', '.status.updatedNumberScheduled', 'The updated number of pods.'),
  int('AVAILABLE', '.status.numberAvailable', 'The updated number of pods.'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
  wide('CONTAINERS', '.spec.template.spec.containers[*].name', 'The containers of currently  daemonset.'),
  wide('IMAGES', '.spec.template.spec.containers[*].image', 'The images of currently advanced daemonset.'),
];

// The same in both versions, OpenKruise's markers.
const unitedDeploymentColumns: PrinterColumn[] = [
  int('DESIRED', '.spec.replicas', 'The desired number of pods.'),
  int('CURRENT', '.status.replicas', 'The number of currently all pods.'),
  int('UPDATED', '.status.updatedReplicas', 'The number of pods updated.'),
  int('READY', '.status.readyReplicas', 'The number of pods ready.'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// The child templates are schemaless in OpenKruise's CRD but for the Kruise specs' own fields.
const unitedDeploymentPreserved: ReadonlyMap<string, SchemaNode> = new Map([
  ['metadata', { type: 'object' }],
  ['spec.template.statefulSetTemplate', preservedUnknownFields('object')],
  ['spec.template.deploymentTemplate', preservedUnknownFields('object')],
  ['spec.template.cloneSetTemplate.metadata', preservedUnknownFields('object')],
  ['spec.template.cloneSetTemplate.spec.template', preservedUnknownFields('object')],
  ['spec.template.cloneSetTemplate.spec.volumeClaimTemplates', preservedUnknownFields('array')],
  ['spec.template.advancedStatefulSetTemplate.metadata', preservedUnknownFields('object')],
  ['spec.template.advancedStatefulSetTemplate.spec.template', preservedUnknownFields('object')],
  ['spec.template.advancedStatefulSetTemplate.spec.volumeClaimTemplates', preservedUnknownFields('array')],
  ['spec.topology.subsets[].patch', preservedUnknownFields('object')],
  // core/v1 types whose nullable lists the structural form cannot say; the webhook validates them.
  ['spec.topology.subsets[].nodeSelectorTerm', preservedUnknownFields('object')],
  ['spec.topology.subsets[].tolerations', preservedUnknownFields('array')],
]);

// The same in both versions, OpenKruise's markers (names and descriptions as they are).
const advancedCronJobColumns: PrinterColumn[] = [
  { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule', description: 'The schedule of advanced cron job.' },
  { name: 'Type', type: 'string', jsonPath: '.status.type', description: 'Type of cron job.' },
  { name: 'LastScheduleTime', type: 'date', jsonPath: '.status.lastScheduleTime', description: 'The last time at which job was scheduled.' },
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// The same in both versions, OpenKruise's markers (names and descriptions as they are).
const broadcastJobColumns: PrinterColumn[] = [
  int('Desired', '.status.desired', 'The desired number of pods. This is typically equal to the number of nodes satisfied to run pods.'),
  int('Active', '.status.active', 'The number of actively running pods.'),
  int('Succeeded', '.status.succeeded', 'The number of pods which reached phase Succeeded.'),
  int('Failed', '.status.failed', 'The number of pods which reached phase Failed.'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// OpenKruise's markers, the same in both versions (names and descriptions as they are).
const pubColumns: PrinterColumn[] = [
  int('Allowed', '.status.unavailableAllowed', 'UnavailableAllowed number of pod unavailable that are currently allowed'),
  int('Current', '.status.currentAvailable', 'CurrentAvailable current number of available pods'),
  int('Desired', '.status.desiredAvailable', 'DesiredAvailable minimum desired number of available pods'),
  int('Total', '.status.totalReplicas', 'TotalReplicas total number of pods counted by this budget'),
];

// The same in both versions, OpenKruise's markers (names and descriptions as they are).
const resourceDistributionColumns: PrinterColumn[] = [
  int('TOTAL', '.status.desired', 'The desired number of desired distribution and syncs.'),
  int('SUCCEED', '.status.succeeded', 'The number of successful distribution and syncs.'),
  int('FAILED', '.status.failed', 'The number of failed distributions and syncs.'),
];

// OpenKruise's markers (names and descriptions as they are).
const ephemeralJobColumns: PrinterColumn[] = [
  { name: 'STATUS', type: 'string', jsonPath: '.status.phase', description: 'The status of ephemeral job' },
  int('MATCH', '.status.match', 'Number of ephemeral container matched by this job'),
  int('SUCCEED', '.status.succeeded', 'Number of succeed ephemeral containers'),
  int('FAILED', '.status.failed', 'Number of failed ephemeral containers'),
  int('RUNNING', '.status.running', 'Number of running ephemeral containers'),
  int('WAITING', '.status.waiting', 'Number of waiting ephemeral containers'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// OpenKruise's WorkloadSpread markers.
const workloadSpreadColumns: PrinterColumn[] = [
  { name: 'WorkloadName', type: 'string', jsonPath: '.spec.targetRef.name' },
  { name: 'WorkloadKind', type: 'string', jsonPath: '.spec.targetRef.kind' },
  { name: 'Adaptive', type: 'boolean', jsonPath: '.spec.scheduleStrategy.type[?(@ == "Adaptive")]', description: 'Whether use the adaptive reschedule strategy' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

// OpenKruise's markers (names and descriptions as they are), the same in both versions.
const nodeImageColumns: PrinterColumn[] = [
  int('DESIRED', '.status.desired', 'Number of all images on this node'),
  int('PULLING', '.status.pulling', 'Number of image pull task active'),
  int('SUCCEED', '.status.succeeded', 'Number of image pull task succeeded'),
  int('FAILED', '.status.failed', 'Number of image pull tasks failed'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// OpenKruise's markers: v1alpha1 has a MESSAGE column that v1beta1 dropped.
function imagePullJobColumns(withMessage: boolean): PrinterColumn[] {
  return [
    int('TOTAL', '.status.desired', 'Number of all nodes matched by this job'),
    int('ACTIVE', '.status.active', 'Number of image pull task active'),
    int('SUCCEED', '.status.succeeded', 'Number of image pull task succeeded'),
    int('FAILED', '.status.failed', 'Number of image pull tasks failed'),
    { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: withMessage ? AGE_DESCRIPTION : 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
    ...(withMessage ? [{ name: 'MESSAGE', type: 'string' as const, jsonPath: '.status.message', description: 'Summary of status when job is failed' }] : []),
  ];
}

// OpenKruise's markers (names and descriptions as they are).
const imageListPullJobColumns: PrinterColumn[] = [
  int('TOTAL', '.status.desired', 'Number of image pull job'),
  int('SUCCEEDED', '.status.succeeded', 'Number of image pull job succeeded'),
  int('COMPLETED', '.status.completed', 'Number of ImagePullJobs which are finished'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// OpenKruise's markers (names and descriptions as they are, NODE's description included).
const containerRecreateRequestColumns: PrinterColumn[] = [
  { name: 'PHASE', type: 'string', jsonPath: '.status.phase', description: 'Phase of this ContainerRecreateRequest.' },
  { name: 'POD', type: 'string', jsonPath: '.spec.podName', description: 'Pod name of this ContainerRecreateRequest.' },
  { name: 'NODE', type: 'string', jsonPath: '.metadata.labels.crr\\.apps\\.kruise\\.io/node-name', description: 'Pod name of this ContainerRecreateRequest.' },
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

const sidecarSetColumns: PrinterColumn[] = [
  int('MATCHED', '.status.matchedPods', 'The number of pods matched.'),
  int('UPDATED', '.status.updatedPods', 'The number of pods matched and updated.'),
  int('READY', '.status.readyPods', 'The number of pods matched and ready.'),
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESCRIPTION },
];

// Sidecar containers are Kubernetes containers kept schemaless (as OpenKruise's CRD does, so no
// container field is pruned), with the SidecarSet-only fields typed.
const sidecarContainers: SchemaNode = {
  type: 'array',
  items: {
    ...toStructuralSchema(
      SidecarContainerSchema.pick({
        podInjectPolicy: true,
        upgradeStrategy: true,
        shareVolumePolicy: true,
        shareVolumeDevicePolicy: true,
        transferEnv: true,
        resourcesPolicy: true,
      }).toJSONSchema({ io: 'input', unrepresentable: 'throw' }),
    ),
    'x-kubernetes-preserve-unknown-fields': true,
  },
};

/** Every kind defined so far, with OpenKruise's names, short names and printer columns. */
export const CRD_KINDS: readonly CrdKind[] = [
  {
    group: 'apps.kruise.io',
    kind: 'CloneSet',
    plural: 'clonesets',
    singular: 'cloneset',
    shortNames: ['clone'],
    scope: 'Namespaced',
    versions: [
      // OpenKruise's v1alpha1 markers have no UPDATED_AVAILABLE column; its v1beta1 markers do.
      { name: 'v1alpha1', schema: CloneSetV1alpha1Schema, storage: false, printerColumns: cloneSetColumns(false), scale: cloneSetScale },
      { name: 'v1beta1', schema: CloneSetSchema, storage: true, printerColumns: cloneSetColumns(true), scale: cloneSetScale },
    ],
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template', preservedUnknownFields('object')],
      ['spec.volumeClaimTemplates', preservedUnknownFields('array')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'SidecarSet',
    plural: 'sidecarsets',
    singular: 'sidecarset',
    shortNames: [],
    scope: 'Cluster',
    versions: [
      { name: 'v1alpha1', schema: SidecarSetV1alpha1Schema, storage: false, printerColumns: sidecarSetColumns },
      { name: 'v1beta1', schema: SidecarSetSchema, storage: true, printerColumns: sidecarSetColumns },
    ],
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.containers', sidecarContainers],
      ['spec.initContainers', sidecarContainers],
      ['spec.volumes', preservedUnknownFields('array')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    singular: 'statefulset',
    shortNames: ['sts', 'asts'],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: StatefulSetV1alpha1Schema, storage: false, printerColumns: statefulSetColumns, scale: cloneSetScale },
      { name: 'v1beta1', schema: StatefulSetSchema, storage: true, printerColumns: statefulSetColumns, scale: cloneSetScale },
    ],
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template', preservedUnknownFields('object')],
      ['spec.volumeClaimTemplates', preservedUnknownFields('array')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'AdvancedCronJob',
    plural: 'advancedcronjobs',
    singular: 'advancedcronjob',
    shortNames: ['acj'],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: AdvancedCronJobV1alpha1Schema, storage: false, printerColumns: advancedCronJobColumns },
      { name: 'v1beta1', schema: AdvancedCronJobSchema, storage: true, printerColumns: advancedCronJobColumns },
    ],
    // The job template and the BroadcastJob's pod template are schemaless in OpenKruise's CRD.
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template.jobTemplate', preservedUnknownFields('object')],
      ['spec.template.broadcastJobTemplate.metadata', preservedUnknownFields('object')],
      ['spec.template.broadcastJobTemplate.spec.template', preservedUnknownFields('object')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'BroadcastJob',
    plural: 'broadcastjobs',
    singular: 'broadcastjob',
    shortNames: ['bcj'],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: BroadcastJobV1alpha1Schema, storage: false, printerColumns: broadcastJobColumns },
      { name: 'v1beta1', schema: BroadcastJobSchema, storage: true, printerColumns: broadcastJobColumns },
    ],
    // The pod template is schemaless in OpenKruise's CRD.
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template', preservedUnknownFields('object')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'PersistentPodState',
    plural: 'persistentpodstates',
    singular: 'persistentpodstate',
    shortNames: [],
    scope: 'Namespaced',
    // OpenKruise's markers have no printer columns.
    versions: [
      { name: 'v1alpha1', schema: PersistentPodStateSchema, storage: false, printerColumns: [] },
      { name: 'v1beta1', schema: PersistentPodStateSchema, storage: true, printerColumns: [] },
    ],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'ResourceDistribution',
    plural: 'resourcedistributions',
    singular: 'resourcedistribution',
    shortNames: ['distributor'],
    scope: 'Cluster',
    versions: [
      { name: 'v1alpha1', schema: ResourceDistributionV1alpha1Schema, storage: false, printerColumns: resourceDistributionColumns },
      { name: 'v1beta1', schema: ResourceDistributionSchema, storage: true, printerColumns: resourceDistributionColumns },
    ],
    // The resource is a whole manifest (`+kubebuilder:validation:EmbeddedResource`, unknown fields kept).
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.resource', { ...preservedUnknownFields('object'), 'x-kubernetes-embedded-resource': true }],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'EphemeralJob',
    plural: 'ephemeraljobs',
    singular: 'ephemeraljob',
    shortNames: ['ejob'],
    scope: 'Namespaced',
    // v1alpha1 only, as in OpenKruise.
    versions: [{ name: 'v1alpha1', schema: EphemeralJobSchema, storage: true, printerColumns: ephemeralJobColumns }],
    // The ephemeral containers are schemaless in OpenKruise's CRD.
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template.ephemeralContainers', preservedUnknownFields('array')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'WorkloadSpread',
    plural: 'workloadspreads',
    singular: 'workloadspread',
    shortNames: ['ws'],
    scope: 'Namespaced',
    // v1beta1 stored, v1alpha1 served through the conversion webhook, as OpenKruise.
    versions: [
      { name: 'v1alpha1', schema: WorkloadSpreadSchema, storage: false, printerColumns: workloadSpreadColumns },
      { name: 'v1beta1', schema: WorkloadSpreadV1beta1Schema, storage: true, printerColumns: workloadSpreadColumns },
    ],
    // A subset's patch is a pod fragment, schemaless in OpenKruise's CRD.
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.subsets[].patch', preservedUnknownFields('object')],
      // core/v1 types whose nullable lists the structural form cannot say; the webhook validates them.
      ['spec.subsets[].requiredNodeSelectorTerm', preservedUnknownFields('object')],
      ['spec.subsets[].preferredNodeSelectorTerms', preservedUnknownFields('array')],
      ['spec.subsets[].requiredNodeSelector', preservedUnknownFields('object')],
      ['spec.subsets[].preferredNodeSelector', preservedUnknownFields('array')],
      ['spec.subsets[].tolerations', preservedUnknownFields('array')],
    ]),
  },
  // OpenKruise's PodProbeMarker and NodePodProbe CRDs have no printer columns (v1alpha1 only).
  {
    group: 'apps.kruise.io',
    kind: 'PodProbeMarker',
    plural: 'podprobemarkers',
    singular: 'podprobemarker',
    shortNames: ['ppm'],
    scope: 'Namespaced',
    versions: [{ name: 'v1alpha1', schema: PodProbeMarkerSchema, storage: true, printerColumns: [] }],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'NodePodProbe',
    plural: 'nodepodprobes',
    singular: 'nodepodprobe',
    shortNames: [],
    scope: 'Cluster',
    versions: [{ name: 'v1alpha1', schema: NodePodProbeSchema, storage: true, printerColumns: [] }],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'NodeImage',
    plural: 'nodeimages',
    singular: 'nodeimage',
    shortNames: [],
    scope: 'Cluster',
    // The same fields in both versions (OpenKruise's conversion copies them).
    versions: [
      { name: 'v1alpha1', schema: NodeImageSchema, storage: false, printerColumns: nodeImageColumns },
      { name: 'v1beta1', schema: NodeImageSchema, storage: true, printerColumns: nodeImageColumns },
    ],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'ImagePullJob',
    plural: 'imagepulljobs',
    singular: 'imagepulljob',
    shortNames: [],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: ImagePullJobSchema, storage: false, printerColumns: imagePullJobColumns(true) },
      { name: 'v1beta1', schema: ImagePullJobSchema, storage: true, printerColumns: imagePullJobColumns(false) },
    ],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'ImageListPullJob',
    plural: 'imagelistpulljobs',
    singular: 'imagelistpulljob',
    shortNames: [],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: ImageListPullJobSchema, storage: false, printerColumns: imageListPullJobColumns },
      { name: 'v1beta1', schema: ImageListPullJobSchema, storage: true, printerColumns: imageListPullJobColumns },
    ],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'ContainerRecreateRequest',
    plural: 'containerrecreaterequests',
    singular: 'containerrecreaterequest',
    shortNames: ['crr'],
    scope: 'Namespaced',
    versions: [{ name: 'v1alpha1', schema: ContainerRecreateRequestSchema, storage: true, printerColumns: containerRecreateRequestColumns }],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['daemon', 'ads'],
    scope: 'Namespaced',
    // No scale subresource: a DaemonSet's size is its nodes.
    versions: [
      { name: 'v1alpha1', schema: DaemonSetV1alpha1Schema, storage: false, printerColumns: daemonSetColumns },
      { name: 'v1beta1', schema: DaemonSetSchema, storage: true, printerColumns: daemonSetColumns },
    ],
    preserveUnknownFields: new Map([
      ['metadata', { type: 'object' }],
      ['spec.template', preservedUnknownFields('object')],
    ]),
  },
  {
    group: 'apps.kruise.io',
    kind: 'UnitedDeployment',
    plural: 'uniteddeployments',
    singular: 'uniteddeployment',
    shortNames: ['ud'],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: UnitedDeploymentV1alpha1Schema, storage: false, printerColumns: unitedDeploymentColumns, scale: cloneSetScale },
      { name: 'v1beta1', schema: UnitedDeploymentSchema, storage: true, printerColumns: unitedDeploymentColumns, scale: cloneSetScale },
    ],
    preserveUnknownFields: unitedDeploymentPreserved,
  },
  {
    group: 'policy.kruise.io',
    kind: 'PodUnavailableBudget',
    plural: 'podunavailablebudgets',
    singular: 'podunavailablebudget',
    shortNames: ['pub'],
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', schema: PodUnavailableBudgetV1alpha1Schema, storage: false, printerColumns: pubColumns },
      { name: 'v1beta1', schema: PodUnavailableBudgetSchema, storage: true, printerColumns: pubColumns },
    ],
    preserveUnknownFields: new Map([['metadata', { type: 'object' }]]),
  },
];

function versionDocument(kind: CrdKind, version: CrdVersion): SchemaNode {
  const jsonSchema = version.schema.toJSONSchema({ io: 'input', unrepresentable: 'throw' }) as SchemaNode;
  return {
    name: version.name,
    served: true,
    storage: version.storage,
    additionalPrinterColumns: version.printerColumns,
    schema: { openAPIV3Schema: withSchemaDefaults(toStructuralSchema(jsonSchema, kind.preserveUnknownFields), version.defaults ?? new Map()) },
    subresources: { status: {}, ...(version.scale && { scale: version.scale }) },
  };
}

/** Returns the CustomResourceDefinition object of a kind (all versions served). */
export function crdDocument(kind: CrdKind): SchemaNode {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}` },
    spec: {
      group: kind.group,
      names: { kind: kind.kind, listKind: `${kind.kind}List`, plural: kind.plural, singular: kind.singular, ...(kind.shortNames.length > 0 && { shortNames: kind.shortNames }) },
      scope: kind.scope,
      // Conversion strategy None for now: the apiserver only rewrites apiVersion, so a v1alpha1
      // object's flat updateStrategy fields would be pruned. The conversion webhook
      // (convertCloneSet in @kruise-ts/core) is wired in a later issue.
      conversion: { strategy: 'None' },
      versions: kind.versions.map((version) => versionDocument(kind, version)),
    },
  };
}

const HEADER = '# Generated by scripts/crds/generateCrds.ts from the zod schemas of @kruise-ts/core. Do not edit.\n';

/** Returns the CRD files to write: file name under `deploy/crds/` → YAML text. */
export function renderCrdFiles(kinds: readonly CrdKind[] = CRD_KINDS): ReadonlyMap<string, string> {
  return new Map(kinds.map((kind) => [`${kind.group}_${kind.plural}.yaml`, HEADER + stringify(crdDocument(kind), { lineWidth: 0, aliasDuplicateObjects: false })]));
}
