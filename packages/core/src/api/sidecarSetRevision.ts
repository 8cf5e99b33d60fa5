import { revisionName, safeEncode, utf8Bytes, type ControllerRevision } from '../shared/revision.js';
import { nextRevisionNumber, planRevisionReuse, sortRevisions, type UpdateRevisionPlan } from '../shared/revisionHistory.js';
import { SIDECARSET_CUSTOM_VERSION_LABEL, SIDECARSET_NAME_LABEL } from './labels.js';
import { SidecarSetSpecSchema, SIDECARSET_API_VERSION, SIDECARSET_KIND, type SidecarSet, type SidecarSetInjectRevision } from './sidecarSet.js';
import { encodeGo, goJsonText, goJsonValue, GO_LOCAL_OBJECT_REFERENCE, GO_PATCH_POD_METADATA, GO_SIDECAR_CONTAINER, GO_VOLUME, type GoNode, type GoType } from './sidecarSetGoJson.js';

/**
 * The ControllerRevisions of a SidecarSet, as OpenKruise's `sidecarcontrol.HistoryControl`
 * records them: in the manager's namespace, labelled `kruise.io/sidecarset-name`, holding the
 * injected part of the spec (`volumes`, `containers`, `initContainers`, `imagePullSecrets`,
 * `patchPodMetadata`) under `{spec: {$patch: 'replace', ...}}`, in the very bytes OpenKruise
 * writes (`getPatch`: the SidecarSet marshalled by Go, read back into a map and marshalled again,
 * so every key is sorted and an unset field is `null`), named `<sidecarset>-<hash>` with
 * Kubernetes' `HashControllerRevision` over those bytes. The same spec gives the same revision
 * name in kruise-ts and in OpenKruise, and either can read the other's history.
 */

/** The spec fields a SidecarSet revision records (and restores). */
export const SIDECARSET_REVISION_FIELDS = ['volumes', 'containers', 'initContainers', 'imagePullSecrets', 'patchPodMetadata'] as const;

/** Label Kubernetes' `NewControllerRevision` puts on every revision: the revision's hash. */
export const KUBERNETES_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

const RECORDED_TYPES: Readonly<Record<(typeof SIDECARSET_REVISION_FIELDS)[number], GoType>> = {
  volumes: { k: 'slice', elem: GO_VOLUME },
  containers: { k: 'slice', elem: GO_SIDECAR_CONTAINER },
  initContainers: { k: 'slice', elem: GO_SIDECAR_CONTAINER },
  imagePullSecrets: { k: 'slice', elem: GO_LOCAL_OBJECT_REFERENCE },
  patchPodMetadata: { k: 'slice', elem: GO_PATCH_POD_METADATA },
};

// The revision data as Go writes it: the spec fields are `omitempty` slices, so an empty or
// absent one is missing from the SidecarSet's JSON and OpenKruise copies it as `null`.
function revisionNode(ss: SidecarSet): GoNode {
  const recorded = SIDECARSET_REVISION_FIELDS.map((field): [string, GoNode] => {
    const value = ss.spec[field];
    return [field, value === undefined || value.length === 0 ? null : encodeGo(value, RECORDED_TYPES[field])];
  });
  return { entries: [['spec', { entries: [['$patch', 'replace'], ...recorded] }]] };
}

/**
 * Returns the `data` of a SidecarSet revision as JSON: `{spec: {$patch: 'replace', containers,
 * imagePullSecrets, initContainers, patchPodMetadata, volumes}}` with the values as Go writes
 * them (zero values of required fields added, canonical quantities, unknown fields dropped) and
 * `null` for the unset ones. Keys are in Go's (sorted) order, so `JSON.stringify` of it is
 * {@link sidecarSetRevisionBytes} except for Go's escaping of `<`, `>` and `&`.
 *
 * @example sidecarSetRevisionData(log with container fluentd:1) →
 *   { spec: { $patch: 'replace', containers: [{ image: 'fluentd:1', name: 'fluentd', resources: {}, shareVolumePolicy: {}, upgradeStrategy: {} }], imagePullSecrets: null, initContainers: null, patchPodMetadata: null, volumes: null } }
 */
export function sidecarSetRevisionData(ss: SidecarSet): { spec: Record<string, unknown> } {
  return goJsonValue(revisionNode(ss), true) as { spec: Record<string, unknown> };
}

/**
 * Returns the exact bytes (as a string) OpenKruise stores as a SidecarSet revision's data.
 *
 * @example sidecarSetRevisionBytes(log with container fluentd:1) →
 *   '{"spec":{"$patch":"replace","containers":[{"image":"fluentd:1","name":"fluentd","resources":{},"shareVolumePolicy":{},"upgradeStrategy":{}}],"imagePullSecrets":null,"initContainers":null,"patchPodMetadata":null,"volumes":null}}'
 */
export function sidecarSetRevisionBytes(ss: SidecarSet): string {
  return goJsonText(revisionNode(ss), true);
}

// FNV-1 32 (Go's `fnv.New32`, multiply then xor; not FNV-1a).
function fnv1x32(bytes: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = (Math.imul(hash, 0x01000193) ^ byte) >>> 0;
  return hash;
}

/**
 * Returns Kubernetes' `HashControllerRevision` of revision bytes: FNV-1 32 over the bytes and then
 * the decimal digits of `collisionCount` (when given), printed in decimal and safe-encoded.
 *
 * @example hashSidecarSetRevisionBytes('{}', 0) → safeEncode(String(fnv1('{}0')))
 */
export function hashSidecarSetRevisionBytes(bytes: string, collisionCount?: number): string {
  const all = utf8Bytes(collisionCount === undefined ? bytes : `${bytes}${String(Math.trunc(collisionCount))}`);
  return safeEncode(String(fnv1x32(all)));
}

/** Input of {@link buildSidecarSetRevision}. */
export interface BuildSidecarSetRevisionInput {
  readonly sidecarSet: SidecarSet;
  /** Namespace of the revision: the manager's (SidecarSets are cluster-scoped). */
  readonly namespace: string;
  /** Revision number (1 + the highest existing one). */
  readonly revision: number;
  /** `status.collisionCount` (0 when unset). */
  readonly collisionCount: number;
}

/**
 * Returns the ControllerRevision recording a SidecarSet's current spec, as OpenKruise's
 * `NewRevision`: name `<name>-<hash>` ({@link hashSidecarSetRevisionBytes} of
 * {@link sidecarSetRevisionBytes} and the collision count), the SidecarSet's labels plus
 * `controller.kubernetes.io/hash`, `kruise.io/sidecarset-name` and (from `spec.customVersion`)
 * `apps.kruise.io/sidecarset-custom-version`, its annotations (with the hash annotations), and a
 * controller owner reference.
 *
 * @example buildSidecarSetRevision({ sidecarSet: log, namespace: 'kruise-system', revision: 1, collisionCount: 0 }).metadata.name → 'log-<hash>' (the name OpenKruise gives it)
 */
export function buildSidecarSetRevision(input: BuildSidecarSetRevisionInput): ControllerRevision {
  const { sidecarSet: ss } = input;
  const name = ss.metadata?.name ?? '';
  const data = sidecarSetRevisionData(ss);
  const hash = hashSidecarSetRevisionBytes(sidecarSetRevisionBytes(ss), input.collisionCount);
  const customVersion = ss.spec.customVersion ?? '';
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(name, hash),
      namespace: input.namespace,
      labels: {
        ...ss.metadata?.labels,
        [KUBERNETES_REVISION_HASH_LABEL]: hash,
        ...(customVersion !== '' && { [SIDECARSET_CUSTOM_VERSION_LABEL]: customVersion }),
        [SIDECARSET_NAME_LABEL]: name,
      },
      annotations: { ...ss.metadata?.annotations },
      ownerReferences: [
        { apiVersion: SIDECARSET_API_VERSION, kind: SIDECARSET_KIND, name, uid: ss.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    data,
    revision: input.revision,
  };
}

/** Input of {@link planSidecarSetRevision}. */
export interface PlanSidecarSetRevisionInput {
  readonly sidecarSet: SidecarSet;
  /** Namespace of the revisions: the manager's. */
  readonly namespace: string;
  /** `status.collisionCount` (0 when unset). */
  readonly collisionCount: number;
  /** The SidecarSet's existing revisions (labelled `kruise.io/sidecarset-name` with its name). */
  readonly revisions: readonly ControllerRevision[];
}

/**
 * Returns how the SidecarSet controller registers the revision of the current spec (OpenKruise's
 * `registerLatestRevision`): the revision is built with the next number
 * ({@link buildSidecarSetRevision}); the newest existing revision with the same data is used as
 * is, an older one is renumbered to be the newest (the spec went back to it), otherwise the new
 * one is created (a name taken by other data is a collision: bump `collisionCount`, retry).
 *
 * @example revisions log-a (fluentd:1, #1), log-b (fluentd:2, #2), spec back on fluentd:1 → { kind: 'renumber', revision: log-a, revisionNumber: 3 }
 */
export function planSidecarSetRevision(input: PlanSidecarSetRevisionInput): UpdateRevisionPlan {
  const wanted = buildSidecarSetRevision({ sidecarSet: input.sidecarSet, namespace: input.namespace, revision: nextRevisionNumber(input.revisions), collisionCount: input.collisionCount });
  return planRevisionReuse(wanted, input.revisions);
}

/** A pinned revision looked up among a SidecarSet's revisions. */
export type SidecarSetRevisionLookup =
  | { readonly kind: 'found'; readonly revision: ControllerRevision }
  | { readonly kind: 'not-found'; readonly message: string };

/**
 * Returns the revision `revisionInfo` pins among `revisions`: by `revisionName` when set, else the
 * highest-numbered revision of this SidecarSet labelled with `customVersion`; `not-found` when
 * there is none (OpenKruise then refuses the pod) or neither is set.
 *
 * @example customVersion 'v1', revisions r1 (v1, #1), r2 (v1, #3), r3 (v2, #4) → { kind: 'found', revision: r2 }
 */
export function findSidecarSetRevision(ss: SidecarSet, revisionInfo: SidecarSetInjectRevision, revisions: readonly ControllerRevision[]): SidecarSetRevisionLookup {
  const name = ss.metadata?.name ?? '';
  if (revisionInfo.revisionName !== undefined) {
    const revision = revisions.find((r) => r.metadata.name === revisionInfo.revisionName);
    return revision ? { kind: 'found', revision } : { kind: 'not-found', message: `controllerrevisions "${revisionInfo.revisionName}" not found` };
  }
  if (revisionInfo.customVersion === undefined) return { kind: 'not-found', message: 'revisionName and customVersion cannot be empty simultaneously' };
  const own = revisions.filter(
    (r) => r.metadata.labels?.[SIDECARSET_NAME_LABEL] === name && r.metadata.labels[SIDECARSET_CUSTOM_VERSION_LABEL] === revisionInfo.customVersion,
  );
  const latest = sortRevisions(own).at(-1);
  return latest ? { kind: 'found', revision: latest } : { kind: 'not-found', message: `ControllerRevision.apps "${name}" not found` };
}

/**
 * Returns the SidecarSet as it was at `revision`: the recorded fields replace the whole spec (the
 * `$patch: replace` directive; selector and strategies are gone, as in OpenKruise), the hash
 * annotations come from the revision (when it carries them), and `status.latestRevision` is the
 * revision's name. `undefined` when the data is not a SidecarSet revision.
 *
 * @example restoreSidecarSetFromRevision(ss, r1).spec.containers → the containers recorded in r1
 */
export function restoreSidecarSetFromRevision(ss: SidecarSet, revision: ControllerRevision): SidecarSet | undefined {
  const data = revision.data as { spec?: unknown } | null | undefined;
  if (typeof data !== 'object' || data === null || typeof data.spec !== 'object' || data.spec === null) return undefined;
  const { $patch: _directive, ...fields } = data.spec as Record<string, unknown>;
  const recorded = Object.fromEntries(Object.entries(fields).filter(([key, value]) => value !== null && (SIDECARSET_REVISION_FIELDS as readonly string[]).includes(key)));
  const spec = SidecarSetSpecSchema.safeParse(recorded);
  if (!spec.success) return undefined;
  // The current hashes do not describe the old spec: the revision's replace them, or they are
  // left out so that they are computed from the restored spec.
  const isHash = ([key]: [string, string]) => key.startsWith('kruise.io/sidecarset-hash');
  const hashes = Object.entries(revision.metadata.annotations ?? {}).filter((entry) => isHash(entry) && entry[1] !== '');
  const others = Object.entries(ss.metadata?.annotations ?? {}).filter((entry) => !isHash(entry));
  return {
    ...ss,
    metadata: { ...ss.metadata, annotations: Object.fromEntries([...others, ...hashes]) },
    spec: spec.data,
    status: { ...ss.status, latestRevision: revision.metadata.name ?? '' },
  };
}
