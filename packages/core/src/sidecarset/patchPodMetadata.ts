import type { SidecarSetPatchPodMetadata } from '../api/sidecarSet.js';
import { canonicalJson } from '../shared/revision.js';

/** Annotations after a SidecarSet's `patchPodMetadata`, or why they could not be patched. */
export type PodMetadataPatchResult =
  | { readonly kind: 'patched'; readonly annotations: Readonly<Record<string, string>>; readonly changed: boolean }
  | { readonly kind: 'failed'; readonly key: string; readonly message: string };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parse(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const base = isObject(target) ? target : {};
  const keys = new Set([...Object.keys(base), ...Object.keys(patch)]);
  return Object.fromEntries(
    [...keys].flatMap((key): [string, Json][] => {
      const value = Object.hasOwn(patch, key) ? patch[key] : undefined;
      if (value === undefined) return [[key, base[key] ?? null]];
      return value === null ? [] : [[key, mergePatch(base[key] ?? null, value)]];
    }),
  );
}

/**
 * Returns `original` (a JSON document) with a JSON merge patch (RFC 7386) applied, as the text Go
 * writes (compact, object keys sorted), or `undefined` when either is not JSON or the document is
 * not an object (evanphx/json-patch refuses those too).
 *
 * @example jsonMergePatch('{"log-agent":1}', '{"envoy":2}') → '{"envoy":2,"log-agent":1}'
 */
export function jsonMergePatch(original: string, patch: string): string | undefined {
  const doc = parse(original);
  const p = parse(patch);
  if (!doc.ok || !p.ok || !isObject(doc.value)) return undefined;
  return canonicalJson(mergePatch(doc.value, p.value));
}

/**
 * Returns pod annotations with a SidecarSet's `patchPodMetadata` applied (OpenKruise's
 * `PatchPodMetadata`): `Retain` (the default) adds only keys the pod lacks; `Overwrite` sets every
 * key; `MergePatchJson` JSON-merge-patches the pod's value (or sets it when absent or empty).
 * `changed` tells whether any annotation differs. A value that cannot be merged fails the whole patch
 * (OpenKruise then refuses the pod).
 *
 * @example patchPodAnnotations({ oom: '{"log-agent":1}' }, [{ patchPolicy: 'MergePatchJson', annotations: { oom: '{"envoy":2}' } }])
 *   → { kind: 'patched', annotations: { oom: '{"envoy":2,"log-agent":1}' }, changed: true }
 */
export function patchPodAnnotations(annotations: Readonly<Record<string, string>> | undefined, patches: readonly SidecarSetPatchPodMetadata[]): PodMetadataPatchResult {
  const result: Record<string, string> = { ...annotations };
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch.annotations ?? {})) {
      switch (patch.patchPolicy ?? 'Retain') {
        case 'Retain':
          if (!(key in result)) result[key] = value;
          break;
        case 'Overwrite':
          result[key] = value;
          break;
        case 'MergePatchJson': {
          const origin = result[key] ?? '';
          const merged = origin === '' ? value : jsonMergePatch(origin, value);
          if (merged === undefined) return { kind: 'failed', key, message: `annotation ${key}: cannot merge-patch ${JSON.stringify(origin)} with ${JSON.stringify(value)}` };
          result[key] = merged;
          break;
        }
      }
    }
  }
  const before = { ...annotations };
  const changed = Object.keys(result).length !== Object.keys(before).length || Object.entries(result).some(([k, v]) => before[k] !== v);
  return { kind: 'patched', annotations: result, changed };
}
