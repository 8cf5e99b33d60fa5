import { z } from 'zod';
import { VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION } from '../api/labels.js';
import { ObjectMetaSchema } from '../api/objectMeta.js';
import { PodTemplateSpecSchema, type PersistentVolumeClaim, type PodTemplateSpec } from '../api/pod.js';

/**
 * Revisions of a workload's pod template, as OpenKruise records them in ControllerRevisions.
 *
 * Hashes here are NOT byte-identical to Go's: Kubernetes hashes the revision data with
 * `DeepHashObject` (a Go-specific printout), which cannot be reproduced portably. kruise-ts keeps
 * the semantics instead: equal templates give equal hashes whatever the key order, a different
 * `collisionCount` gives a different hash, and the value is rendered with the same "safe encode"
 * alphabet, so names look alike (`web-5d8f9c7b4x`). Revisions written by OpenKruise are still
 * understood: they are compared by content ({@link templateFromRevision}), never by recomputing
 * their hash.
 */

const SAFE_ENCODE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Kubernetes caps the prefix of a revision name so that `<prefix>-<hash>` stays a valid name. */
const MAX_REVISION_PREFIX_LENGTH = 223;

/** Schema of an `apps/v1` ControllerRevision: one immutable snapshot of a workload's template. */
export const ControllerRevisionSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  data: z.unknown(),
  revision: z.number().int(),
});
/** An `apps/v1` ControllerRevision (`data` holds `{spec:{template:{$patch:'replace', ...}}}`). */
export type ControllerRevision = z.infer<typeof ControllerRevisionSchema>;

/** The data a workload revision stores: a strategic-merge patch that replaces the pod template. */
export interface RevisionData {
  /** Only the template is recorded, so restoring a revision never touches replicas or strategy. */
  readonly spec: { readonly template: Readonly<Record<string, unknown>> };
}

/**
 * Returns the JSON text of `value` with object keys sorted at every depth, so two values that
 * differ only in key order give the same text. `undefined` members are dropped, as JSON does.
 *
 * @example canonicalJson({ b: 1, a: { d: 2, c: 3 } }) // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify(undefined) is undefined at run time, whatever its lib type says.
  return value === undefined ? 'null' : JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : sortKeysDeep(item)));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => [key, sortKeysDeep(member)] as const);
  return Object.fromEntries(entries);
}

/**
 * Returns a JSON value without its `null` members, at every depth (array elements stay). Go
 * writes unset pointers, maps and times as `null` (`creationTimestamp: null`); for Kubernetes
 * objects `null` and absent mean the same.
 *
 * @example withoutNulls({ metadata: { creationTimestamp: null, name: 'a' } }) // { metadata: { name: 'a' } }
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, withoutNulls(member)]),
  );
}

/**
 * Returns the UTF-8 bytes of `text` (what the revision hash consumes).
 *
 * @example utf8Bytes('é') // [0xc3, 0xa9]
 */
export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return bytes;
}

/**
 * Returns the 32-bit FNV-1a hash of `bytes` (or of the UTF-8 bytes of a string), as an unsigned
 * integer.
 *
 * @example fnv1a32('') // 2166136261 (the offset basis); fnv1a32('a') // 3826002220
 */
export function fnv1a32(bytes: string | Iterable<number>): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of typeof bytes === 'string' ? utf8Bytes(bytes) : bytes) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * Returns `text` rendered with Kubernetes' "safe encode" alphabet (`bcdfghjklmnpqrstvwxz2456789`:
 * no vowels, no look-alike digits), one character per input character.
 *
 * @example safeEncode('1234') // '5678' (char code 49 % 27 = 22 → '5', ...)
 */
export function safeEncode(text: string): string {
  let encoded = '';
  for (let i = 0; i < text.length; i++) encoded += SAFE_ENCODE_ALPHABET.charAt(text.charCodeAt(i) % SAFE_ENCODE_ALPHABET.length);
  return encoded;
}

/**
 * Returns the revision data OpenKruise stores for a pod template:
 * `{spec:{template:{$patch:'replace', ...template}}}`.
 *
 * @example revisionData({ spec: { containers: [] } }) // { spec: { template: { $patch: 'replace', spec: { containers: [] } } } }
 */
export function revisionData(template: PodTemplateSpec): RevisionData {
  return { spec: { template: { $patch: 'replace', ...template } } };
}

/**
 * Returns the hash of revision data: FNV-1a 32 over its canonical JSON, then (when given) the
 * collision count as 4 little-endian bytes, rendered in decimal through {@link safeEncode}.
 * A `collisionCount` of 0 differs from none, as in Kubernetes.
 *
 * @example hashRevisionData(data, 0) !== hashRevisionData(data, 1) // a bumped count gives a new name
 */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const bytes = utf8Bytes(canonicalJson(data));
  if (collisionCount !== undefined) {
    const count = collisionCount >>> 0;
    bytes.push(count & 0xff, (count >>> 8) & 0xff, (count >>> 16) & 0xff, count >>> 24);
  }
  return safeEncode(String(fnv1a32(bytes)));
}

/**
 * Returns the revision hash of a pod template: {@link hashRevisionData} of {@link revisionData}.
 * Equal templates give equal hashes regardless of key order.
 *
 * @example computeRevisionHash(template, status.collisionCount ?? 0) // e.g. 'c4b9d7f6x'
 */
export function computeRevisionHash(template: PodTemplateSpec, collisionCount?: number): string {
  return hashRevisionData(revisionData(template), collisionCount);
}

/**
 * Returns the name of a revision: `<workload>-<hash>`, the workload name cut to 223 characters.
 *
 * @example revisionName('web', 'c4b9d7f6x') // 'web-c4b9d7f6x'
 */
export function revisionName(workloadName: string, hash: string): string {
  return `${workloadName.slice(0, MAX_REVISION_PREFIX_LENGTH)}-${hash}`;
}

/**
 * Returns the short hash of a revision name or label value: the part after the last `-`.
 *
 * @example shortHash('web-c4b9d7f6x') // 'c4b9d7f6x'; shortHash('c4b9d7f6x') // 'c4b9d7f6x'
 */
export function shortHash(revision: string): string {
  return revision.slice(revision.lastIndexOf('-') + 1);
}

/**
 * Returns whether a pod's `controller-revision-hash` value names `revision`: equal as a whole, or
 * equal short hashes (pods labelled under CloneSetShortHash carry only the hash).
 *
 * @example equalToRevisionHash('c4b9d7f6x', 'web-c4b9d7f6x') // true
 */
export function equalToRevisionHash(podLabelValue: string | undefined, revision: string): boolean {
  if (podLabelValue === undefined) return false;
  if (podLabelValue === revision) return true;
  // Compare the parts after the last `-` in place: this runs for every pod several times a pass.
  // Different last characters end it at once (the pods of the other revision).
  if (podLabelValue.length > 0 && revision.length > 0 && podLabelValue.charCodeAt(podLabelValue.length - 1) !== revision.charCodeAt(revision.length - 1)) return false;
  const a = podLabelValue.lastIndexOf('-') + 1;
  const b = revision.lastIndexOf('-') + 1;
  const length = podLabelValue.length - a;
  if (length !== revision.length - b) return false;
  for (let i = 0; i < length; i++) if (podLabelValue.charCodeAt(a + i) !== revision.charCodeAt(b + i)) return false;
  return true;
}

/**
 * Returns the hash CloneSet records in the `kruise.io/cloneset-volumeclaimtemplate-hash` annotation
 * of a revision: `""` without templates, otherwise the decimal FNV-1a 32 of the templates' names
 * and specs sorted by name (labels and annotations of a template do not count).
 *
 * @example volumeClaimTemplatesHash([]) // ''
 */
export function volumeClaimTemplatesHash(templates: readonly PersistentVolumeClaim[]): string {
  if (templates.length === 0) return '';
  const essentials = templates
    .map((pvc) => ({ metadata: { name: pvc.metadata.name ?? '' }, spec: pvc.spec ?? {} }))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return String(fnv1a32(canonicalJson(essentials)));
}

/** What {@link buildControllerRevision} needs to know about the workload that owns the revision. */
export interface RevisionOwner {
  /** `apiVersion` of the workload, e.g. `apps.kruise.io/v1beta1`. */
  readonly apiVersion: string;
  /** Kind of the workload, e.g. `CloneSet`. */
  readonly kind: string;
  /** Workload name: the prefix of the revision name. */
  readonly name: string;
  /** Namespace of the workload and of the revision. */
  readonly namespace?: string;
  /** Workload uid, for the controller owner reference. */
  readonly uid: string;
  /** Workload annotations, copied onto the revision as OpenKruise does. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Input of {@link buildControllerRevision}. */
export interface BuildControllerRevisionInput {
  /** The workload that owns the revision. */
  readonly owner: RevisionOwner;
  /** The pod template to record. */
  readonly template: PodTemplateSpec;
  /** Revision number (`metadata.generation`-like, 1 for the first revision). */
  readonly revision: number;
  /** `status.collisionCount` of the workload (CloneSet passes 0 when unset). */
  readonly collisionCount?: number;
  /** CloneSet only: its volumeClaimTemplates; when given, the VCT-hash annotation is added. */
  readonly volumeClaimTemplates?: readonly PersistentVolumeClaim[];
}

/**
 * Returns the ControllerRevision a workload records for its template: name `<workload>-<hash>`,
 * the template's labels, the workload's annotations (plus, for CloneSet, the VCT-hash
 * annotation), a controller owner reference, and the revision data.
 *
 * @example buildControllerRevision({ owner: cloneSet, template, revision: 3, collisionCount: 0, volumeClaimTemplates: [] })
 *   // metadata.name 'web-<hash>', annotations['kruise.io/cloneset-volumeclaimtemplate-hash'] === ''
 */
export function buildControllerRevision(input: BuildControllerRevisionInput): ControllerRevision {
  const { owner, template } = input;
  const data = revisionData(template);
  const annotations: Record<string, string> = { ...owner.annotations };
  if (input.volumeClaimTemplates) annotations[VOLUME_CLAIM_TEMPLATE_HASH_ANNOTATION] = volumeClaimTemplatesHash(input.volumeClaimTemplates);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.name, hashRevisionData(data, input.collisionCount)),
      ...(owner.namespace === undefined ? {} : { namespace: owner.namespace }),
      labels: { ...template.metadata?.labels },
      annotations,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    data,
    revision: input.revision,
  };
}

/**
 * Returns the pod template recorded in a revision (the `$patch` directive removed), or
 * `undefined` when the data does not hold a valid template.
 *
 * @example templateFromRevision(buildControllerRevision({ owner, template, revision: 1 })) // deep-equals template
 */
export function templateFromRevision(revision: Pick<ControllerRevision, 'data'>): PodTemplateSpec | undefined {
  // A revision's data never changes: parse it once per data object (every pass reads it again).
  const data = revision.data as object | null | undefined;
  if (typeof data === 'object' && data !== null && parsedTemplates.has(data)) return parsedTemplates.get(data);
  const template = parseRevisionTemplate(revision.data);
  if (typeof data === 'object' && data !== null) parsedTemplates.set(data, template);
  return template;
}

const parsedTemplates = new WeakMap<object, PodTemplateSpec | undefined>();
const RevisionDataSchema = z.looseObject({ spec: z.looseObject({ template: z.record(z.string(), z.unknown()) }) });

function parseRevisionTemplate(raw: unknown): PodTemplateSpec | undefined {
  const data = RevisionDataSchema.safeParse(raw);
  if (!data.success) return undefined;
  const { $patch: _directive, ...template } = data.data.spec.template;
  const parsed = PodTemplateSpecSchema.safeParse(withoutNulls(template));
  return parsed.success ? parsed.data : undefined;
}
