import type { ControllerRevision, Pod } from '@kruise-ts/core';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { KruiseResources, Resources, type KubeObject, type ResourceType } from '@kruise-ts/k8s-adapter';
import type { FeatureGateName } from '@kruise-ts/controllers';
import type { PreviewWorkload } from './previewRollout.js';
import { recordRollout, type RecordedRollout } from './recordRollout.js';
import { rolloutStatus, type RolloutKind } from './rolloutStatus.js';
import { applyTemplateChanges, type TemplateChange } from './templateChanges.js';

// What the preview tests share: a live (memory) cluster with one workload rolled out, its state
// as preview reads it, and the controller's real rollout of a change on it.

type Workload = PreviewWorkload & KubeObject;

const CONTROLLER = { CloneSet: 'cloneset', StatefulSet: 'statefulset', DaemonSet: 'daemonset' } as const;

/** The kind's resource type, typed as any previewable workload. */
export const typeOf = (kind: RolloutKind): ResourceType<Workload> => KruiseResources[kind];

/**
 * Returns a memory cluster running `kind`'s controller (its kubelet 2 s to start a pod or restart
 * one in place) with `workload` created through the webhooks and rolled out.
 */
export async function liveCluster(kind: RolloutKind, workload: PreviewWorkload, options: { nodes?: number; featureGates?: Readonly<Partial<Record<FeatureGateName, boolean>>> } = {}): Promise<TestManager> {
  const manager = await startTestManager({ controllers: [CONTROLLER[kind]], nodes: options.nodes ?? 1, kubelet: { startDelayMs: 2000, inPlaceUpdateDelayMs: 2000 }, ...(options.featureGates === undefined ? {} : { featureGates: options.featureGates }) });
  await manager.create(typeOf(kind), workload as Workload);
  await manager.waitForRollout(typeOf(kind), { namespace: 'default', name: workload.metadata?.name ?? '' });
  return manager;
}

/** The workload, its pods and revisions in `default`, as `kruise-ts preview` reads them. */
export async function liveState(manager: TestManager, kind: RolloutKind, name: string): Promise<{ kind: RolloutKind; workload: Workload; pods: Pod[]; revisions: ControllerRevision[] }> {
  const workload = await manager.get(typeOf(kind), { namespace: 'default', name });
  const pods = (await manager.cluster.client.list(Resources.Pod, { namespace: 'default' })).items as Pod[];
  const revisions = (await manager.cluster.client.list(Resources.ControllerRevision, { namespace: 'default' })).items as ControllerRevision[];
  return { kind, workload, pods, revisions };
}

/** Makes the changes on the live cluster and records the controller's real rollout until it is done. */
export async function realRollout(manager: TestManager, kind: RolloutKind, name: string, changes: readonly TemplateChange[]): Promise<RecordedRollout & { totalMs: number }> {
  const { cluster } = manager;
  const key = { namespace: 'default', name };
  const listed = await cluster.client.list(Resources.Pod, { namespace: 'default' });
  const startMs = cluster.clock.now();
  const recorder = recordRollout(cluster.client, cluster.clock, { namespace: 'default', since: listed.resourceVersion, oldPods: listed.items, startMs });
  await manager.update(typeOf(kind), key, (w) => ({ ...w, spec: { ...w.spec, template: applyTemplateChanges(w.spec.template, changes) } }));
  let doneAt: number | undefined;
  await manager.waitFor(typeOf(kind), key, (w) => {
    if (rolloutStatus(kind, w).kind === 'done') doneAt ??= cluster.clock.now();
    return doneAt !== undefined;
  });
  await cluster.settle();
  const recorded = recorder.result();
  recorder.stop();
  return { ...recorded, totalMs: (doneAt ?? 0) - startMs };
}
