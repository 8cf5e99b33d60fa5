import {
  SIDECARSET_API_VERSION,
  SIDECARSET_V1ALPHA1_API_VERSION,
  convertSidecarSetToV1alpha1,
  parseSidecarSet,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { problemsMessage } from '../admissionDecisions.js';
import type { ConversionOutcome, Converter } from '../admissionTypes.js';

const VERSIONS: readonly unknown[] = [SIDECARSET_API_VERSION, SIDECARSET_V1ALPHA1_API_VERSION];

/**
 * The SidecarSet conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1` through
 * core's lossless conversions (v1beta1 is stored; `spec.namespace` ⇄ a namespaceSelector on
 * `kubernetes.io/metadata.name`, the custom-version label ⇄ `spec.customVersion`). An object that
 * does not parse fails its conversion, naming the field.
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1alpha1', ..., spec: { namespace: 'apps', ... } }, 'apps.kruise.io/v1beta1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, ... } } }
 */
export const sidecarSetConverter: Converter = { group: KruiseResources.SidecarSet.group, kind: KruiseResources.SidecarSet.kind, plural: KruiseResources.SidecarSet.plural, convert: convertSidecarSetObject };

function convertSidecarSetObject(object: Record<string, unknown>, desiredAPIVersion: string): ConversionOutcome {
  const source = object.apiVersion;
  if (!VERSIONS.includes(source) || !VERSIONS.includes(desiredAPIVersion)) {
    return { kind: 'failed', message: `cannot convert a SidecarSet from ${typeof source === 'string' ? source : 'no apiVersion'} to ${desiredAPIVersion}` };
  }
  if (source === desiredAPIVersion) return { kind: 'converted', object };
  // parseSidecarSet reads either version and always answers in v1beta1.
  const parsed = parseSidecarSet(object);
  if (parsed.kind === 'invalid') return { kind: 'failed', message: `cannot read the SidecarSet: ${problemsMessage(parsed.problems)}` };
  return { kind: 'converted', object: desiredAPIVersion === SIDECARSET_V1ALPHA1_API_VERSION ? convertSidecarSetToV1alpha1(parsed.value) : parsed.value };
}
