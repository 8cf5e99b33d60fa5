/**
 * Test support for the in-place engine's own tests (not exported from the package): pods and
 * specs in a line, and a simulated kubelet that reports what it runs.
 */
import type { Container, ContainerStatus, Pod } from '../api/pod.js';
import { aPod } from '../testing/index.js';
import type { ResizePatch } from './diffPodForPatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';

/** Returns the `KRUISE_CONTAINER_BARRIER` env the pod webhook injects for launch priority `priority`. */
export function barrierEnv(priority: number): NonNullable<Container['env']> {
  return [{ name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'web-0-barrier', key: `p_${String(priority)}` } } }];
}

/** Returns an update spec to revision `web-2` with the given changes. */
export function updateSpec(changes: Partial<InPlaceUpdateSpec>): InPlaceUpdateSpec {
  return { revision: 'web-2', containerImages: {}, containerRefMetadata: {}, containerResources: {}, updateEnvFromMetadata: false, ...changes };
}

/** Returns ready pod `web-0` at revision `web-1` running `containers`, labelled `app: web, version: v1`. */
export function podWith(containers: readonly Container[], metadata: Partial<Pod['metadata']> = {}, inPlaceUpdateReady?: boolean): Pod {
  const pod = aPod({ name: 'web-0', revision: 'web-1', containers, labels: { app: 'web', version: 'v1' }, ...(inPlaceUpdateReady === undefined ? {} : { inPlaceUpdateReady }) });
  return { ...pod, metadata: { ...pod.metadata, ...metadata } };
}

/** Returns the pod with the `pods/resize` body applied to its spec, as the apiserver would. */
export function withResize(pod: Pod, resize: ResizePatch | undefined): Pod {
  const containers = pod.spec.containers.map((container) => {
    const change = resize?.spec.containers.find((c) => c.name === container.name)?.resources;
    if (!change) return container;
    const resources = container.resources ?? {};
    return { ...container, resources: { ...resources, limits: { ...resources.limits, ...change.limits }, requests: { ...resources.requests, ...change.requests } } };
  });
  return { ...pod, spec: { ...pod.spec, containers } };
}

/**
 * Returns the pod as a kubelet reports it after syncing: each container runs its spec image (a
 * new imageID when the image changed), reports its spec resources, and is ready (or not).
 */
export function simulateKubelet(pod: Pod, ready = true): Pod {
  const previous = pod.status?.containerStatuses ?? [];
  const containerStatuses = pod.spec.containers.map((container): ContainerStatus => {
    const before = previous.find((s) => s.name === container.name);
    const image = container.image ?? '';
    const restarted = before?.image !== image;
    return {
      name: container.name,
      image,
      imageID: restarted ? `${image}@sha256:${String((before?.restartCount ?? 0) + 1)}` : (before.imageID ?? `${image}@sha256:0`),
      ready,
      restartCount: (before?.restartCount ?? 0) + (restarted ? 1 : 0),
      ...(container.resources ? { resources: container.resources } : {}),
    };
  });
  return { ...pod, status: { ...pod.status, containerStatuses } };
}
