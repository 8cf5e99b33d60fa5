import type { CloneSet, PersistentVolumeClaim, Pod } from '@kruise-ts/core';
import { NotFoundError, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { expect, vi } from 'vitest';

// Helpers shared by the e2e files (CloneSet and the other kinds): manifests, namespaces, pod
// predicates, the Events of a CloneSet, and the PV binder the test cluster lacks.

/** A CloneSet as the API returns it (metadata filled in). */
export type CloneSetObject = CloneSet & KubeObject;

/** Returns a v1beta1 CloneSet manifest for `name` in `namespace`. */
export function cloneSetManifest(name: string, namespace: string, spec: Partial<CloneSet['spec']> = {}): CloneSetObject {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

/** Returns the pods of CloneSet `name` (by its selector label). */
export async function podsOf(client: KubeClient, namespace: string, name: string): Promise<(Pod & KubeObject)[]> {
  return (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
}

/** Returns whether the pod's Ready condition is True. */
export const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** A pod as the API returns it (metadata filled in). */
export type PodObject = Pod & KubeObject;

/** Generous wait for a condition on a loaded 2-core machine. */
export const LONG_WAIT = { timeout: 120_000, interval: 250 } as const;

/** Creates namespace `name` (each test works in its own). */
export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Returns the CloneSet `name` in `namespace`. */
export function getCloneSet(client: KubeClient, namespace: string, name: string): Promise<CloneSetObject> {
  return client.get(Resources.CloneSet, { name, namespace });
}

/** Merge-patches the CloneSet's spec (e.g. `{ replicas: 10 }`). */
export function patchCloneSetSpec(client: KubeClient, namespace: string, name: string, spec: Record<string, unknown>): Promise<CloneSetObject> {
  return client.patch(Resources.CloneSet, { name, namespace }, { type: 'merge', body: { spec } });
}

/** Returns the condition `type` of the pod. */
export const podCondition = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);

/** Returns whether the pod has a deletionTimestamp. */
export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;

/**
 * Returns whether the pod is available in the sense the e2e tests check budgets with: Ready
 * True for at least `minReadySeconds` at `now` (by the Ready condition's lastTransitionTime, the
 * same second-precision time the controller reads), `InPlaceUpdateReady` not False, not terminating.
 */
export function isAvailableAt(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (isTerminating(pod)) return false;
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (podCondition(pod, 'InPlaceUpdateReady')?.status === 'False') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && now - since >= minReadySeconds * 1000;
}

/** The Events recorded on CloneSet `name` with `reason` (`count` as aggregated by the recorder). */
export async function cloneSetEvents(client: KubeClient, namespace: string, name: string, reason?: string): Promise<{ type: string; reason: string; message: string; count: number }[]> {
  type CoreEvent = { involvedObject: { kind: string; name: string }; type: string; reason: string; message: string; count?: number };
  const events = (await client.list(Resources.Event, { namespace })).items as unknown as CoreEvent[];
  return events
    .filter((e) => e.involvedObject.kind === 'CloneSet' && e.involvedObject.name === name && (reason === undefined || e.reason === reason))
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count ?? 1 }));
}

/**
 * Plays the storage side for the PVCs of `namespace` (the test cluster runs no PV controller and
 * no provisioner): each new claim gets a hostPath PersistentVolume bound to it, both ways, as the
 * PV binder would do it, so the scheduler places pods that mount it. Returns a stop function.
 */
export function bindClaims(client: KubeClient, namespace: string): { stop: () => Promise<void> } {
  const abort = new AbortController();
  const bound = new Set<string>();
  let failure: Error | undefined;
  const bind = async (pvc: PersistentVolumeClaim & KubeObject): Promise<void> => {
    const uid = pvc.metadata.uid ?? '';
    if (bound.has(uid) || (pvc.spec?.volumeName ?? '') !== '' || pvc.metadata.deletionTimestamp !== undefined) return;
    bound.add(uid);
    const pvName = `pv-${uid}`;
    const capacity = { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' };
    const accessModes = pvc.spec?.accessModes ?? ['ReadWriteOnce'];
    await client.request('POST', '/api/v1/persistentvolumes', {
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName },
        spec: {
          capacity,
          accessModes,
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: `/tmp/${pvName}` },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: pvc.metadata.name, uid },
        },
      },
    });
    await client.request('PATCH', `/api/v1/persistentvolumes/${pvName}/status`, { body: { status: { phase: 'Bound' } }, contentType: 'application/merge-patch+json' });
    const key = { name: pvc.metadata.name ?? '', namespace };
    await client.patch(Resources.PersistentVolumeClaim, key, { type: 'merge', body: { metadata: { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { volumeName: pvName } } });
    await client.patch(Resources.PersistentVolumeClaim, key, { type: 'merge', body: { status: { phase: 'Bound', accessModes, capacity } } }, { subresource: 'status' });
  };
  const loop = (async () => {
    while (!abort.signal.aborted) {
      for await (const event of client.watch(Resources.PersistentVolumeClaim, { namespace, signal: abort.signal })) {
        if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          await bind(event.object).catch((error: unknown) => {
            if (!(error instanceof NotFoundError)) throw error;
          });
        }
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    /** Stops binding; rethrows what made binding fail, if anything did. */
    stop: async () => {
      abort.abort();
      await loop;
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * Creates CloneSet `web` of `replicas` updating in place (maxUnavailable as given), waits until all
 * its pods are Ready, and returns their uids by name: the start of every CloneSet fault scenario.
 */
export async function createReadyInPlaceCloneSet(
  client: KubeClient,
  namespace: string,
  options: { readonly replicas: number; readonly maxUnavailable: number; readonly wait?: { readonly timeout: number; readonly interval: number } },
): Promise<Map<string | undefined, string | undefined>> {
  const { replicas, maxUnavailable } = options;
  await client.create(Resources.CloneSet, cloneSetManifest('web', namespace, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable } } }));
  await vi.waitFor(async () => {
    expect((await podsOf(client, namespace, 'web')).filter(isReady)).toHaveLength(replicas);
  }, options.wait ?? { timeout: 60_000, interval: 250 });
  return new Map((await podsOf(client, namespace, 'web')).map((p) => [p.metadata.name, p.metadata.uid]));
}
