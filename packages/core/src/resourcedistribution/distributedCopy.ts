import { jsonEqual, escapeJsonPointer } from '../inplace/diffJson.js';
import type { ObjectMeta, OwnerReference } from '../api/objectMeta.js';
import { RESOURCE_HASHCODE_ANNOTATION, RESOURCE_SOURCE_ANNOTATION, RESOURCEDISTRIBUTION_API_VERSION, RESOURCEDISTRIBUTION_KIND, type DistributedResource, type ResourceDistribution } from '../api/resourceDistribution.js';
import { canonicalJson } from '../shared/revision.js';
import { sha256Hex } from '../shared/sha256.js';
import type { JsonPatchOp } from '../workload/workloadEffect.js';

/** A Secret or ConfigMap as stored (a copy, or another object of the same name). */
export interface ExistingResource {
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** A copy to create: the source resource in its target namespace, owned by the distribution. */
export interface DistributedCopy {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

// Fields of the manifest that are not its content.
const NOT_CONTENT = new Set(['apiVersion', 'kind', 'metadata', 'status']);
// Content fields a copy drops when the source drops them (Secret `type` is defaulted by the server).
const REMOVABLE = ['data', 'binaryData', 'stringData'];

/**
 * Returns the hash a copy records in `kruise.io/resourcedistribution.resource.hashcode`: the
 * SHA-256 hex digest of `spec.resource` as JSON with its keys sorted (`canonicalJson`), so the
 * same resource read by any client, in any key order, has one hash. OpenKruise hashes the raw
 * bytes the apiserver sent, so the two hashes of one resource differ; each changes when the
 * resource does.
 *
 * @example resourceHash({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' } }) → sha256Hex('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}')
 */
export function resourceHash(resource: DistributedResource): string {
  return sha256Hex(canonicalJson(resource));
}

/** Returns the controller reference a copy carries to its ResourceDistribution (`blockOwnerDeletion` as OpenKruise's `NewControllerRef`). */
export function distributionOwnerReference(rd: ResourceDistribution): OwnerReference {
  return { apiVersion: RESOURCEDISTRIBUTION_API_VERSION, kind: RESOURCEDISTRIBUTION_KIND, name: rd.metadata?.name ?? '', uid: rd.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/**
 * Returns whether `object` is controlled by the distribution: its controller reference names a
 * ResourceDistribution of `apps.kruise.io` with the distribution's name (OpenKruise's
 * `isControlledByDistributor`, by name, not uid, whatever the version written).
 */
export function isOwnedCopy(object: ExistingResource, rd: ResourceDistribution): boolean {
  const controller = (object.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
  return controller !== undefined && controller.apiVersion.startsWith('apps.kruise.io/') && controller.kind === RESOURCEDISTRIBUTION_KIND && controller.name === (rd.metadata?.name ?? '');
}

const copyAnnotations = (rd: ResourceDistribution, hash: string): Record<string, string> => ({
  ...rd.spec.resource.metadata?.annotations,
  [RESOURCE_HASHCODE_ANNOTATION]: hash,
  [RESOURCE_SOURCE_ANNOTATION]: rd.metadata?.name ?? '',
});

/**
 * Returns the copy of the distribution's resource for `namespace`: the manifest as written, in
 * that namespace, with the source and hash annotations and a controller reference to the
 * distribution (server-set metadata of the manifest dropped).
 *
 * @example a Secret `creds` distributed by `rd-creds` to `team-a` → metadata `{ name: 'creds', namespace: 'team-a',
 *   annotations: { 'kruise.io/resourcedistribution.resource.hashcode': '<sha256>', 'kruise.io/resourcedistribution.resource.from': 'rd-creds' },
 *   ownerReferences: [{ kind: 'ResourceDistribution', name: 'rd-creds', controller: true, ... }] }`
 */
export function buildDistributedCopy(rd: ResourceDistribution, namespace: string, hash: string): DistributedCopy {
  const { metadata = {}, apiVersion = 'v1', kind = '', status: _status, ...content } = rd.spec.resource as DistributedResource & { status?: unknown };
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, generation: _g, managedFields: _mf, ownerReferences = [], ...kept } = metadata;
  return {
    apiVersion,
    kind,
    ...content,
    metadata: { ...kept, namespace, annotations: copyAnnotations(rd, hash), ownerReferences: [...ownerReferences, distributionOwnerReference(rd)] },
  };
}

function metadataMapOps(existing: Readonly<Record<string, string>> | undefined, wanted: Readonly<Record<string, string>>, field: 'labels' | 'annotations'): JsonPatchOp[] {
  if (Object.keys(wanted).length === 0) return [];
  if (existing === undefined) return [{ op: 'add', path: `/metadata/${field}`, value: wanted }];
  return Object.entries(wanted)
    .filter(([key, value]) => existing[key] !== value)
    .map(([key, value]) => ({ op: 'add', path: `/metadata/${field}/${escapeJsonPointer(key)}`, value }));
}

/**
 * Returns the JSON patch that brings an owned copy up to date, or an empty list when it is: every
 * content field (`data`, `type`...) that differs from the source written, `data`/`binaryData`/
 * `stringData` the source no longer has removed, the source's labels and annotations and the hash
 * and source annotations set (other labels and annotations kept, as OpenKruise merges metadata),
 * and a controller reference with the distribution's uid when the copy has none. The patch tests
 * the copy's uid first (a copy deleted and re-created under the name is not written blindly).
 *
 * @example source `data: { k: 'djI=' }`, copy `data: { k: 'djE=' }` and an older hash →
 *   [test uid, { op: 'add', path: '/data', value: { k: 'djI=' } }, { op: 'add', path: '/metadata/annotations/kruise.io~1resourcedistribution.resource.hashcode', value: '<new>' }]
 */
export function copyUpdatePatch(rd: ResourceDistribution, existing: ExistingResource, hash: string): JsonPatchOp[] {
  const source = rd.spec.resource as Readonly<Record<string, unknown>>;
  const ops: JsonPatchOp[] = [];
  for (const [field, value] of Object.entries(source)) {
    if (NOT_CONTENT.has(field) || field === 'stringData' || value === undefined) continue;
    if (!jsonEqual(existing[field], value)) ops.push({ op: 'add', path: `/${escapeJsonPointer(field)}`, value });
  }
  if (source.stringData !== undefined && existing.metadata.annotations?.[RESOURCE_HASHCODE_ANNOTATION] !== hash) ops.push({ op: 'add', path: '/stringData', value: source.stringData });
  for (const field of REMOVABLE) if (source[field] === undefined && existing[field] !== undefined) ops.push({ op: 'remove', path: `/${field}` });
  ops.push(...metadataMapOps(existing.metadata.labels, rd.spec.resource.metadata?.labels ?? {}, 'labels'));
  ops.push(...metadataMapOps(existing.metadata.annotations, copyAnnotations(rd, hash), 'annotations'));
  const uid = rd.metadata?.uid ?? '';
  if (!(existing.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid)) {
    const others = (existing.metadata.ownerReferences ?? []).filter((ref) => !(ref.controller === true && ref.kind === RESOURCEDISTRIBUTION_KIND));
    ops.push({ op: 'add', path: '/metadata/ownerReferences', value: [...others, distributionOwnerReference(rd)] });
  }
  return ops.length === 0 ? [] : [{ op: 'test', path: '/metadata/uid', value: existing.metadata.uid ?? '' }, ...ops];
}
