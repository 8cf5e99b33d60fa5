import { z } from 'zod';
import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../api/labels.js';
import type { ObjectMeta } from '../api/objectMeta.js';

/**
 * The per-SidecarSet records OpenKruise keeps in a pod's `kruise.io/sidecarset-hash` and
 * `kruise.io/sidecarset-hash-without-image` annotations (`sidecarcontrol.SidecarSetUpgradeSpec`):
 * JSON `{"<sidecarset>": {"updateTimestamp", "hash", "sidecarSetName", "sidecarList",
 * "controllerRevision"}}`, map keys sorted and fields in that order as Go writes them. The pre-1.0
 * form `{"<sidecarset>": "<hash>"}` is still read.
 */

/** Which of the two pod annotations. */
export type SidecarSetHashKind = 'hash' | 'hash-without-image';

/** One SidecarSet's record in a pod annotation. */
export interface SidecarSetUpgradeSpec {
  /** RFC 3339 time of the injection or upgrade; `null` for records converted from the pre-1.0 form. */
  readonly updateTimestamp: string | null;
  /** The SidecarSet hash the pod's sidecars were built from. */
  readonly hash: string;
  readonly sidecarSetName: string;
  /** Names of the SidecarSet's containers (and native-sidecar init containers), sorted; `null` in old records. */
  readonly sidecarList: readonly string[] | null;
  /** Name of the ControllerRevision injected (only in the `hash` annotation, when known). */
  readonly controllerRevision?: string;
}

/** The records of a pod annotation, by SidecarSet name. */
export type PodSidecarSetHashes = Readonly<Record<string, SidecarSetUpgradeSpec>>;

/** A pod annotation read: its records, nothing (no annotation), or why it is unreadable. */
export type PodSidecarSetHashesRead =
  | { readonly kind: 'parsed'; readonly hashes: PodSidecarSetHashes }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

const RecordSchema = z.looseObject({
  updateTimestamp: z.string().nullable().optional(),
  hash: z.string().nullable().optional(),
  sidecarSetName: z.string().nullable().optional(),
  sidecarList: z.array(z.string()).nullable().optional(),
  controllerRevision: z.string().nullable().optional(),
});
const CurrentSchema = z.record(z.string(), RecordSchema);
const LegacySchema = z.record(z.string(), z.string());

/**
 * Returns the annotation key of a hash kind.
 *
 * @example sidecarSetHashAnnotation('hash-without-image') → 'kruise.io/sidecarset-hash-without-image'
 */
export function sidecarSetHashAnnotation(kind: SidecarSetHashKind): string {
  return kind === 'hash' ? SIDECARSET_HASH_ANNOTATION : SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Returns the records of a pod's hash annotation (current or pre-1.0 form). An empty annotation is
 * `missing`, as for OpenKruise.
 *
 * @example readPodSidecarSetHashes(pod.metadata, 'hash') → { kind: 'parsed', hashes: { 'log-sidecar': { hash: 'x8d…', ... } } }
 */
export function readPodSidecarSetHashes(metadata: Pick<ObjectMeta, 'annotations'>, kind: SidecarSetHashKind): PodSidecarSetHashesRead {
  const text = metadata.annotations?.[sidecarSetHashAnnotation(kind)] ?? '';
  if (text === '') return { kind: 'missing' };
  const raw = parseJson(text);
  const current = CurrentSchema.safeParse(raw);
  if (current.success) {
    const hashes = Object.entries(current.data).map(([name, r]) => {
      const record: SidecarSetUpgradeSpec = {
        updateTimestamp: r.updateTimestamp ?? null,
        hash: r.hash ?? '',
        sidecarSetName: r.sidecarSetName ?? '',
        sidecarList: r.sidecarList ?? null,
        ...(typeof r.controllerRevision === 'string' && r.controllerRevision !== '' && { controllerRevision: r.controllerRevision }),
      };
      return [name, record] as const;
    });
    return { kind: 'parsed', hashes: Object.fromEntries(hashes) };
  }
  const legacy = LegacySchema.safeParse(raw);
  if (!legacy.success) return { kind: 'invalid', message: `invalid annotations[${sidecarSetHashAnnotation(kind)}] value ${text}` };
  const hashes = Object.entries(legacy.data).map(([name, hash]) => [name, { updateTimestamp: null, hash, sidecarSetName: name, sidecarList: null }] as const);
  return { kind: 'parsed', hashes: Object.fromEntries(hashes) };
}

/**
 * Returns the annotation text of records: SidecarSet names sorted, fields in Go's order,
 * `controllerRevision` left out when empty.
 *
 * @example serializePodSidecarSetHashes({ a: { updateTimestamp: '2025-01-01T00:00:00Z', hash: 'h', sidecarSetName: 'a', sidecarList: ['log'] } })
 *   → '{"a":{"updateTimestamp":"2025-01-01T00:00:00Z","hash":"h","sidecarSetName":"a","sidecarList":["log"]}}'
 */
export function serializePodSidecarSetHashes(hashes: PodSidecarSetHashes): string {
  const entries = Object.keys(hashes)
    .sort()
    .map((name) => {
      const r = hashes[name] as SidecarSetUpgradeSpec;
      const ordered = {
        updateTimestamp: r.updateTimestamp,
        hash: r.hash,
        sidecarSetName: r.sidecarSetName,
        sidecarList: r.sidecarList,
        ...(r.controllerRevision !== undefined && r.controllerRevision !== '' && { controllerRevision: r.controllerRevision }),
      };
      return `${JSON.stringify(name)}:${JSON.stringify(ordered)}`;
    });
  return `{${entries.join(',')}}`;
}

/**
 * Returns one SidecarSet's record in a pod annotation, or `undefined` (no annotation, unreadable,
 * or no record for that SidecarSet).
 *
 * @example podSidecarSetUpgradeSpec(pod.metadata, 'log-sidecar', 'hash')?.hash → 'x8d…'
 */
export function podSidecarSetUpgradeSpec(metadata: Pick<ObjectMeta, 'annotations'>, sidecarSetName: string, kind: SidecarSetHashKind): SidecarSetUpgradeSpec | undefined {
  const read = readPodSidecarSetHashes(metadata, kind);
  return read.kind === 'parsed' ? read.hashes[sidecarSetName] : undefined;
}

/**
 * Returns the SidecarSet hash recorded on the pod for `sidecarSetName` (`''` when none, as OpenKruise).
 *
 * @example annotation '{"log":{"hash":"aaa"}}' → podSidecarSetHash(meta, 'log') = 'aaa', podSidecarSetHash(meta, 'mesh') = ''
 */
export function podSidecarSetHash(metadata: Pick<ObjectMeta, 'annotations'>, sidecarSetName: string): string {
  return podSidecarSetUpgradeSpec(metadata, sidecarSetName, 'hash')?.hash ?? '';
}

/**
 * Returns the without-image hash recorded on the pod for `sidecarSetName` (`''` when none).
 *
 * @example annotation '{"log":{"hash":"without-aaa"}}' → 'without-aaa'
 */
export function podSidecarSetHashWithoutImage(metadata: Pick<ObjectMeta, 'annotations'>, sidecarSetName: string): string {
  return podSidecarSetUpgradeSpec(metadata, sidecarSetName, 'hash-without-image')?.hash ?? '';
}
