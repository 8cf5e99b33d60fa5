import { z } from 'zod';
import { INPLACE_UPDATE_STATE_ANNOTATION, INPLACE_UPDATE_STATE_ANNOTATION_OLD } from '../api/labels.js';
import type { ObjectMeta } from '../api/objectMeta.js';
import { ResourceRequirementsSchema } from '../api/pod.js';
import { jsonMembers, parseAnnotationJson, sortedJson } from './annotationJson.js';
import { ContainerRefMetadataSchema } from './inPlaceUpdateSpec.js';

/** Schema of what OpenKruise records per container before changing it (`InPlaceUpdateContainerStatus`). */
export const InPlaceUpdateContainerStatusSchema = z.looseObject({
  imageID: z.string().optional(),
  resources: ResourceRequirementsSchema.optional(),
});
/** A container's `imageID` (and, for resizes, its reported cpu/memory) before the update. */
export type InPlaceUpdateContainerStatus = z.infer<typeof InPlaceUpdateContainerStatusSchema>;

/** Schema of one batch record: when a batch of containers was changed, and which ones. */
export const InPlaceUpdateContainerBatchSchema = z.looseObject({ timestamp: z.string(), containers: z.array(z.string()) });
/** A batch of containers changed together (launch priority), with its RFC 3339 time. */
export type InPlaceUpdateContainerBatch = z.infer<typeof InPlaceUpdateContainerBatchSchema>;

/**
 * Schema of the `apps.kruise.io/inplace-update-state` annotation, field for field OpenKruise's
 * `InPlaceUpdateState` (so a pod updated by one can be finished by the other). Unknown fields
 * (`verticalUpdateOnly` of some releases) are kept.
 */
export const InPlaceUpdateStateSchema = z.looseObject({
  /** Revision the pod is moving to. */
  revision: z.string(),
  /** RFC 3339 time the update started (grace periods count from it). */
  updateTimestamp: z.string().optional(),
  /** Container name → status before its change; completion compares against it. */
  lastContainerStatuses: z.record(z.string(), InPlaceUpdateContainerStatusSchema).optional(),
  /** The update sets env-from-metadata labels/annotations (completion waits for the daemon's hash). */
  updateEnvFromMetadata: z.boolean().optional(),
  /** The update changes images. */
  updateImages: z.boolean().optional(),
  /** The update changes cpu/memory. */
  updateResources: z.boolean().optional(),
  /** Images waiting for a later batch, by container. */
  nextContainerImages: z.record(z.string(), z.string()).optional(),
  /** Env-referenced labels/annotations waiting for a later batch, by container. */
  nextContainerRefMetadata: z.record(z.string(), ContainerRefMetadataSchema).optional(),
  /** Resources waiting for a later batch, by container. */
  nextContainerResources: z.record(z.string(), ResourceRequirementsSchema).optional(),
  /** Containers that must be Ready before the next batch starts. */
  preCheckBeforeNext: z.looseObject({ containersRequiredReady: z.array(z.string()).optional() }).optional(),
  /** Batches changed so far, oldest first. */
  containerBatchesRecord: z.array(InPlaceUpdateContainerBatchSchema).optional(),
});
/** The state of a pod's latest in-place update, as stored in its annotation. */
export type InPlaceUpdateState = z.infer<typeof InPlaceUpdateStateSchema>;

/** The outcome of reading a pod's in-place update state. */
export type InPlaceUpdateStateRead =
  | { readonly kind: 'parsed'; readonly state: InPlaceUpdateState }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

const FIELD_ORDER = [
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
] as const;

/** Fields Go writes even when empty; the others are `omitempty`. */
const ALWAYS_WRITTEN = new Set<string>(['revision', 'updateTimestamp', 'lastContainerStatuses']);

/**
 * Returns the state parsed from annotation text. Tolerant: Go's `null`s, unknown fields and
 * missing optional fields are accepted.
 *
 * @example parseInPlaceUpdateState('{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"sha256:1"}}}')
 *   // { kind: 'parsed', state: { revision: 'web-2', ..., lastContainerStatuses: { app: { imageID: 'sha256:1' } } } }
 */
export function parseInPlaceUpdateState(text: string): InPlaceUpdateStateRead {
  const parsed = parseAnnotationJson(text, InPlaceUpdateStateSchema);
  return parsed.kind === 'parsed' ? { kind: 'parsed', state: parsed.value } : parsed;
}

/**
 * Returns the annotation text of a state: OpenKruise's field order, map keys sorted, empty
 * optional fields (`false`, `{}`, `[]`) left out, unknown fields kept after the known ones.
 * Stable: equal states give equal text, and `parseInPlaceUpdateState` reads back the same state
 * (less the empty optional fields).
 *
 * @example serializeInPlaceUpdateState({ revision: 'web-2', updateTimestamp: '2024-05-01T10:00:00Z', lastContainerStatuses: {} })
 *   // '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{}}'
 */
export function serializeInPlaceUpdateState(state: InPlaceUpdateState): string {
  return stateTextWriter(state)(state.lastContainerStatuses ?? {});
}

/**
 * Returns a writer of the annotation text of `state` with other `lastContainerStatuses`: for
 * `statuses`, the text {@link serializeInPlaceUpdateState} writes for
 * `{ ...state, lastContainerStatuses: statuses }`. The other members are written once, so states
 * that differ only in what they record per pod (every pod of one batch) cost one small write each.
 *
 * @example stateTextWriter({ revision: 'web-2', updateTimestamp: '2024-05-01T10:00:00Z', updateImages: true })({ app: { imageID: 'sha256:1' } })
 *   // '{"revision":"web-2","updateTimestamp":"2024-05-01T10:00:00Z","lastContainerStatuses":{"app":{"imageID":"sha256:1"}},"updateImages":true}'
 */
export function stateTextWriter(state: InPlaceUpdateState): (statuses: Readonly<Record<string, InPlaceUpdateContainerStatus>>) => string {
  const members = stateMembers(state);
  const at = members.findIndex(([key]) => key === 'lastContainerStatuses');
  const before = jsonMembers(members.slice(0, at));
  const after = jsonMembers(members.slice(at + 1));
  const open = `{${before}${before === '' ? '' : ','}"lastContainerStatuses":`;
  const close = `${after === '' ? '' : ','}${after}}`;
  return (statuses) => `${open}${sortedJson(statuses)}${close}`;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set(FIELD_ORDER);

/** The members of the state's text in order: the known fields (empty optional ones `undefined`), then the unknown ones sorted. */
function stateMembers(state: InPlaceUpdateState): Array<readonly [string, unknown]> {
  const known = FIELD_ORDER.map((key) => [key, writtenValue(key, state[key])] as const);
  const extra = Object.keys(state)
    .filter((key) => !KNOWN_FIELDS.has(key))
    .sort()
    .map((key) => [key, state[key]] as const);
  return [...known, ...extra];
}

function writtenValue(key: string, value: unknown): unknown {
  if (ALWAYS_WRITTEN.has(key)) return value ?? (key === 'lastContainerStatuses' ? {} : value);
  if (value === false) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value : undefined;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0 ? value : undefined;
  return value;
}

/**
 * Returns the in-place update state recorded on a pod (new key first, then the pre-v1.0 key).
 * A pod updated in place keeps its state for good, and a pass reads it several times per pod
 * (grace, next batch, completion, availability): the read is remembered per annotations object
 * and text, so a pod object seen pass after pass is parsed once. The state returned is frozen:
 * it is shared by those reads.
 *
 * @example readInPlaceUpdateState(pod.metadata) // { kind: 'missing' } for a pod never updated in place
 */
export function readInPlaceUpdateState(metadata: Pick<ObjectMeta, 'annotations'>): InPlaceUpdateStateRead {
  const annotations = metadata.annotations;
  const text = annotations?.[INPLACE_UPDATE_STATE_ANNOTATION] ?? annotations?.[INPLACE_UPDATE_STATE_ANNOTATION_OLD];
  if (annotations === undefined || text === undefined) return MISSING;
  const known = stateReads.get(annotations);
  if (known?.text === text) return known.read;
  const read = deepFreeze(parseInPlaceUpdateState(text));
  stateReads.set(annotations, { text, read });
  return read;
}

const MISSING: InPlaceUpdateStateRead = Object.freeze({ kind: 'missing' });

/** The last state read from each annotations object, with the text it was read from (a changed text is read again). */
const stateReads = new WeakMap<object, { readonly text: string; readonly read: InPlaceUpdateStateRead }>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
