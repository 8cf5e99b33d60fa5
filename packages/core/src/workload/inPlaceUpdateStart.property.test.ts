/**
 * The in-place update start writes exactly what it wrote before it was made fast. The pass that
 * starts a burst of in-place updates once built copies of each pod (lifecycle move, revision
 * labels, first batch) and diffed them back into a patch, serialising the state annotation
 * member by member; it now writes the patch from the metadata and the batch's containers, with
 * what one spec writes alike on every pod remembered. Below is a frozen copy of that first
 * implementation (commit df255e9), and properties that the effects, patches, pods and the
 * annotation text OpenKruise reads (`apps.kruise.io/inplace-update-state`) are byte-identical to
 * it; then that the pieces of the fast path (planInPlaceUpdateStartPatch, planInPlaceUpdateBatch,
 * batchContainerPatches) write what the slower path they stand for writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INPLACE_UPDATE_GRACE_ANNOTATION,
  INPLACE_UPDATE_GRACE_ANNOTATION_OLD,
  INPLACE_UPDATE_READY_CONDITION,
  INPLACE_UPDATE_STATE_ANNOTATION,
  INPLACE_UPDATE_STATE_ANNOTATION_OLD,
  LIFECYCLE_STATE_LABEL,
  LIFECYCLE_TIMESTAMP_ANNOTATION,
} from '../api/labels.js';
import type { Container, ContainerStatus, Pod, PodCondition, ResourceRequirements } from '../api/pod.js';
import type { LifecycleHook, LifecycleState } from '../api/pub.js';
import { applyInPlaceUpdateBatch, batchContainerPatches, planInPlaceUpdateBatch, type BatchStateTemplate } from '../inplace/applyInPlaceUpdateBatch.js';
import { jsonEqual } from '../inplace/diffJson.js';
import { diffPodForPatch, type PodPatch, type ResizePatch } from '../inplace/diffPodForPatch.js';
import { barrierEnv, updateSpec } from '../inplace/inplace.testkit.js';
import { hasInPlaceUpdateReadinessGate, isVerticalUpdateOnly } from '../inplace/inPlaceUpdateReadyCondition.js';
import { serializeInPlaceUpdateSpec, type InPlaceUpdateSpec } from '../inplace/inPlaceUpdateSpec.js';
import { serializeInPlaceUpdateState, type InPlaceUpdateContainerStatus, type InPlaceUpdateState } from '../inplace/inPlaceUpdateState.js';
import { defaultRevisionLabels, planInPlaceUpdatePatch, planInPlaceUpdateStartPatch, type PlanInPlaceUpdateStartPatchOptions } from '../inplace/planInPlaceUpdatePatch.js';
import { QOS_RESOURCES } from '../inplace/podQosClass.js';
import { selectContainerBatch } from '../inplace/selectContainerBatch.js';
import { applyFinalizersPatch, applyStringMapPatch, type MetadataPatch, type StringMapPatch } from '../inplace/stringMapPatch.js';
import { formatTime, type EpochMs } from '../shared/podState.js';
import { quantitiesEqual } from '../shared/quantity.js';
import { canonicalJson } from '../shared/revision.js';
import { at, T0 } from '../testing/index.js';
import { inPlaceUpdateStartEffects, type InPlaceEffectOptions, type InPlaceUpdateStart, type PodEffectSequence } from './inPlaceEffects.js';
import { applyLifecycleTransition, lifecycleConditionChanges, lifecycleTransition, type LifecycleTransition } from './lifecycle.js';
import { applyPodConditionChanges } from './podConditionChange.js';
import { podRef } from './podEffects.js';
import type { EffectEvents, WorkloadEffect } from './workloadEffect.js';

// Arbitraries: small pods and specs that meet on the keys that matter (the revision and lifecycle
// labels, the state and grace annotations, numeric keys that JavaScript objects order first,
// containers with launch priorities and env from metadata, resources, statuses with and without
// imageIDs), so that properties hit the interesting cases in a few hundred runs.

const LABEL_KEYS = ['app', 'version', 'a', '9', '10', 'x/y', 'lifecycle.apps.kruise.io/state', 'controller-revision-hash', 'pod-template-hash'] as const;
const ANNOTATION_KEYS = [
  ...LABEL_KEYS,
  'apps.kruise.io/inplace-update-state',
  'inplace-update-state',
  'apps.kruise.io/inplace-update-grace',
  'inplace-update-grace',
  'lifecycle.apps.kruise.io/timestamp',
] as const;
const VALUES = ['1', '2', 'v1', 'v2', '', 'web-2', 'Updating'] as const;
const CONTAINER_NAMES = ['main', 'sidecar', 'log', '9', '10'] as const;

const stringMap = (keys: readonly string[]): fc.Arbitrary<Record<string, string>> => fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...VALUES), { maxKeys: 5 });
const stringMapPatch = fc.dictionary(fc.constantFrom(...ANNOTATION_KEYS), fc.option(fc.constantFrom(...VALUES), { nil: null }), { maxKeys: 3 });
const finalizers = fc.array(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 });
const quantity = fc.constantFrom<string | number>('1', '2', '500m', '1Gi', '2Gi', 1);
const resourceList = fc.dictionary(fc.constantFrom('cpu', 'memory', 'ephemeral-storage'), quantity, { maxKeys: 2 });
const resources: fc.Arbitrary<ResourceRequirements> = fc.record({ limits: resourceList, requests: resourceList }, { requiredKeys: [] });

const container = (name: string): fc.Arbitrary<Container> =>
  fc
    .record({
      image: fc.constantFrom('nginx:1', 'nginx:2', 'busybox'),
      priority: fc.option(fc.integer({ min: -1, max: 2 }), { nil: undefined }),
      envFrom: fc.option(fc.constantFrom("metadata.labels['version']", "metadata.annotations['a']"), { nil: undefined }),
      resources: fc.option(resources, { nil: undefined }),
      restartOnCpu: fc.boolean(),
    })
    .map(({ image, priority, envFrom, resources: current, restartOnCpu }) => ({
      name,
      image,
      env: [...(priority === undefined ? [] : barrierEnv(priority)), ...(envFrom === undefined ? [] : [{ name: 'V', valueFrom: { fieldRef: { fieldPath: envFrom } } }])],
      ...(current === undefined ? {} : { resources: current }),
      ...(restartOnCpu ? { resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }] } : {}),
    }));

const condition: fc.Arbitrary<PodCondition> = fc.record(
  {
    type: fc.constantFrom('Ready', 'ContainersReady', 'InPlaceUpdateReady', 'KruisePodReady'),
    status: fc.constantFrom('True', 'False'),
    reason: fc.constantFrom('StartInPlaceUpdate', 'ReadinessGatesNotReady'),
    lastTransitionTime: fc.constantFrom('2025-01-01T00:00:00Z', '2024-12-31T23:00:00Z'),
  },
  { requiredKeys: ['type', 'status'] },
);

/**
 * Pods `web-0` with one to three uniquely named containers (names among `main`, `sidecar`, `log`,
 * `9`, `10`), any labels, annotations, finalizers, readiness gates, conditions and container statuses.
 */
const anyInPlacePod: fc.Arbitrary<Pod> = fc
  .record({
    containers: fc.uniqueArray(fc.constantFrom(...CONTAINER_NAMES), { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(...names.map(container))),
    labels: fc.option(stringMap(LABEL_KEYS), { nil: undefined }),
    annotations: fc.option(stringMap(ANNOTATION_KEYS), { nil: undefined }),
    finalizers: fc.option(finalizers, { nil: undefined }),
    gates: fc.option(fc.uniqueArray(fc.constantFrom('InPlaceUpdateReady', 'KruisePodReady'), { maxLength: 2 }), { nil: undefined }),
    conditions: fc.array(condition, { maxLength: 4 }),
    statuses: fc.array(fc.record({ name: fc.constantFrom(...CONTAINER_NAMES), imageID: fc.option(fc.constantFrom('', 'sha256:1', 'sha256:2'), { nil: undefined }) }), { maxLength: 4 }),
  })
  .map(({ containers, labels, annotations, finalizers: podFinalizers, gates, conditions, statuses }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'default',
      uid: 'uid-web-0',
      ...(labels === undefined ? {} : { labels }),
      ...(annotations === undefined ? {} : { annotations }),
      ...(podFinalizers === undefined ? {} : { finalizers: podFinalizers }),
    },
    spec: { containers, ...(gates === undefined ? {} : { readinessGates: gates.map((conditionType) => ({ conditionType })) }) },
    status: {
      conditions,
      containerStatuses: statuses.map(({ name, imageID }) => ({ name, image: 'nginx', ready: true, restartCount: 0, ...(imageID === undefined ? {} : { imageID }) })),
    },
  }));

const metadataPatch: fc.Arbitrary<MetadataPatch> = fc.record({ labels: stringMapPatch, annotations: stringMapPatch, finalizers, deleteFinalizers: finalizers }, { requiredKeys: [] });

/**
 * In-place update specs to `web-2`: images, resources, env-referenced metadata and a metadata
 * patch for some of the containers {@link anyInPlacePod} may have (and some it has not).
 */
const anyUpdateSpec: fc.Arbitrary<InPlaceUpdateSpec> = fc
  .record({
    containerImages: fc.dictionary(fc.constantFrom(...CONTAINER_NAMES), fc.constantFrom('nginx:1', 'nginx:2', 'envoy:3'), { maxKeys: 3 }),
    containerResources: fc.dictionary(fc.constantFrom(...CONTAINER_NAMES), resources, { maxKeys: 2 }),
    containerRefMetadata: fc.dictionary(fc.constantFrom(...CONTAINER_NAMES), fc.record({ labels: stringMap(LABEL_KEYS), annotations: stringMap(ANNOTATION_KEYS) }, { requiredKeys: [] }), { maxKeys: 2 }),
    metadataPatch: fc.option(metadataPatch, { nil: undefined }),
  })
  .map(({ metadataPatch: patch, ...changes }) =>
    updateSpec({ ...changes, ...(patch === undefined ? {} : { metadataPatch: patch }), updateEnvFromMetadata: Object.keys(changes.containerRefMetadata).length > 0 }),
  );

/** Labels, annotations and finalizers of another change made in the same write (a lifecycle move), or `undefined` for none. */
const anyMetadataChange: fc.Arbitrary<Pick<Pod['metadata'], 'labels' | 'annotations' | 'finalizers'> | undefined> = fc.option(
  fc.record({ labels: stringMap(LABEL_KEYS), annotations: stringMap(ANNOTATION_KEYS), finalizers }, { requiredKeys: [] }),
  { nil: undefined },
);

// ---- Frozen: the start of an in-place update as df255e9 wrote it (do not edit: it is the reference). ----

type Changes = Pick<InPlaceUpdateSpec, 'containerImages' | 'containerRefMetadata' | 'containerResources' | 'metadataPatch'>;
type FrozenBatch = { pod: Pod; state: InPlaceUpdateState; batch: readonly string[]; resizePatch?: ResizePatch };
type FrozenPlan = (FrozenBatch & { kind: 'apply-batch'; patch: PodPatch }) | { kind: 'park-in-grace'; pod: Pod; patch: PodPatch; state: InPlaceUpdateState; requeueAfterSeconds: number };

function frozenStartEffects(pod: Pod, start: InPlaceUpdateStart, options: InPlaceEffectOptions): PodEffectSequence {
  const { now } = options;
  const ref = podRef(pod);
  const failure = { type: 'Warning', reason: 'FailedUpdatePodInPlace', message: `failed to update pod ${start.pod} in-place(revision ${start.to})` } as const;
  const condition = frozenStartCondition(pod, start.spec, now, options.featureGates?.InPlaceWorkloadVerticalScaling);
  const changed = condition === undefined ? [] : condition.filter((c) => !(pod.status?.conditions ?? []).some((old) => jsonEqual(old, c)));
  const statusEffects: WorkloadEffect[] =
    changed.length > 0 ? [{ kind: 'patch-pod-status', target: ref, conditions: changed, changes: changed.map((c) => ({ kind: 'set', condition: c })), reason: 'in-place-update-started', events: { failure } }] : [];
  const moved = start.transition === undefined ? pod : frozenApplyLifecycleTransition(pod, start.transition, now);
  const plan = frozenPlanInPlaceUpdatePatch(moved, start.spec, {
    now,
    gracePeriodSeconds: start.gracePeriodSeconds,
    resizeSubresource: options.resizeSubresource,
    ...(options.revisionLabels === undefined ? {} : { revisionLabels: options.revisionLabels(start.to) }),
  });
  const patch = frozenDiffPodForPatch(pod, plan.pod);
  const events: EffectEvents = { success: { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: `successfully update pod ${start.pod} in-place(revision ${start.to})` }, failure };
  const resize = plan.kind === 'apply-batch' && plan.resizePatch !== undefined ? [{ kind: 'resize-pod' as const, target: ref, resize: plan.resizePatch, reason: 'in-place-update-started', events: { failure } }] : [];
  return {
    effects: [...statusEffects, { kind: 'patch-pod', target: ref, patch, reason: 'in-place-update-started', events }, ...resize],
    ...(plan.kind === 'park-in-grace' ? { requeueAfterMs: plan.requeueAfterSeconds * 1000 } : {}),
  };
}

/** planStartInPlaceUpdateCondition: the new conditions, `undefined` for skip. */
function frozenStartCondition(pod: Pod, spec: InPlaceUpdateSpec, now: EpochMs, gate: boolean | undefined): PodCondition[] | undefined {
  if (!hasInPlaceUpdateReadinessGate(pod)) return undefined;
  const verticalScaling = gate ?? Object.keys(spec.containerResources).length > 0;
  if (verticalScaling && isVerticalUpdateOnly(spec) && !frozenResizeRestartsContainer(pod, spec)) return undefined;
  const condition: PodCondition = { type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: formatTime(now) };
  const conditions = frozenSetCondition(pod.status?.conditions ?? [], condition);
  if (conditions === undefined) return undefined;
  return frozenWithReadyFromGates({ ...pod, status: { ...pod.status, conditions } }, now);
}

function frozenResizeRestartsContainer(pod: Pod, spec: InPlaceUpdateSpec): boolean {
  return Object.entries(spec.containerResources).some(([name, resources]) => {
    const container = pod.spec.containers.find((c) => c.name === name);
    const changed = QOS_RESOURCES.filter((name) => resources.limits?.[name] !== undefined || resources.requests?.[name] !== undefined);
    return (container?.resizePolicy ?? []).some((policy) => (changed as readonly string[]).includes(policy.resourceName) && policy.restartPolicy === 'RestartContainer');
  });
}

function frozenSetCondition(conditions: readonly PodCondition[], condition: PodCondition): PodCondition[] | undefined {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index < 0) return [...conditions, condition];
  if (conditions[index]?.status === condition.status) return undefined;
  return conditions.map((c, i) => (i === index ? condition : c));
}

function frozenWithReadyFromGates(pod: Pod, now: EpochMs): PodCondition[] {
  const conditions = pod.status?.conditions ?? [];
  const find = (type: string): PodCondition | undefined => conditions.find((c) => c.type === type);
  if (!find('Ready') || find('ContainersReady')?.status !== 'True') return [...conditions];
  const unready = (pod.spec.readinessGates ?? []).flatMap((gate) => {
    const status = find(gate.conditionType)?.status;
    if (status === undefined) return [`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`];
    return status === 'True' ? [] : [`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${status}`];
  });
  const ready: PodCondition =
    unready.length === 0
      ? { type: 'Ready', status: 'True', lastTransitionTime: formatTime(now) }
      : { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', '), lastTransitionTime: formatTime(now) };
  return frozenSetCondition(conditions, ready) ?? [...conditions];
}

function frozenApplyLifecycleTransition(pod: Pod, transition: LifecycleTransition, now: EpochMs): Pod {
  const hook = transition.restoreHook;
  const finalizers = [...(pod.metadata.finalizers ?? []), ...(hook?.finalizersHandler ?? [])];
  const next: Pod = {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { ...pod.metadata.labels, ...hook?.labelsHandler, [LIFECYCLE_STATE_LABEL]: transition.to },
      annotations: { ...pod.metadata.annotations, [LIFECYCLE_TIMESTAMP_ANNOTATION]: formatTime(now) },
      ...(finalizers.length > 0 ? { finalizers } : {}),
    },
  };
  return applyPodConditionChanges(next, lifecycleConditionChanges(transition), now);
}

interface FrozenPatchOptions {
  readonly now: EpochMs;
  readonly gracePeriodSeconds?: number;
  readonly resizeSubresource?: boolean;
  readonly revisionLabels?: Readonly<Record<string, string>>;
}

function frozenPlanInPlaceUpdatePatch(pod: Pod, spec: InPlaceUpdateSpec, options: FrozenPatchOptions): FrozenPlan {
  const state: InPlaceUpdateState = {
    revision: spec.revision,
    updateTimestamp: formatTime(options.now),
    lastContainerStatuses: {},
    ...(spec.updateEnvFromMetadata ? { updateEnvFromMetadata: true } : {}),
    ...(Object.keys(spec.containerImages).length > 0 ? { updateImages: true } : {}),
    ...(Object.keys(spec.containerResources).length > 0 ? { updateResources: true } : {}),
  };
  const labels = { ...pod.metadata.labels, ...(options.revisionLabels ?? defaultRevisionLabels(spec.revision)) };
  const stale: readonly string[] = [INPLACE_UPDATE_STATE_ANNOTATION_OLD, INPLACE_UPDATE_GRACE_ANNOTATION, INPLACE_UPDATE_GRACE_ANNOTATION_OLD];
  const annotations = Object.fromEntries(Object.entries(pod.metadata.annotations ?? {}).filter(([key]) => !stale.includes(key)));
  const grace = options.gracePeriodSeconds ?? 0;
  if (grace > 0) {
    annotations[INPLACE_UPDATE_GRACE_ANNOTATION] = serializeInPlaceUpdateSpec({ ...spec, graceSeconds: grace });
    annotations[INPLACE_UPDATE_STATE_ANNOTATION] = frozenSerializeState(state);
    const parked: Pod = { ...pod, metadata: { ...pod.metadata, labels, annotations } };
    return { kind: 'park-in-grace', pod: parked, patch: frozenDiffPodForPatch(pod, parked), state, requeueAfterSeconds: grace };
  }
  const result = frozenApplyInPlaceUpdateBatch({ ...pod, metadata: { ...pod.metadata, labels, annotations } }, spec, state, options);
  return { kind: 'apply-batch', ...result, patch: frozenDiffPodForPatch(pod, result.pod) };
}

function frozenApplyInPlaceUpdateBatch(pod: Pod, spec: Changes, state: InPlaceUpdateState, options: { now: EpochMs; resizeSubresource?: boolean }): FrozenBatch {
  const batch = selectContainerBatch(pod.spec.containers, spec);
  const inBatch = new Set(batch);
  const resize = options.resizeSubresource === true;
  const containers = pod.spec.containers.map((c) => (inBatch.has(c.name) ? frozenWithChanges(c, spec, resize) : c));
  let labels = applyStringMapPatch(pod.metadata.labels, spec.metadataPatch?.labels);
  let refAnnotations = applyStringMapPatch(pod.metadata.annotations, spec.metadataPatch?.annotations);
  for (const [name, ref] of Object.entries(spec.containerRefMetadata)) {
    if (!inBatch.has(name)) continue;
    labels = { ...labels, ...ref.labels };
    refAnnotations = { ...refAnnotations, ...ref.annotations };
  }
  const waiting = (name: string): boolean => !inBatch.has(name) && pod.spec.containers.some((c) => c.name === name);
  const pick = <T,>(map: Readonly<Record<string, T>>, keep: (name: string) => boolean): Record<string, T> => Object.fromEntries(Object.entries(map).filter(([name]) => keep(name)));
  const next = {
    nextContainerImages: pick(spec.containerImages, waiting),
    nextContainerRefMetadata: pick(spec.containerRefMetadata, (name) => !inBatch.has(name)),
    nextContainerResources: pick(spec.containerResources, waiting),
  };
  const pending = Object.values(next).some((map) => Object.keys(map).length > 0);
  const { preCheckBeforeNext: _previous, ...rest } = state;
  const newState: InPlaceUpdateState = {
    ...rest,
    lastContainerStatuses: frozenRecordStatuses(state.lastContainerStatuses, pod.status?.containerStatuses ?? [], spec, inBatch),
    ...next,
    ...(pending ? { preCheckBeforeNext: { containersRequiredReady: batch } } : {}),
    containerBatchesRecord: [...(state.containerBatchesRecord ?? []), { timestamp: formatTime(options.now), containers: batch }],
  };
  const annotations = { ...refAnnotations, [INPLACE_UPDATE_STATE_ANNOTATION]: frozenSerializeState(newState) };
  const finalizers = applyFinalizersPatch(pod.metadata.finalizers, spec.metadataPatch);
  const resizePatch = resize ? frozenBuildResizePatch(pod, batch, spec.containerResources) : undefined;
  const { finalizers: _dropped, ...metadata } = pod.metadata;
  return {
    pod: { ...pod, metadata: { ...metadata, labels, annotations, ...(finalizers.length > 0 ? { finalizers } : {}) }, spec: { ...pod.spec, containers } },
    state: newState,
    batch,
    ...(resizePatch ? { resizePatch } : {}),
  };
}

function frozenWithChanges(container: Container, spec: Changes, resize: boolean): Container {
  const image = spec.containerImages[container.name];
  const resources = resize ? undefined : spec.containerResources[container.name];
  const merged = (current: ResourceRequirements | undefined, changes: ResourceRequirements): ResourceRequirements => ({
    ...current,
    ...(changes.limits ? { limits: { ...current?.limits, ...changes.limits } } : {}),
    ...(changes.requests ? { requests: { ...current?.requests, ...changes.requests } } : {}),
  });
  return { ...container, ...(image === undefined ? {} : { image }), ...(resources === undefined ? {} : { resources: merged(container.resources, resources) }) };
}

function frozenRecordStatuses(
  previous: Readonly<Record<string, InPlaceUpdateContainerStatus>> | undefined,
  statuses: readonly ContainerStatus[],
  spec: Changes,
  inBatch: ReadonlySet<string>,
): Record<string, InPlaceUpdateContainerStatus> {
  const recorded: Record<string, InPlaceUpdateContainerStatus> = { ...previous };
  for (const status of statuses) {
    if (!inBatch.has(status.name) || !Object.hasOwn(spec.containerImages, status.name) || Object.hasOwn(recorded, status.name)) continue;
    recorded[status.name] = status.imageID === undefined || status.imageID === '' ? {} : { imageID: status.imageID };
  }
  return recorded;
}

type FrozenResourceList = NonNullable<ResourceRequirements['limits']>;

function frozenBuildResizePatch(pod: Pod, batch: readonly string[], resources: Readonly<Record<string, ResourceRequirements>>): ResizePatch | undefined {
  const changedValues = (current: FrozenResourceList | undefined, wanted: FrozenResourceList | undefined): Record<string, string | number> | undefined => {
    const entries = QOS_RESOURCES.flatMap((name) => {
      const value = wanted?.[name];
      const now = current?.[name];
      return value === undefined || (now !== undefined && quantitiesEqual(value, now)) ? [] : [[name, value] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  const containers = batch.flatMap((name) => {
    const current = pod.spec.containers.find((c) => c.name === name)?.resources;
    const changes = resources[name];
    const limits = changedValues(current?.limits, changes?.limits);
    const requests = changedValues(current?.requests, changes?.requests);
    if (limits === undefined && requests === undefined) return [];
    return [{ name, resources: { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } }];
  });
  return containers.length > 0 ? { spec: { containers } } : undefined;
}

const FROZEN_FIELD_ORDER: readonly string[] = [
  'revision',
  'updateTimestamp',
  'lastContainerStatuses',
  'updateEnvFromMetadata',
  'updateImages',
  'updateResources',
  'nextContainerImages',
  'nextContainerRefMetadata',
  'nextContainerResources',
  'preCheckBeforeNext',
  'containerBatchesRecord',
];

function frozenSerializeState(state: InPlaceUpdateState): string {
  const written = (key: string, value: unknown): unknown => {
    if (['revision', 'updateTimestamp', 'lastContainerStatuses'].includes(key)) return value ?? (key === 'lastContainerStatuses' ? {} : value);
    if (value === false) return undefined;
    if (Array.isArray(value)) return value.length > 0 ? value : undefined;
    if (value !== null && typeof value === 'object') return Object.keys(value).length > 0 ? value : undefined;
    return value;
  };
  const known = FROZEN_FIELD_ORDER.map((key) => [key, written(key, state[key])] as const);
  const extra = Object.keys(state)
    .filter((key) => !FROZEN_FIELD_ORDER.includes(key))
    .sort()
    .map((key) => [key, state[key]] as const);
  const parts = [...known, ...extra].filter(([, value]) => value !== undefined).map(([key, value]) => `${JSON.stringify(key)}:${canonicalJson(value)}`);
  return `{${parts.join(',')}}`;
}

function frozenDiffStringMap(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): StringMapPatch {
  const patch: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(after)) if (before[key] !== value) patch[key] = value;
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  return patch;
}

function frozenDiffPodForPatch(before: Pod, after: Pod): PodPatch {
  const labels = frozenDiffStringMap(before.metadata.labels, after.metadata.labels);
  const annotations = frozenDiffStringMap(before.metadata.annotations, after.metadata.annotations);
  const finalizers = (after.metadata.finalizers ?? []).filter((f) => !(before.metadata.finalizers ?? []).includes(f));
  const removed = (before.metadata.finalizers ?? []).filter((f) => !(after.metadata.finalizers ?? []).includes(f));
  const metadata = {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(finalizers.length > 0 ? { finalizers } : {}),
    ...(removed.length > 0 ? { '$deleteFromPrimitiveList/finalizers': removed } : {}),
  };
  const containers = after.spec.containers.flatMap((container) => {
    const old = before.spec.containers.find((c) => c.name === container.name);
    const image = container.image !== undefined && container.image !== old?.image ? { image: container.image } : {};
    const resources = container.resources && !jsonEqual(container.resources, old?.resources) ? { resources: container.resources } : {};
    return Object.keys(image).length + Object.keys(resources).length > 0 ? [{ name: container.name, ...image, ...resources }] : [];
  });
  return {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(containers.length > 0 ? { spec: { containers } } : {}),
  };
}

// ---- Properties ----

const hook: fc.Arbitrary<LifecycleHook> = fc.record(
  { labelsHandler: fc.dictionary(fc.constantFrom('blocked', 'app'), fc.constantFrom('yes', '')), finalizersHandler: fc.array(fc.constantFrom('f1', 'hook')), markPodNotReady: fc.boolean() },
  { requiredKeys: [] },
);
const move = fc.option(fc.record({ to: fc.constantFrom<LifecycleState>('Updating', 'PreparingUpdate', 'Updated'), markPodNotReady: fc.boolean(), hook: fc.option(hook, { nil: undefined }) }), { nil: undefined });
const startOptions = fc.record({
  now: fc.constantFrom(T0, at(1), at(0.5)),
  grace: fc.constantFrom(0, 0, 30),
  resizeSubresource: fc.boolean(),
  statefulSetLabels: fc.boolean(),
  verticalScaling: fc.option(fc.boolean(), { nil: undefined }),
});

describe('inPlaceUpdateStartEffects against the frozen first implementation', () => {
  it('gives the same effects, byte for byte, for pods sharing one spec object, any lifecycle move and options (property)', () => {
    fc.assert(
      fc.property(anyUpdateSpec, fc.array(fc.tuple(anyInPlacePod, move, startOptions), { minLength: 1, maxLength: 4 }), (spec, starts) => {
        // One spec object for every pod, as planners pass it: what is remembered for it must fit each pod and time.
        for (const [pod, lifecycle, { now, grace, resizeSubresource, statefulSetLabels, verticalScaling }] of starts) {
          const start: InPlaceUpdateStart = {
            pod: 'web-0',
            to: 'web-2',
            spec,
            gracePeriodSeconds: grace,
            transition: lifecycle === undefined ? undefined : lifecycleTransition(pod, lifecycle.to, 'in-place-update-started', lifecycle.markPodNotReady, lifecycle.hook),
          };
          const options: InPlaceEffectOptions = {
            now,
            resizeSubresource,
            ...(statefulSetLabels ? { revisionLabels: (revision: string) => ({ 'controller-revision-hash': revision }) } : {}),
            ...(verticalScaling === undefined ? {} : { featureGates: { InPlaceWorkloadVerticalScaling: verticalScaling } }),
          };
          expect(JSON.stringify(inPlaceUpdateStartEffects(pod, start, options))).toBe(JSON.stringify(frozenStartEffects(pod, start, options)));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the slower path against the frozen first implementation', () => {
  it('planInPlaceUpdatePatch writes the same pod, patch, state, batch and resize body (property)', () => {
    const options = fc.record({ now: fc.constantFrom(T0, at(1)), gracePeriodSeconds: fc.constantFrom(0, 0, 30), resizeSubresource: fc.boolean() });
    fc.assert(
      fc.property(anyInPlacePod, anyUpdateSpec, options, anyMetadataChange, (pod, spec, planOptions, change) => {
        const moved = change === undefined ? pod : { ...pod, metadata: { ...pod.metadata, ...change } };
        expect(JSON.stringify(planInPlaceUpdatePatch(moved, spec, planOptions))).toBe(JSON.stringify(frozenPlanInPlaceUpdatePatch(moved, spec, planOptions)));
      }),
      { numRuns: 500 },
    );
  });

  it('applyInPlaceUpdateBatch (the later batches and the end of a grace period) writes the same pod and state (property)', () => {
    const state = fc.constantFrom<InPlaceUpdateState>(
      { revision: 'web-2', updateTimestamp: '2025-01-01T00:00:00Z', lastContainerStatuses: {}, updateImages: true },
      { revision: 'web-2', lastContainerStatuses: { main: { imageID: 'first' } }, containerBatchesRecord: [{ timestamp: 'earlier', containers: ['log'] }], preCheckBeforeNext: { containersRequiredReady: ['log'] } },
    );
    fc.assert(
      fc.property(anyInPlacePod, anyUpdateSpec, state, fc.boolean(), (pod, spec, before, resizeSubresource) => {
        const options = { now: at(1), resizeSubresource };
        expect(JSON.stringify(applyInPlaceUpdateBatch(pod, spec, before, options))).toBe(JSON.stringify(frozenApplyInPlaceUpdateBatch(pod, spec, before, options)));
      }),
      { numRuns: 500 },
    );
  });

  it('the state annotation text is the same for any state: unknown and empty fields, numeric keys, any strings (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 6 });
    const extras = fc.dictionary(fc.constantFrom('verticalUpdateOnly', 'zeta', '10', '9', ''), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    const statuses = fc.dictionary(fc.oneof(text, fc.constantFrom('0', '7', '10', '07')), fc.record({ imageID: text, resources: fc.constant({ limits: { cpu: '1' } }) }, { requiredKeys: [] }), { maxKeys: 4 });
    fc.assert(
      fc.property(anyInPlacePod, anyUpdateSpec, text, statuses, extras, fc.boolean(), (pod, spec, revision, recorded, extra, sparse) => {
        const { state } = frozenApplyInPlaceUpdateBatch(pod, spec, { revision, lastContainerStatuses: recorded }, { now: T0 });
        const loose: InPlaceUpdateState = { ...state, ...extra, ...(sparse ? { updateImages: false, nextContainerImages: {}, containerBatchesRecord: [] } : {}) };
        expect(serializeInPlaceUpdateState(loose)).toBe(frozenSerializeState(loose));
      }),
      { numRuns: 300 },
    );
  });

  it('applyLifecycleTransition moves the pod as before (property)', () => {
    fc.assert(
      fc.property(anyInPlacePod, move, (pod, lifecycle) => {
        const transition = lifecycleTransition(pod, lifecycle?.to ?? 'Updating', 'in-place-update-started', lifecycle?.markPodNotReady ?? false, lifecycle?.hook);
        expect(JSON.stringify(applyLifecycleTransition(pod, transition, T0))).toBe(JSON.stringify(frozenApplyLifecycleTransition(pod, transition, T0)));
      }),
      { numRuns: 300 },
    );
  });
});

// ---- The pieces of the fast path against the slower path ----

describe('planInPlaceUpdateStartPatch against planInPlaceUpdatePatch and diffPodForPatch', () => {
  const options = fc.record({
    now: fc.constantFrom(T0, at(1), at(0.5)),
    gracePeriodSeconds: fc.constantFrom(0, 0, 30),
    resizeSubresource: fc.boolean(),
    revisionLabels: fc.option(fc.constant({ 'controller-revision-hash': 'web-2' }), { nil: undefined }),
  });
  // Pods of one spec: siblings of one pod (some of its containers, so the others' changes wait or
  // are not there; another pod's statuses), and unrelated pods; each with other metadata changes.
  const start = fc.record({ pod: anyInPlacePod, keep: fc.array(fc.boolean(), { maxLength: 3 }), metadata: anyMetadataChange, options });

  it('writes what building the pod and diffing it back writes: same patch bytes, state, batch and resize, for pods sharing one spec object (property)', () => {
    fc.assert(
      fc.property(anyUpdateSpec, anyInPlacePod, fc.array(start, { minLength: 1, maxLength: 4 }), (update, first, starts) => {
        const pods = [...starts.map(({ pod, keep, ...rest }) => ({ ...rest, pod: sibling(first, pod, keep) })), ...starts];
        for (const { pod, metadata, options: { revisionLabels, ...rest } } of pods) {
          const planOptions = { ...rest, ...(revisionLabels === undefined ? {} : { revisionLabels }) };
          const reference = planInPlaceUpdatePatch(withMetadata(pod, metadata), update, planOptions);
          const plan = planInPlaceUpdateStartPatch(pod, update, { ...planOptions, ...(metadata === undefined ? {} : { metadata }) });
          expect(JSON.stringify(plan.patch)).toBe(JSON.stringify(diffPodForPatch(pod, reference.pod)));
          const { pod: _pod, patch: _patch, ...referenceRest } = reference;
          const { patch: _own, ...planRest } = plan;
          expect(planRest).toEqual(referenceRest);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** `pod` with `other`'s status and only the containers `keep` does not drop (at least one). */
function sibling(pod: Pod, other: Pod, keep: readonly boolean[]): Pod {
  const containers = pod.spec.containers.filter((_, i) => keep[i] !== false);
  return { ...pod, spec: { ...pod.spec, containers: containers.length > 0 ? containers : pod.spec.containers }, status: other.status };
}

/** `pod` with its labels, annotations and finalizers replaced by `metadata`'s (what the `metadata` option of planInPlaceUpdateStartPatch stands for). */
function withMetadata(pod: Pod, metadata: PlanInPlaceUpdateStartPatchOptions['metadata']): Pod {
  if (metadata === undefined) return pod;
  const { labels: _labels, annotations: _annotations, finalizers: _finalizers, ...identity } = pod.metadata;
  return { ...pod, metadata: { ...identity, ...metadata } };
}

const fresh: InPlaceUpdateState = { revision: 'web-2', updateTimestamp: '2025-01-01T00:00:00Z', lastContainerStatuses: {}, updateImages: true };
const STATE = 'apps.kruise.io/inplace-update-state';

describe('planInPlaceUpdateBatch and batchContainerPatches against applyInPlaceUpdateBatch', () => {
  const earlier: InPlaceUpdateState = { ...fresh, lastContainerStatuses: { main: { imageID: 'first' } }, containerBatchesRecord: [{ timestamp: 'earlier', containers: ['log'] }] };

  it('plans what applyInPlaceUpdateBatch writes, with or without templates shared by the pods of one spec (property)', () => {
    fc.assert(
      fc.property(anyUpdateSpec, fc.array(anyInPlacePod, { minLength: 1, maxLength: 4 }), fc.constantFrom(fresh, earlier), fc.boolean(), fc.boolean(), (spec, pods, before, resizeSubresource, shared) => {
        const templates = shared ? new Map<string, BatchStateTemplate>() : undefined;
        for (const pod of pods) {
          const options = { now: at(1), resizeSubresource };
          const applied = applyInPlaceUpdateBatch(pod, spec, before, options);
          const plan = planInPlaceUpdateBatch(pod, pod.metadata, spec, before, options, templates);
          expect(plan.metadata.annotations[STATE]).toBe(applied.pod.metadata.annotations?.[STATE]);
          expect(plan.metadata).toEqual({ labels: applied.pod.metadata.labels, annotations: applied.pod.metadata.annotations, finalizers: applied.pod.metadata.finalizers ?? [] });
          expect({ state: plan.state, batch: plan.batch, resizePatch: plan.resizePatch }).toEqual({ state: applied.state, batch: applied.batch, resizePatch: applied.resizePatch });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the container entries of diffing the pod with the batch applied (property)', () => {
    fc.assert(
      fc.property(anyInPlacePod, anyUpdateSpec, fc.boolean(), (pod, changes, resizeSubresource) => {
        const applied = applyInPlaceUpdateBatch(pod, changes, fresh, { now: T0, resizeSubresource });
        const patches = batchContainerPatches(pod.spec.containers, changes, new Set(applied.batch), resizeSubresource);
        expect(patches).toEqual(diffPodForPatch(pod, applied.pod).spec?.containers ?? []);
      }),
      { numRuns: 300 },
    );
  });
});
