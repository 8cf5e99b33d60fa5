import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../api/labels.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import { canonicalJson, safeEncode, utf8Bytes } from '../shared/revision.js';

/*
 * The two hashes OpenKruise keeps on a SidecarSet (`sidecarcontrol.SidecarSetHash`,
 * `SidecarSetHashWithoutImage`) and copies onto every pod it injects or upgrades: the hash of the
 * containers, and the same with every image blanked. A pod whose hash differs but whose
 * without-image hash is equal differs only in images, so it can be upgraded in place.
 *
 * Values are NOT byte-identical to Go's (sha256 over Go's JSON encoding of the containers, which
 * depends on Go's struct field order and omitempty rules). kruise-ts keeps the semantics: the
 * hash covers `spec.containers` and, when one of them is a native sidecar (restartPolicy Always),
 * `spec.initContainers`; equal containers give equal hashes whatever the key order; images do not
 * count in the without-image hash. It is a 64-bit FNV-1a rendered with Kubernetes' safe-encode
 * alphabet. Hashes written by OpenKruise are only ever compared for equality, so a pod injected by
 * OpenKruise is simply "not updated" for kruise-ts until its next in-place upgrade.
 */

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

function fnv1a64(text: string): bigint {
  let hash = FNV64_OFFSET;
  for (const byte of utf8Bytes(text)) hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  return hash;
}

/**
 * Returns whether an init container is a Kubernetes native sidecar (`restartPolicy: Always`).
 *
 * @example isNativeSidecar({ restartPolicy: 'Always' }) → true
 */
export function isNativeSidecar(container: { readonly restartPolicy?: string | undefined }): boolean {
  return container.restartPolicy === 'Always';
}

function hashedContainers(ss: SidecarSet, blankImages: boolean): Record<string, unknown> {
  const blank = (containers: readonly SidecarContainer[]) => (blankImages ? containers.map((c) => ({ ...c, image: '' })) : containers);
  const inits = ss.spec.initContainers ?? [];
  return {
    containers: blank(ss.spec.containers ?? []),
    ...(inits.some(isNativeSidecar) && { initContainers: blank(inits) }),
  };
}

function hashOf(value: unknown): string {
  return safeEncode(fnv1a64(canonicalJson(value)).toString());
}

/**
 * Returns the hash of a SidecarSet's containers (and of its initContainers when one is a native
 * sidecar). Apply `withSidecarSetDefaults` first, as the webhook does, so that defaulted and
 * undefaulted forms of the same containers hash alike.
 *
 * @example computeSidecarSetHash(ss) !== computeSidecarSetHash(withImage(ss, 'envoy:v2')) // an image change changes it
 */
export function computeSidecarSetHash(ss: SidecarSet): string {
  return hashOf(hashedContainers(ss, false));
}

/**
 * Returns the hash of a SidecarSet's containers with every image blanked: equal for two specs
 * that differ only in images.
 *
 * @example computeSidecarSetHashWithoutImage(ss) === computeSidecarSetHashWithoutImage(withImage(ss, 'envoy:v2')) // true
 */
export function computeSidecarSetHashWithoutImage(ss: SidecarSet): string {
  return hashOf(hashedContainers(ss, true));
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
