import { CLONESET_API_VERSION, CLONESET_V1ALPHA1_API_VERSION, CloneSetSchema, CloneSetV1alpha1Schema, convertCloneSetToV1alpha1, convertCloneSetToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The CloneSet conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1` through
 * core's lossless `convertCloneSetToV1beta1` / `convertCloneSetToV1alpha1` (v1beta1 is stored, so
 * a v1alpha1 manifest is converted up on write and down on every v1alpha1 read).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1alpha1', ..., spec: { updateStrategy: { type: 'InPlaceIfPossible' } } }, 'apps.kruise.io/v1beta1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', ..., spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } } } }
 */
export const cloneSetConverter: Converter = versionConverter(
  KruiseResources.CloneSet,
  { apiVersion: CLONESET_V1ALPHA1_API_VERSION, schema: CloneSetV1alpha1Schema, convert: convertCloneSetToV1beta1 },
  { apiVersion: CLONESET_API_VERSION, schema: CloneSetSchema, convert: convertCloneSetToV1alpha1 },
);
