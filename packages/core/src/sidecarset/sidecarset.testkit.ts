import { SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION } from '../api/labels.js';
import type { Container, Pod } from '../api/pod.js';
import type { SidecarSet, SidecarSetSpec } from '../api/sidecarSet.js';

/**
 * Builders shared by the SidecarSet tests (not exported from the package): small SidecarSets and
 * pods in the shapes OpenKruise's own tests use.
 */

/** The instant the tests inject and upgrade at: 2025-01-01T00:00:00Z. */
export const NOW = Date.parse('2025-01-01T00:00:00Z');

/** Returns a SidecarSet named `name` selecting `app=<app>` with the given spec fields and hash annotations. */
export function sidecarSet(name: string, spec: Partial<SidecarSetSpec> = {}, hashes?: { hash: string; withoutImage: string }): SidecarSet {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'SidecarSet',
    metadata: {
      name,
      ...(hashes && { annotations: { [SIDECARSET_HASH_ANNOTATION]: hashes.hash, [SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]: hashes.withoutImage } }),
    },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  };
}

/** Returns a running, ready pod labelled app=web in namespace `default` with these containers (statuses match the spec). */
export function webPod(name: string, containers: readonly Container[], extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2024-12-31T23:00:00Z', ...extra },
    spec: { containers: containers.map((c) => ({ ...c })) },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-12-31T23:30:00Z' }],
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: `${c.image ?? ''}-id`, ready: true })),
    },
  };
}
