import { z } from 'zod';
import { ResourceRequirementsSchema, type ResourceRequirements } from '../api/pod.js';
import { parseAnnotationJson, stringifyInOrder, type AnnotationJsonResult } from './annotationJson.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { isEmptyMetadataPatch, type MetadataPatch } from './stringMapPatch.js';

const StringMapSchema = z.record(z.string(), z.string());

/** Schema of the labels/annotations an env-from-metadata container needs on its pod. */
export const ContainerRefMetadataSchema = z.looseObject({ labels: StringMapSchema.optional(), annotations: StringMapSchema.optional() });
/** The labels and annotations one container reads through env `fieldRef`s, with their new values. */
export type ContainerRefMetadata = z.infer<typeof ContainerRefMetadataSchema>;

/**
 * What an in-place update changes on a pod (OpenKruise's `UpdateSpec`). Container maps are keyed
 * by container name.
 */
export interface InPlaceUpdateSpec {
  /** The revision the pod moves to (written to its revision label and to the state). */
  readonly revision: string;
  /** New image per container. */
  readonly containerImages: Readonly<Record<string, string>>;
  /** Labels/annotations read by a container's env, per container: setting them restarts it. */
  readonly containerRefMetadata: Readonly<Record<string, ContainerRefMetadata>>;
  /** New cpu/memory requests and limits per container (only the changed entries). */
  readonly containerResources: Readonly<Record<string, ResourceRequirements>>;
  /** Other metadata changes of the template (labels, annotations, finalizers), applied to the pod as they are. */
  readonly metadataPatch?: MetadataPatch;
  /** True when `containerRefMetadata` is not empty: completion then waits for the daemon's env hash. */
  readonly updateEnvFromMetadata: boolean;
  /** Seconds between marking the pod not-ready and changing it; set only while parked. */
  readonly graceSeconds?: number;
}

const MetadataPatchMapSchema = z.record(z.string(), z.string().nullable());
const DELETE_FINALIZERS = '$deleteFromPrimitiveList/finalizers';
const MetaDataPatchBodySchema = z.looseObject({
  metadata: z
    .looseObject({
      labels: MetadataPatchMapSchema.optional(),
      annotations: MetadataPatchMapSchema.optional(),
      finalizers: z.array(z.string()).optional(),
      [DELETE_FINALIZERS]: z.array(z.string()).optional(),
    })
    .optional(),
});

const GraceSpecSchema = z.looseObject({
  revision: z.string(),
  containerImages: StringMapSchema.optional(),
  containerRefMetadata: z.record(z.string(), ContainerRefMetadataSchema).optional(),
  containerResources: z.record(z.string(), ResourceRequirementsSchema).optional(),
  metaDataPatch: z.string().optional(),
  updateEnvFromMetadata: z.boolean().optional(),
  graceSeconds: z.number().optional(),
});

const nonEmpty = <T extends object>(map: T): T | undefined => (Object.keys(map).length > 0 ? map : undefined);

/**
 * Returns the JSON OpenKruise parks in the `apps.kruise.io/inplace-update-grace` annotation for
 * `spec`: Go's field names, empty maps left out, `metaDataPatch` as the base64 of a
 * strategic-merge patch `{"metadata":{...}}` (Go writes `[]byte` as base64; dropped finalizers
 * as `$deleteFromPrimitiveList/finalizers`; no `$setElementOrder`, so added ones are appended).
 *
 * @example serializeInPlaceUpdateSpec({ revision: 'web-2', containerImages: { app: 'nginx:2' }, containerRefMetadata: {}, containerResources: {}, updateEnvFromMetadata: false, graceSeconds: 30 })
 *   // '{"revision":"web-2","containerImages":{"app":"nginx:2"},"graceSeconds":30}'
 */
export function serializeInPlaceUpdateSpec(spec: InPlaceUpdateSpec): string {
  const patch = isEmptyMetadataPatch(spec.metadataPatch) ? undefined : encodeBase64(stringifyInOrder([['metadata', metadataPatchBody(spec.metadataPatch)]]));
  return stringifyInOrder([
    ['revision', spec.revision],
    ['containerImages', nonEmpty(spec.containerImages)],
    ['containerRefMetadata', nonEmpty(spec.containerRefMetadata)],
    ['containerResources', nonEmpty(spec.containerResources)],
    ['metaDataPatch', patch],
    ['updateEnvFromMetadata', spec.updateEnvFromMetadata || undefined],
    ['graceSeconds', spec.graceSeconds === 0 ? undefined : spec.graceSeconds],
  ]);
}

/**
 * Returns the spec parked in an `apps.kruise.io/inplace-update-grace` annotation, whether kruise-ts
 * or OpenKruise wrote it, or why it cannot be read.
 *
 * @example parseInPlaceUpdateSpec('{"revision":"web-2","containerImages":{"app":"nginx:2"},"graceSeconds":30}')
 *   // { kind: 'parsed', value: { revision: 'web-2', containerImages: { app: 'nginx:2' }, ..., graceSeconds: 30 } }
 */
export function parseInPlaceUpdateSpec(text: string): AnnotationJsonResult<InPlaceUpdateSpec> {
  const parsed = parseAnnotationJson(text, GraceSpecSchema);
  if (parsed.kind === 'invalid') return parsed;
  const raw = parsed.value;
  const metadataPatch = raw.metaDataPatch === undefined ? undefined : decodeMetaDataPatch(raw.metaDataPatch);
  if (metadataPatch === null) return { kind: 'invalid', message: 'metaDataPatch: not base64 JSON of a metadata patch' };
  const spec: InPlaceUpdateSpec = {
    revision: raw.revision,
    containerImages: raw.containerImages ?? {},
    containerRefMetadata: raw.containerRefMetadata ?? {},
    containerResources: raw.containerResources ?? {},
    ...(metadataPatch === undefined ? {} : { metadataPatch }),
    updateEnvFromMetadata: raw.updateEnvFromMetadata ?? false,
    ...(raw.graceSeconds === undefined ? {} : { graceSeconds: raw.graceSeconds }),
  };
  return { kind: 'parsed', value: spec };
}

/** Returns the strategic-merge form of a metadata patch (Go's directive key for dropped finalizers). */
function metadataPatchBody(patch: MetadataPatch | undefined): Record<string, unknown> {
  const { deleteFinalizers, ...rest } = patch ?? {};
  return { ...rest, ...(deleteFinalizers && deleteFinalizers.length > 0 ? { [DELETE_FINALIZERS]: deleteFinalizers } : {}) };
}

/** Returns the metadata patch in a base64 `metaDataPatch`, or `null` when it cannot be read. */
function decodeMetaDataPatch(encoded: string): MetadataPatch | null {
  const text = decodeBase64(encoded);
  if (text === undefined) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = MetaDataPatchBodySchema.safeParse(body);
  if (!parsed.success) return null;
  const { labels, annotations, finalizers, [DELETE_FINALIZERS]: deleteFinalizers } = parsed.data.metadata ?? {};
  return {
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    ...(finalizers && finalizers.length > 0 ? { finalizers } : {}),
    ...(deleteFinalizers && deleteFinalizers.length > 0 ? { deleteFinalizers } : {}),
  };
}
