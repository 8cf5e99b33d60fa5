import { matchesRequiredNodeAffinity, requiredNodeAffinity, type Affinity } from '@kruise-ts/core';
import { Resources } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import type { WriteInterceptor } from './faultInjector.js';
import { isJsonObject, type JsonObject, text } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { isNodeReady } from './nodeSimulator.js';
import { formatTime } from './objectValidation.js';
import type { ResourceBehaviour } from './resourceRegistry.js';
import { addTopologyLabels, metaOf, updateObject, type ClusterCore } from './writePipeline.js';

const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);

function tolerates(pod: JsonObject, taint: JsonObject): boolean {
  if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') return true;
  const tolerations = isJsonObject(pod.spec) ? objects(pod.spec.tolerations) : [];
  return tolerations.some(
    (t) =>
      (t.key === undefined || t.key === taint.key) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')) &&
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect),
  );
}

const UNSCHEDULABLE_TAINT: JsonObject = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * Returns whether `pod` fits `node` as the scheduler's filters decide: Ready; not cordoned unless
 * the pod tolerates the unschedulable taint (NodeUnschedulable: how a DaemonSet pod lands on a
 * cordoned node); nodeSelector and required node affinity (matchExpressions on labels, matchFields
 * on `metadata.name`) matched; NoSchedule and NoExecute taints tolerated.
 */
function fits(pod: JsonObject, node: JsonObject): boolean {
  const spec = isJsonObject(node.spec) ? node.spec : {};
  if (!isNodeReady(node) || (spec.unschedulable === true && !tolerates(pod, UNSCHEDULABLE_TAINT))) return false;
  if (!objects(spec.taints).every((t) => tolerates(pod, t))) return false;
  const podSpec = isJsonObject(pod.spec) ? pod.spec : {};
  const selector = isJsonObject(podSpec.nodeSelector) ? (podSpec.nodeSelector as Record<string, string>) : undefined;
  const affinity = isJsonObject(podSpec.affinity) ? (podSpec.affinity as Affinity) : undefined;
  const labels = isJsonObject(metaOf(node).labels) ? (metaOf(node).labels as Record<string, string>) : {};
  return matchesRequiredNodeAffinity(requiredNodeAffinity(selector, affinity), { name: text(metaOf(node).name), labels });
}

const isUnscheduled = (pod: JsonObject): boolean =>
  isJsonObject(pod.spec) && (pod.spec.nodeName === undefined || pod.spec.nodeName === '') && (pod.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler' && metaOf(pod).deletionTimestamp === undefined;

/**
 * Returns the stop function of the memory cluster's scheduler, which it starts: an unscheduled pod (default scheduler) is bound to the
 * Ready node that fits it (taints tolerated, `nodeSelector` matched) and runs the fewest pods,
 * ties broken by name; the binding sets `spec.nodeName`, the PodScheduled condition and the
 * node's zone and region labels, as a binding does. A pod that fits nowhere is marked
 * Unschedulable and retried when nodes change. Its writes (a `create` of `pods/binding`, a `patch`
 * of `pods/status`) go through `intercept`, the fault injector, as field manager `kube-scheduler`.
 */
export function startScheduler(core: ClusterCore, work: BackgroundWork, intercept: WriteInterceptor): () => void {
  const pods = core.registry.find(Resources.Pod) as ResourceBehaviour;
  const context = (pod: JsonObject, subresource: 'binding' | 'status') => ({
    request: { verb: subresource === 'binding' ? 'POST' : 'PATCH', path: `/api/v1/namespaces/${text(metaOf(pod).namespace)}/pods/${text(metaOf(pod).name)}/${subresource}` },
    behaviour: pods,
    manager: 'kube-scheduler',
    subresource,
    dryRun: false,
  });
  const write = (pod: JsonObject, next: JsonObject, subresource: 'binding' | 'status'): Promise<unknown> => {
    const ctx = context(pod, subresource);
    const target = { request: ctx.request, verb: subresource === 'binding' ? ('create' as const) : ('patch' as const), type: pods.type, subresource, name: text(metaOf(pod).name), namespace: text(metaOf(pod).namespace), fieldManager: ctx.manager };
    return intercept(target, () => updateObject(core, ctx, pod, next));
  };

  async function schedule(namespace: string, name: string, uid: string): Promise<void> {
    const pod = core.store.get('/pods', namespace, name);
    if (pod === undefined || metaOf(pod).uid !== uid || !isUnscheduled(pod)) return;
    const nodes = core.store.list('/nodes');
    const counts = new Map<string, number>();
    for (const p of core.store.list('/pods')) {
      const node = isJsonObject(p.spec) ? p.spec.nodeName : undefined;
      const phase = isJsonObject(p.status) ? p.status.phase : undefined;
      if (typeof node === 'string' && phase !== 'Succeeded' && phase !== 'Failed') counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    const feasible = nodes.filter((n) => fits(pod, n)).map((n) => text(metaOf(n).name));
    const now = formatTime(core.clock.now());
    const next = structuredClone(pod);
    const status = isJsonObject(next.status) ? next.status : (next.status = {});
    const others = objects(status.conditions).filter((c) => c.type !== 'PodScheduled');
    const chosen = feasible.sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || (a < b ? -1 : 1))[0];
    if (chosen === undefined) {
      const message = `0/${text(nodes.length)} nodes are available: ${text(nodes.length - feasible.length)} node(s) didn't match Pod's node affinity/selector, were not ready, or had untolerated taints.`;
      const previous = objects(status.conditions).find((c) => c.type === 'PodScheduled');
      if (previous?.reason === 'Unschedulable' && previous.message === message) return;
      status.conditions = [...others, { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message }];
      await write(pod, next, 'status');
      return;
    }
    (next.spec as JsonObject).nodeName = chosen;
    status.conditions = [...others, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }];
    addTopologyLabels(core, next);
    await write(pod, next, 'binding');
  }

  const enqueue = (pod: JsonObject): void => {
    const meta = metaOf(pod);
    work.enqueue(`scheduler/${text(meta.uid)}`, () => schedule(text(meta.namespace), text(meta.name), text(meta.uid)));
  };
  const onEvent = (event: StoredEvent): void => {
    if (event.resource === '/pods' && event.type !== 'DELETED' && isUnscheduled(event.object)) enqueue(event.object);
    if (event.resource === '/nodes') for (const pod of core.store.list('/pods').filter(isUnscheduled)) enqueue(pod);
  };
  return core.store.subscribe(onEvent);
}
