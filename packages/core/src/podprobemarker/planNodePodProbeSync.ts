import type { Node } from '../api/node.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { NodePodProbe, NodePodProbeSpec, PodProbeMarker, PodProbeStatus, ProbeMarkerPolicy } from '../api/podProbeMarker.js';
import { getPodCondition, isPodActive } from '../shared/podState.js';

/** What the probe results ask of one pod: conditions to set and marker labels/annotations (null = remove). */
export interface PodProbeMarks {
  readonly conditions: readonly PodCondition[];
  readonly labels: Readonly<Record<string, string | null>>;
  readonly annotations: Readonly<Record<string, string | null>>;
}

/**
 * Returns the marks the results of one pod ask for (OpenKruise's `updatePodProbeStatus`): for each
 * probe state `<ppm>#<probe>` with a state, whose PodProbeMarker exists and is not being deleted,
 * a condition of the probe's `podConditionType` (True when Succeeded, else False, with the probe's
 * times and message; the first probe of a type wins), the labels and annotations of the policy of
 * that state, and those of the other state's policy removed.
 *
 * @example state Succeeded, policy [{ Succeeded, labels { ready: 'true' } }, { Failed, labels { idle: 'true' } }], podConditionType game/ready
 *   → conditions [{ type: 'game/ready', status: 'True' }], labels { idle: null, ready: 'true' }
 */
export function podProbeMarks(status: PodProbeStatus, ppmOf: (name: string) => PodProbeMarker | undefined): PodProbeMarks {
  const conditions: PodCondition[] = [];
  const labels: Record<string, string | null> = {};
  const annotations: Record<string, string | null> = {};
  const types = new Set<string>();
  for (const state of status.probeStates ?? []) {
    if (state.state === '') continue;
    const [ppmName = '', probeName = ''] = state.name.split('#');
    const ppm = ppmOf(ppmName);
    if (ppm === undefined || (ppm.metadata?.deletionTimestamp ?? undefined) !== undefined) continue;
    const probe = ppm.spec.probes.find((p) => p.name === probeName);
    const conditionType = probe?.podConditionType ?? '';
    if (conditionType !== '' && !types.has(conditionType)) {
      types.add(conditionType);
      conditions.push({
        type: conditionType,
        status: state.state === 'Succeeded' ? 'True' : 'False',
        ...(state.lastProbeTime == null ? {} : { lastProbeTime: state.lastProbeTime }),
        ...(state.lastTransitionTime == null ? {} : { lastTransitionTime: state.lastTransitionTime }),
        ...(state.message === undefined || state.message === '' ? {} : { message: state.message }),
      });
    }
    const policies: readonly ProbeMarkerPolicy[] = probe?.markerPolicy ?? [];
    const matched = policies.filter((p) => p.state === state.state);
    const opposite = policies.filter((p) => p.state !== state.state);
    for (const policy of opposite) {
      for (const key of Object.keys(policy.labels ?? {})) labels[key] = null;
      for (const key of Object.keys(policy.annotations ?? {})) annotations[key] = null;
    }
    for (const policy of matched) {
      Object.assign(labels, policy.labels ?? {});
      Object.assign(annotations, policy.annotations ?? {});
    }
  }
  return { conditions, labels, annotations };
}

/** The pod writes the marks need: only what differs from the pod (empty when it already carries them). */
export interface PodProbePatch {
  /** Merge-patch body for `metadata` (labels/annotations; null removes), or undefined. */
  readonly metadata?: { readonly labels?: Record<string, string | null>; readonly annotations?: Record<string, string | null> } | undefined;
  /** Conditions to set through the status subresource (each replaces the one of its type), or undefined. */
  readonly conditions?: readonly PodCondition[] | undefined;
}

function changedKeys(current: Readonly<Record<string, string>> | undefined, wanted: Readonly<Record<string, string | null>>): Record<string, string | null> | undefined {
  const out = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => (v === null ? current?.[k] !== undefined : current?.[k] !== v)));
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Returns the patch that puts `marks` on `pod`, with only what changes: a condition is written when
 * the pod has none of its type or its status or message differs (OpenKruise's
 * `SetPodConditionIfMsgChanged`); a label/annotation when its value differs or it must go.
 *
 * @example pod with condition game/ready False and no labels, marks { game/ready True, labels { ready: 'true', idle: null } }
 *   → { metadata: { labels: { ready: 'true' } }, conditions: [{ type: 'game/ready', status: 'True' }] }
 */
export function podProbePatch(pod: Pod, marks: PodProbeMarks): PodProbePatch {
  const conditions = marks.conditions.filter((c) => {
    const current = getPodCondition(pod, c.type);
    return current === undefined || current.status !== c.status || (current.message ?? '') !== (c.message ?? '');
  });
  const labels = changedKeys(pod.metadata.labels, marks.labels);
  const annotations = changedKeys(pod.metadata.annotations, marks.annotations);
  return {
    ...(labels === undefined && annotations === undefined ? {} : { metadata: { ...(labels === undefined ? {} : { labels }), ...(annotations === undefined ? {} : { annotations }) } }),
    ...(conditions.length === 0 ? {} : { conditions }),
  };
}

/** One write of a NodePodProbe pass. */
export type NodePodProbeEffect =
  | { readonly kind: 'create' }
  | { readonly kind: 'delete' }
  /** Replace the spec (pods gone, re-created or finished are dropped). */
  | { readonly kind: 'set-spec'; readonly spec: NodePodProbeSpec }
  | { readonly kind: 'patch-pod'; readonly namespace: string; readonly name: string; readonly uid: string; readonly patch: PodProbePatch };

/** What a NodePodProbe pass does, and why. */
export interface NodePodProbePlan {
  readonly reason: 'node-has-no-probe-object' | 'node-gone' | 'sync' | 'nothing-to-do';
  readonly effects: readonly NodePodProbeEffect[];
}

/** What a NodePodProbe pass reads. */
export interface NodePodProbeSnapshot {
  /** The NodePodProbe named after the node, or undefined when it does not exist. */
  readonly npp: NodePodProbe | undefined;
  readonly node: Node | undefined;
  readonly podOf: (namespace: string, name: string) => Pod | undefined;
  /** PodProbeMarker `name` in `namespace`, or undefined. */
  readonly ppmOf: (namespace: string, name: string) => PodProbeMarker | undefined;
}

/**
 * Returns the writes of one NodePodProbe pass (OpenKruise's `syncNodePodProbe`): create the object
 * when the node exists and it does not; delete it when the node is gone or being deleted; drop from
 * the spec the pods that are gone, inactive or re-created (another uid); and for each pod with
 * results, the patch that gives it the conditions and marker labels/annotations of its results.
 *
 * @example node-a exists, NodePodProbe with web-0 (running) and web-1 (deleted), status: web-0 probe game#ready Succeeded →
 *   [set-spec (web-0 only), patch-pod web-0 { conditions: [game/ready True] }]
 */
export function planNodePodProbeSync(snapshot: NodePodProbeSnapshot): NodePodProbePlan {
  const { npp, node } = snapshot;
  if (npp === undefined) return node === undefined ? { reason: 'nothing-to-do', effects: [] } : { reason: 'node-has-no-probe-object', effects: [{ kind: 'create' }] };
  if (node === undefined || (node.metadata.deletionTimestamp ?? undefined) !== undefined) return { reason: 'node-gone', effects: [{ kind: 'delete' }] };
  const matched = new Map<string, Pod>();
  for (const podProbe of npp.spec?.podProbes ?? []) {
    const pod = snapshot.podOf(podProbe.namespace, podProbe.name);
    if (pod !== undefined && isPodActive(pod) && pod.metadata.uid === podProbe.uid) matched.set(podProbe.uid, pod);
  }
  const effects: NodePodProbeEffect[] = [];
  const kept = (npp.spec?.podProbes ?? []).filter((p) => matched.has(p.uid));
  if (kept.length !== (npp.spec?.podProbes ?? []).length) effects.push({ kind: 'set-spec', spec: { ...npp.spec, podProbes: kept } });
  for (const status of npp.status?.podProbeStatuses ?? []) {
    const pod = matched.get(status.uid);
    if (pod === undefined) continue;
    const namespace = pod.metadata.namespace ?? '';
    const patch = podProbePatch(pod, podProbeMarks(status, (name) => snapshot.ppmOf(namespace, name)));
    if (patch.metadata !== undefined || patch.conditions !== undefined) effects.push({ kind: 'patch-pod', namespace, name: pod.metadata.name ?? '', uid: status.uid, patch });
  }
  return { reason: effects.length === 0 ? 'nothing-to-do' : 'sync', effects };
}
