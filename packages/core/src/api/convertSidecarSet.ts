import { NAMESPACE_NAME_LABEL, SIDECARSET_CUSTOM_VERSION_LABEL } from './labels.js';
import type { ObjectMeta } from './objectMeta.js';
import type { LabelSelector } from '../shared/selector.js';
import { SIDECARSET_API_VERSION, type SidecarSet } from './sidecarSet.js';
import { SIDECARSET_V1ALPHA1_API_VERSION, type SidecarSetV1alpha1 } from './sidecarSetV1alpha1.js';

/*
 * Conversion between the two SidecarSet versions, as OpenKruise's conversion webhook
 * (apis/apps/v1alpha1/sidecarset_conversion.go) does it, made lossless:
 *
 * | v1alpha1                                              | v1beta1                                                      |
 * |-------------------------------------------------------|--------------------------------------------------------------|
 * | spec.namespace: ns                                    | spec.namespaceSelector.matchLabels[kubernetes.io/metadata.name] = ns |
 * | spec.namespaceSelector                                | spec.namespaceSelector (the namespace entry merged in)        |
 * | label apps.kruise.io/sidecarset-custom-version: v     | spec.customVersion: v (the label removed)                     |
 * | everything else (containers, strategies, status...)   | the same, unknown fields included                             |
 *
 * Differences from OpenKruise, all to lose nothing: when both `namespace` and `namespaceSelector`
 * are set (the webhook refuses that) both are kept, merged; on the way down a
 * `kubernetes.io/metadata.name` entry of `matchLabels` becomes `spec.namespace` again (OpenKruise
 * leaves it in the selector), and `customVersion: ""` becomes an empty label (OpenKruise drops it).
 *
 * Both round trips are the identity for objects in Go's serialised form (no empty `namespace`, no
 * empty label map). v1alpha1 → v1beta1 → v1alpha1 also needs a namespaceSelector that does not use
 * the `kubernetes.io/metadata.name` key in `matchLabels` and is not set together with `namespace`
 * (the webhook refuses both): such an entry comes back as `spec.namespace`, which selects the same
 * pods.
 */

// Drops the keys whose value is undefined (exactOptionalPropertyTypes) and returns undefined for {}.
function pruned<T extends object>(value: { [K in keyof T]?: T[K] | undefined }): T | undefined {
  const kept = Object.entries(value).filter(([, member]) => member !== undefined);
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as T);
}

function withLabel(meta: ObjectMeta | undefined, value: string | undefined): ObjectMeta | undefined {
  const { [SIDECARSET_CUSTOM_VERSION_LABEL]: _old, ...others } = meta?.labels ?? {};
  const labels = value === undefined ? pruned<Record<string, string>>(others) : { ...others, [SIDECARSET_CUSTOM_VERSION_LABEL]: value };
  return pruned<ObjectMeta>({ ...meta, labels });
}

function selectorWithNamespace(selector: LabelSelector | undefined, namespace: string | undefined): LabelSelector | undefined {
  if (namespace === undefined || namespace === '') return selector;
  return { ...selector, matchLabels: { ...selector?.matchLabels, [NAMESPACE_NAME_LABEL]: namespace } };
}

function splitNamespace(selector: LabelSelector | undefined): { namespace?: string; selector?: LabelSelector } {
  const namespace = selector?.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (selector === undefined || namespace === undefined) return selector === undefined ? {} : { selector };
  const { [NAMESPACE_NAME_LABEL]: _moved, ...matchLabels } = selector.matchLabels ?? {};
  const rest = pruned<LabelSelector>({ ...selector, matchLabels: pruned<Record<string, string>>(matchLabels) });
  return rest === undefined ? { namespace } : { namespace, selector: rest };
}

/**
 * Returns the `apps.kruise.io/v1beta1` form of a v1alpha1 SidecarSet, losing nothing (see the
 * table at the top of this file). Unknown fields are carried over; the input is not modified.
 *
 * @example `spec: { namespace: 'prod', selector }` and label `apps.kruise.io/sidecarset-custom-version: v2` →
 *   `spec: { selector, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } }, customVersion: 'v2' }`, label removed
 */
export function convertSidecarSetToV1beta1(ss: SidecarSetV1alpha1): SidecarSet {
  const { namespace, namespaceSelector, ...spec } = ss.spec;
  const customVersion = ss.metadata?.labels?.[SIDECARSET_CUSTOM_VERSION_LABEL];
  const converted = pruned<SidecarSet>({
    ...ss,
    apiVersion: ss.apiVersion === undefined ? undefined : SIDECARSET_API_VERSION,
    metadata: customVersion === undefined ? ss.metadata : withLabel(ss.metadata, undefined),
    spec: { ...spec, ...pruned({ namespaceSelector: selectorWithNamespace(namespaceSelector, namespace), customVersion }) },
  });
  return converted as SidecarSet;
}

/**
 * Returns the `apps.kruise.io/v1alpha1` form of a v1beta1 SidecarSet (see the table at the top of
 * this file): `spec.customVersion` becomes the custom-version label, and a namespaceSelector entry
 * on `kubernetes.io/metadata.name` becomes `spec.namespace`.
 *
 * @example `spec: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod', env: 'a' } } }` →
 *   `spec: { namespace: 'prod', namespaceSelector: { matchLabels: { env: 'a' } } }`
 */
export function convertSidecarSetToV1alpha1(ss: SidecarSet): SidecarSetV1alpha1 {
  const { customVersion, namespaceSelector, ...spec } = ss.spec;
  const { namespace, selector } = splitNamespace(namespaceSelector);
  const converted = pruned<SidecarSetV1alpha1>({
    ...ss,
    apiVersion: ss.apiVersion === undefined ? undefined : SIDECARSET_V1ALPHA1_API_VERSION,
    metadata: customVersion === undefined ? ss.metadata : withLabel(ss.metadata, customVersion),
    spec: { ...spec, ...pruned({ namespace, namespaceSelector: selector }) },
  });
  return converted as SidecarSetV1alpha1;
}
