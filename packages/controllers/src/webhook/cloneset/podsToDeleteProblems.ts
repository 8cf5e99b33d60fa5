import type { CloneSet, FieldProblem, Pod } from '@kruise-ts/core';

/** Reads one pod; resolves undefined when it does not exist. */
export type LookupPod = (namespace: string, name: string, signal: AbortSignal) => Promise<Pod | undefined>;

/**
 * Returns the problems of names newly added to `spec.scaleStrategy.podsToDelete` (those not in
 * `previous`), as OpenKruise's validating webhook checks them against the cluster: a pod already
 * terminating, or one whose controller is not this CloneSet (by uid), is refused. A name without a
 * pod is accepted (OpenKruise refuses it; the controller drops such names, and manifests written
 * for clusters where the pod existed keep applying).
 *
 * @example podsToDelete `['web-a']`, pod web-a owned by another CloneSet →
 *   `[{ path: 'spec.scaleStrategy.podsToDelete', message: 'pod web-a is not owned by this CloneSet' }]`
 */
export async function podsToDeleteProblems(cloneSet: CloneSet, previous: readonly string[], lookupPod: LookupPod, signal: AbortSignal): Promise<FieldProblem[]> {
  const namespace = cloneSet.metadata?.namespace ?? '';
  const added = [...new Set(cloneSet.spec.scaleStrategy?.podsToDelete ?? [])].filter((name) => !previous.includes(name));
  const pods = await Promise.all(added.map(async (name) => ({ name, pod: await lookupPod(namespace, name, signal) })));
  const problems: FieldProblem[] = [];
  for (const { name, pod } of pods) {
    if (pod === undefined) continue;
    const controller = pod.metadata.ownerReferences?.find((o) => o.controller === true);
    if (pod.metadata.deletionTimestamp !== undefined) problems.push({ path: 'spec.scaleStrategy.podsToDelete', message: `pod ${name} is already terminating` });
    else if (controller === undefined || controller.uid !== cloneSet.metadata?.uid) problems.push({ path: 'spec.scaleStrategy.podsToDelete', message: `pod ${name} is not owned by this CloneSet` });
  }
  return problems;
}
