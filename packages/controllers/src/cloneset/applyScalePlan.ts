import { applyLifecycleTransition, type LifecycleTransition, type Pod, type PodCreation, type PodDeletion, type ScalePlan } from '@kruise-ts/core';
import { AlreadyExistsError, NotFoundError, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { recordEvent, type ApplyOutcome, type CloneSetPass, type CloneSetWriteDeps } from './cloneSetContext.js';
import { writePod } from './writePod.js';

const ignore = (type: new (...args: never[]) => Error) => (error: unknown) => {
  if (!(error instanceof type)) throw error;
};

/**
 * Carries out a scale plan: PVC clean-up first, then one kind of change (creations in slow-start
 * batches, deletions, or lifecycle moves). `pods` are all pods the CloneSet owns, inactive ones
 * included (their PVCs may be handed over to them). Expectations are recorded before each write and
 * withdrawn when it fails, so a stale cache never creates or deletes twice. Throws the first
 * failure after the rest of its batch settled.
 */
export async function applyScalePlan(deps: CloneSetWriteDeps, pass: CloneSetPass, plan: ScalePlan, pods: readonly Pod[]): Promise<ApplyOutcome> {
  const cleaned = (await deletePvcs(deps, pass, plan.pvcCleanup.delete)) || (await handOverPvcs(deps, pass, plan.pvcCleanup.handOver, pods));
  switch (plan.kind) {
    case 'none':
      return { wrote: cleaned };
    case 'create':
      await createInBatches(deps, pass, plan.creations, plan.batches);
      return { wrote: true };
    case 'delete':
      await applyDeletions(deps, pass, plan.deletions, pods);
      return { wrote: true };
    case 'cancel-preparing-delete':
      await applyTransitions(deps, pass, plan.transitions, pods);
      return { wrote: true };
  }
}

async function deletePvcs(deps: CloneSetWriteDeps, pass: CloneSetPass, names: readonly string[]): Promise<boolean> {
  const namespace = pass.object.metadata.namespace;
  await Promise.all(names.map((name) => deps.client.delete(Resources.PersistentVolumeClaim, { name, namespace }, { signal: pass.signal }).catch(ignore(NotFoundError))));
  return names.length > 0;
}

/** PVCs of an inactive pod that still exists go with that pod: it becomes their owner. */
async function handOverPvcs(deps: CloneSetWriteDeps, pass: CloneSetPass, handOver: readonly { pvc: string; pod: string }[], pods: readonly Pod[]): Promise<boolean> {
  const namespace = pass.object.metadata.namespace;
  await Promise.all(
    handOver.map(async ({ pvc, pod: podName }) => {
      const pod = pods.find((p) => p.metadata.name === podName);
      if (pod === undefined) return;
      const owner = { apiVersion: 'v1', kind: 'Pod', name: podName, uid: pod.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
      await deps.client
        .patch(Resources.PersistentVolumeClaim, { name: pvc, namespace }, { type: 'merge', body: { metadata: { ownerReferences: [owner] } } }, { signal: pass.signal })
        .catch(ignore(NotFoundError));
    }),
  );
  return handOver.length > 0;
}

async function createOne(deps: CloneSetWriteDeps, pass: CloneSetPass, creation: PodCreation): Promise<void> {
  for (const pvc of creation.pvcs) {
    await deps.client.create(Resources.PersistentVolumeClaim, pvc as typeof pvc & KubeObject, { signal: pass.signal }).catch(ignore(AlreadyExistsError));
  }
  await deps.client.create(Resources.Pod, creation.pod as Pod & KubeObject, { signal: pass.signal });
}

/** Slow start (OpenKruise's DoItSlowly): batches of 1, 2, 4…; a failed batch stops the rest. */
async function createInBatches(deps: CloneSetWriteDeps, pass: CloneSetPass, creations: readonly PodCreation[], batches: readonly number[]): Promise<void> {
  let next = 0;
  for (const size of batches) {
    const batch = creations.slice(next, next + size);
    next += size;
    const names = batch.map((c) => c.pod.metadata.name ?? '');
    deps.scaleExpectations.expect(pass.key, 'create', names);
    const results = await Promise.allSettled(batch.map((c) => createOne(deps, pass, c)));
    const failures: unknown[] = [];
    results.forEach((result, i) => {
      const name = names[i] ?? '';
      if (result.status === 'fulfilled') {
        recordEvent(deps, pass, 'Normal', 'SuccessfulCreate', `succeed to create pod ${name}`);
      } else {
        deps.scaleExpectations.observe(pass.key, 'create', [name]);
        recordEvent(deps, pass, 'Warning', 'FailedCreate', `failed to create pod ${name}: ${String(result.reason)}`);
        failures.push(result.reason);
      }
    });
    if (failures.length > 0) throw failures[0];
  }
}

async function applyDeletions(deps: CloneSetWriteDeps, pass: CloneSetPass, deletions: readonly PodDeletion[], pods: readonly Pod[]): Promise<void> {
  const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
  const namespace = pass.object.metadata.namespace;
  const results = await Promise.allSettled(
    deletions.map(async (deletion) => {
      const pod = byName.get(deletion.pod);
      if (pod === undefined) return;
      if (deletion.kind === 'prepare-delete') {
        await applyTransitions(deps, pass, [deletion.transition], pods);
        return;
      }
      deps.scaleExpectations.expect(pass.key, 'delete', [deletion.pod]);
      try {
        await deps.client.delete(Resources.Pod, { name: deletion.pod, namespace }, { preconditions: { uid: pod.metadata.uid ?? '' }, signal: pass.signal });
      } catch (error) {
        deps.scaleExpectations.observe(pass.key, 'delete', [deletion.pod]);
        if (error instanceof NotFoundError) return;
        recordEvent(deps, pass, 'Warning', 'FailedDelete', `failed to delete pod ${deletion.pod}: ${String(error)}`);
        throw error;
      }
      recordEvent(deps, pass, 'Normal', 'SuccessfulDelete', `succeed to delete pod ${deletion.pod} (${deletion.reason})`);
      await deletePvcs(deps, pass, deletion.pvcs);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Writes lifecycle moves (labels, annotations, finalizers, KruisePodReady) to the pods they name. */
export async function applyTransitions(deps: CloneSetWriteDeps, pass: CloneSetPass, transitions: readonly LifecycleTransition[], pods: readonly Pod[]): Promise<void> {
  const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
  const now = deps.clock.now();
  await Promise.all(
    transitions.map(async (transition) => {
      const pod = byName.get(transition.pod);
      if (pod === undefined) return;
      const written = await writePod(deps.client, pod, applyLifecycleTransition(pod, transition, now), pass.signal);
      deps.resourceVersions.expect(written);
    }),
  );
}
