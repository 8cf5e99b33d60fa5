import {
  CLONESET_API_VERSION,
  CLONESET_V1ALPHA1_API_VERSION,
  CloneSetSchema,
  CloneSetV1alpha1Schema,
  convertCloneSetToV1alpha1,
  convertCloneSetToV1beta1,
  zodIssuesToProblems,
} from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import { problemsMessage } from '../admissionDecisions.js';
import type { ConversionOutcome, Converter } from '../admissionTypes.js';

type Json = Record<string, unknown>;

type SafeParse = (input: unknown) => { success: true; data: unknown } | { success: false; error: { issues: Parameters<typeof zodIssuesToProblems>[0] } };

/** Reads `object` with `safeParse`, then converts it; a schema problem fails the conversion with its field. */
function readThen<T>(safeParse: SafeParse, object: Json, convert: (value: T) => T | object): ConversionOutcome {
  const parsed = safeParse(object);
  if (!parsed.success) return { kind: 'failed', message: `cannot read the CloneSet: ${problemsMessage(zodIssuesToProblems(parsed.error.issues))}` };
  return { kind: 'converted', object: convert(parsed.data as T) as Json };
}

/**
 * The CloneSet conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1` through
 * core's lossless `convertCloneSetToV1beta1` / `convertCloneSetToV1alpha1` (v1beta1 is stored, so
 * a v1alpha1 manifest is converted up on write and down on every v1alpha1 read).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1alpha1', ..., spec: { updateStrategy: { type: 'InPlaceIfPossible' } } }, 'apps.kruise.io/v1beta1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } } } }
 */
export const cloneSetConverter: Converter = {
  group: KruiseResources.CloneSet.group,
  kind: KruiseResources.CloneSet.kind,
  plural: KruiseResources.CloneSet.plural,
  convert(object, desiredAPIVersion) {
    const from = object.apiVersion;
    if (from === desiredAPIVersion) return { kind: 'converted', object };
    if (from === CLONESET_V1ALPHA1_API_VERSION && desiredAPIVersion === CLONESET_API_VERSION) return readThen((o) => CloneSetV1alpha1Schema.safeParse(o), object, convertCloneSetToV1beta1);
    if (from === CLONESET_API_VERSION && desiredAPIVersion === CLONESET_V1ALPHA1_API_VERSION) return readThen((o) => CloneSetSchema.safeParse(o), object, convertCloneSetToV1alpha1);
    return { kind: 'failed', message: `cannot convert a CloneSet from ${typeof from === 'string' ? from : 'no apiVersion'} to ${desiredAPIVersion}` };
  },
};
