import { KruiseResources, Resources, apiVersionOf, type ResourceType } from '@kruise-ts/k8s-adapter';

const KNOWN: readonly ResourceType[] = [...Object.values(Resources), ...Object.values(KruiseResources)] as ResourceType[];

/**
 * Returns the resource type of an owned object's `apiVersion` and `kind` (the kinds of
 * `Resources` and `KruiseResources`), or undefined for a kind kruise-ts does not know.
 *
 * @example ownedResourceType('apps/v1', 'Deployment') // Resources.Deployment
 * @example ownedResourceType('apps.kruise.io/v1beta1', 'StatefulSet') // KruiseResources.StatefulSet
 */
export function ownedResourceType(apiVersion: string, kind: string): ResourceType | undefined {
  return KNOWN.find((type) => type.kind === kind && apiVersionOf(type) === apiVersion);
}
