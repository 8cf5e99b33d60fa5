import type { SidecarSet, SidecarSetV1alpha1 } from '@kruise-ts/core';
import { defineResource, type KubeObject } from '@kruise-ts/k8s-adapter';

/** A SidecarSet as the API returns it (v1beta1, the storage version). */
export type SidecarSetObject = SidecarSet & KubeObject;

/** `apps.kruise.io/v1beta1` SidecarSets (cluster-scoped). */
export const SidecarSets = defineResource<SidecarSetObject>({ group: 'apps.kruise.io', version: 'v1beta1', kind: 'SidecarSet', plural: 'sidecarsets', namespaced: false });

/** `apps.kruise.io/v1alpha1` SidecarSets, served through the conversion webhook. */
export const SidecarSetsV1alpha1 = defineResource<SidecarSetV1alpha1 & KubeObject>({ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'SidecarSet', plural: 'sidecarsets', namespaced: false });

/** The CRD of SidecarSets (`<plural>.<group>`), whose conversion the manager points at `/convert`. */
export const SIDECARSET_CRD_NAME = 'sidecarsets.apps.kruise.io';
