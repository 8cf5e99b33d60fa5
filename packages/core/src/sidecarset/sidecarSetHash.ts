import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../api/labels.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import { encodeGo, goJsonText, GO_SIDECAR_CONTAINER, type GoNode } from '../api/sidecarSetGoJson.js';
import { safeEncode } from '../shared/revision.js';
import { sha256Hex } from '../shared/sha256.js';

/*
 * The two hashes OpenKruise keeps on a SidecarSet (`sidecarcontrol.SidecarSetHash`,
 * `SidecarSetHashWithoutImage`) and copies onto every pod it injects or upgrades: the hash of the
 * containers, and the same with every image blanked. A pod whose hash differs but whose
 * without-image hash is equal differs only in images, so it can be upgraded in place.
 *
 * The values are OpenKruise's: SHA-256 of Go's `json.Marshal` of
 * `{"containers": spec.containers}` (plus `"initContainers"` when one of them is a native
 * sidecar), the containers written as Go writes its `SidecarContainer` structs (declaration
 * order, zero values, canonical quantities, HTML escaping; see `sidecarSetGoJson.ts`), the hex
 * digest rendered in Kubernetes' safe-encode alphabet. A pod injected by OpenKruise and one
 * injected by kruise-ts from the same SidecarSet carry the same hash.
 */

/**
 * Returns whether an init container is a Kubernetes native sidecar (`restartPolicy: Always`).
 *
 * @example isNativeSidecar({ restartPolicy: 'Always' }) → true
 */
export function isNativeSidecar(container: { readonly restartPolicy?: string | undefined }): boolean {
  return container.restartPolicy === 'Always';
}

function containersNode(containers: readonly SidecarContainer[] | undefined, blankImages: boolean): GoNode {
  if (containers === undefined) return null;
  return containers.map((c) => encodeGo(blankImages ? { ...c, image: '' } : c, GO_SIDECAR_CONTAINER));
}

function hashOf(ss: SidecarSet, blankImages: boolean): string {
  const inits = ss.spec.initContainers;
  const node: GoNode = {
    entries: [['containers', containersNode(ss.spec.containers, blankImages)], ...((inits ?? []).some(isNativeSidecar) ? [['initContainers', containersNode(inits, blankImages)] as const] : [])],
  };
  return safeEncode(sha256Hex(goJsonText(node, false)));
}

/**
 * Returns OpenKruise's hash of a SidecarSet's containers (and of its initContainers when one is a
 * native sidecar). Apply `withSidecarSetDefaults` first, as the webhook does: the hash covers the
 * defaulted containers.
 *
 * @example computeSidecarSetHash(ss) !== computeSidecarSetHash(withImage(ss, 'envoy:v2')) // an image change changes it
 */
export function computeSidecarSetHash(ss: SidecarSet): string {
  return hashOf(ss, false);
}

/**
 * Returns the hash of a SidecarSet's containers with every image blanked: equal for two specs
 * that differ only in images.
 *
 * @example computeSidecarSetHashWithoutImage(ss) === computeSidecarSetHashWithoutImage(withImage(ss, 'envoy:v2')) // true
 */
export function computeSidecarSetHashWithoutImage(ss: SidecarSet): string {
  return hashOf(ss, true);
}

/**
 * Returns the SidecarSet's hash as OpenKruise reads it: its `kruise.io/sidecarset-hash`
 * annotation (set by the mutating webhook), or {@link computeSidecarSetHash} when it has none.
 *
 * @example sidecarSetHash({ metadata: { annotations: { 'kruise.io/sidecarset-hash': 'c4k2dbb95d' } }, spec }) → 'c4k2dbb95d'
 */
export function sidecarSetHash(ss: SidecarSet): string {
  return ss.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION] ?? computeSidecarSetHash(ss);
}

/**
 * Returns the SidecarSet's `kruise.io/sidecarset-hash-without-image` annotation, or the computed value without one.
 *
 * @example annotation 'without-c4k2dbb95d' → 'without-c4k2dbb95d'
 */
export function sidecarSetHashWithoutImage(ss: SidecarSet): string {
  return ss.metadata?.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION] ?? computeSidecarSetHashWithoutImage(ss);
}

/**
 * Returns the SidecarSet with both hash annotations set from its spec, as OpenKruise's SidecarSet
 * mutating webhook does on create and update (after `withSidecarSetDefaults`).
 *
 * @example withSidecarSetHashAnnotations(withSidecarSetDefaults(ss)).metadata.annotations
 *   → { 'kruise.io/sidecarset-hash': '…', 'kruise.io/sidecarset-hash-without-image': '…' }
 */
export function withSidecarSetHashAnnotations(ss: SidecarSet): SidecarSet {
  return {
    ...ss,
    metadata: {
      ...ss.metadata,
      annotations: {
        ...ss.metadata?.annotations,
        [SIDECARSET_HASH_ANNOTATION]: computeSidecarSetHash(ss),
        [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: computeSidecarSetHashWithoutImage(ss),
      },
    },
  };
}
