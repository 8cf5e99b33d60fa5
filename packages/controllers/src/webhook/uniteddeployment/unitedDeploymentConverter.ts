import { UNITEDDEPLOYMENT_API_VERSION, UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION, UnitedDeploymentSchema, UnitedDeploymentV1alpha1Schema, convertUnitedDeploymentToV1alpha1, convertUnitedDeploymentToV1beta1 } from '@kruise-ts/core';
import { KruiseResources } from '@kruise-ts/k8s-adapter';
import type { Converter } from '../admissionTypes.js';
import { versionConverter } from '../versionConverter.js';

/**
 * The UnitedDeployment conversion webhook: `apps.kruise.io/v1alpha1` ⇄ `apps.kruise.io/v1beta1`
 * through core's `convertUnitedDeploymentToV1beta1` / `convertUnitedDeploymentToV1alpha1` (v1beta1
 * is stored; the spec is the same, v1alpha1's `status.subsetReplicas` and
 * `status.updateStatus.currentPartitions` are v1beta1's `status.subsetStatuses[].replicas` and
 * `.partition`, `status.updateStatus.updatedRevision` its `status.updatedRevision`).
 *
 * @example convert({ apiVersion: 'apps.kruise.io/v1beta1', ..., status: { updatedRevision: 'web-5f', subsetStatuses: [{ name: 'a', replicas: 2 }] } }, 'apps.kruise.io/v1alpha1')
 *   → { kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', ..., status: { subsetStatuses: [...], subsetReplicas: { a: 2 }, updateStatus: { updatedRevision: 'web-5f' } } } }
 */
export const unitedDeploymentConverter: Converter = versionConverter(
  KruiseResources.UnitedDeployment,
  { apiVersion: UNITEDDEPLOYMENT_V1ALPHA1_API_VERSION, schema: UnitedDeploymentV1alpha1Schema, convert: convertUnitedDeploymentToV1beta1 },
  { apiVersion: UNITEDDEPLOYMENT_API_VERSION, schema: UnitedDeploymentSchema, convert: convertUnitedDeploymentToV1alpha1 },
);
