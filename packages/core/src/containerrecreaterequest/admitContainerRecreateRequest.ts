import {
  CRR_ACTIVE_LABEL,
  CRR_NODE_NAME_LABEL,
  CRR_POD_NAME_LABEL,
  CRR_POD_UID_LABEL,
  CRR_UNREADY_ACQUIRED_KEY,
  type ContainerRecreateRequest,
  type CrrContainer,
  type CrrProbeHandler,
} from '../api/containerRecreateRequest.js';
import type { Pod } from '../api/pod.js';
import type { FieldProblem } from '../shared/fieldProblem.js';
import { jsonEqual } from '../inplace/diffJson.js';
import { isPodActive } from '../shared/podState.js';

/** OpenKruise's smallest `activeDeadlineSeconds`. */
export const CRR_MIN_DEADLINE_SECONDS = 3;

/**
 * What the CRR mutating webhook decided on a CREATE: the defaulted CRR, or a refusal with the code
 * OpenKruise answers with (400 for a bad CRR or pod) and the field at fault.
 */
export type CrrAdmission =
  | { readonly kind: 'admitted'; readonly crr: ContainerRecreateRequest }
  | { readonly kind: 'refused'; readonly code: 400; readonly problem: FieldProblem };

/** The pod as the webhook found it: absent (404) or read. */
export type CrrPodLookup = { readonly kind: 'absent' } | { readonly kind: 'found'; readonly pod: Pod };

const refuse = (path: string, message: string): CrrAdmission => ({ kind: 'refused', code: 400, problem: { path, message } });

/**
 * Checks what does not need the pod (OpenKruise's order: podName, containers, deadline, grace
 * periods, failurePolicy); returns the first problem, or undefined.
 *
 * @example { podName: 'web-0', containers: [], ... } → { path: 'spec.containers', message: 'containers list can not be null' }
 */
export function crrSpecProblem(crr: ContainerRecreateRequest): FieldProblem | undefined {
  const { spec } = crr;
  const strategy = spec.strategy ?? {};
  if (spec.podName === '') return { path: 'spec.podName', message: 'podName can not be empty' };
  if (spec.containers.length === 0) return { path: 'spec.containers', message: 'containers list can not be null' };
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds < CRR_MIN_DEADLINE_SECONDS) {
    return { path: 'spec.activeDeadlineSeconds', message: `activeDeadlineSeconds can not be less than ${CRR_MIN_DEADLINE_SECONDS}s` };
  }
  if (strategy.terminationGracePeriodSeconds !== undefined && strategy.terminationGracePeriodSeconds < 0) {
    return { path: 'spec.strategy.terminationGracePeriodSeconds', message: 'terminationGracePeriodSeconds must be non-negative integer' };
  }
  if (strategy.unreadyGracePeriodSeconds !== undefined && strategy.unreadyGracePeriodSeconds < 0) {
    return { path: 'spec.strategy.unreadyGracePeriodSeconds', message: 'unreadyGracePeriodSeconds must be non-negative integer' };
  }
  return undefined;
}

interface Lifecycle {
  readonly preStop?: CrrProbeHandler;
}

function preStopOf(container: Record<string, unknown>): CrrProbeHandler | undefined {
  const lifecycle = container['lifecycle'] as Lifecycle | undefined;
  const preStop = lifecycle?.preStop;
  if (preStop === undefined) return undefined;
  // OpenKruise copies only the exec, httpGet and tcpSocket actions (not sleep).
  const { exec, httpGet, tcpSocket } = preStop;
  return { ...(exec === undefined ? {} : { exec }), ...(httpGet === undefined ? {} : { httpGet }), ...(tcpSocket === undefined ? {} : { tcpSocket }) };
}

type Injected = { readonly kind: 'ok'; readonly container: CrrContainer } | { readonly kind: 'problem'; readonly problem: FieldProblem };

const problem = (path: string, message: string): Injected => ({ kind: 'problem', problem: { path, message } });

function injectContainer(c: CrrContainer, index: number, pod: Pod, seen: Set<string>): Injected {
  const path = `spec.containers[${index}]`;
  if (seen.has(c.name)) return problem(`${path}.name`, `can not recreate ${c.name} multi times`);
  seen.add(c.name);
  if (c.preStop !== undefined || c.ports !== undefined || c.statusContext !== undefined) {
    return problem(path, 'preStop, ports, statusContext in container are ready-only fields');
  }
  const podContainer = pod.spec.containers.find((pc) => pc.name === c.name);
  if (podContainer === undefined) return problem(`${path}.name`, `container ${c.name} not found in Pod`);
  const status = pod.status?.containerStatuses?.find((cs) => cs.name === c.name);
  if (status === undefined) return problem(`${path}.name`, `not found ${c.name} containerStatus in Pod Status`);
  if ((status.containerID ?? '') === '') return problem(`${path}.name`, `no containerID in ${c.name} containerStatus, maybe the container has not been initialized`);
  const preStop = preStopOf(podContainer);
  const container: CrrContainer = {
    ...c,
    ...(preStop === undefined ? {} : { preStop }),
    ...(preStop?.httpGet !== undefined && podContainer.ports !== undefined ? { ports: podContainer.ports } : {}),
    statusContext: { containerID: status.containerID ?? '', restartCount: status.restartCount ?? 0 },
  };
  return { kind: 'ok', container };
}

/**
 * Returns the CRR as OpenKruise's mutating webhook makes it on CREATE: labels pod-name, active
 * `"true"`, node-name and pod-uid from the pod; strategy defaulted (failurePolicy `Fail`,
 * terminationGracePeriodSeconds from the pod); each container's preStop (and ports for an HTTP
 * preStop) copied from the pod and its `statusContext` from the pod's container status. Refuses
 * (400, with the field) a bad spec, a missing, inactive or unscheduled pod, a container named
 * twice, absent from the pod or without a container id, and read-only fields given by the user.
 *
 * @example pod web-0 (uid u1, node n1, app status { containerID: 'containerd://a', restartCount: 2 }),
 *   CRR { podName: 'web-0', containers: [{ name: 'app' }] }
 *   → labels { pod-name: web-0, active: 'true', node-name: n1, pod-uid: u1 }, strategy { failurePolicy: 'Fail' },
 *     containers [{ name: 'app', statusContext: { containerID: 'containerd://a', restartCount: 2 } }]
 */
export function admitContainerRecreateRequest(crr: ContainerRecreateRequest, lookup: CrrPodLookup): CrrAdmission {
  const specProblem = crrSpecProblem(crr);
  if (specProblem !== undefined) return refuse(specProblem.path, specProblem.message);
  const strategy = { ...crr.spec.strategy };
  if (strategy.failurePolicy === undefined || (strategy.failurePolicy as string) === '') strategy.failurePolicy = 'Fail';
  if (lookup.kind === 'absent') return refuse('spec.podName', `no found Pod named ${crr.spec.podName}`);
  const { pod } = lookup;
  if (!isPodActive(pod)) return refuse('spec.podName', 'not allowed to recreate containers in an inactive Pod');
  const nodeName = pod.spec.nodeName ?? '';
  if (nodeName === '') return refuse('spec.podName', 'not allowed to recreate containers in a pending Pod');
  if (strategy.terminationGracePeriodSeconds === undefined && pod.spec.terminationGracePeriodSeconds !== undefined) {
    strategy.terminationGracePeriodSeconds = pod.spec.terminationGracePeriodSeconds;
  }
  const seen = new Set<string>();
  const containers: CrrContainer[] = [];
  for (const [index, c] of crr.spec.containers.entries()) {
    const injected = injectContainer(c, index, pod, seen);
    if (injected.kind === 'problem') return { kind: 'refused', code: 400, problem: injected.problem };
    containers.push(injected.container);
  }
  const labels = {
    ...crr.metadata?.labels,
    [CRR_POD_NAME_LABEL]: crr.spec.podName,
    [CRR_ACTIVE_LABEL]: 'true',
    [CRR_NODE_NAME_LABEL]: nodeName,
    [CRR_POD_UID_LABEL]: pod.metadata.uid ?? '',
  };
  return { kind: 'admitted', crr: { ...crr, metadata: { ...crr.metadata, labels }, spec: { ...crr.spec, strategy, containers } } };
}

/**
 * Returns why OpenKruise's webhook refuses an UPDATE (403), or undefined: the spec is immutable
 * except `spec.containers`, the pod-name, pod-uid and node-name labels are immutable, and the
 * unready-acquired annotation cannot change once set.
 *
 * @example old spec.activeDeadlineSeconds 10, new 20 (containers equal) → { path: 'spec', message: 'spec of ContainerRecreateRequest is immutable, except spec.containers' }
 */
export function crrUpdateProblem(next: ContainerRecreateRequest, old: ContainerRecreateRequest): FieldProblem | undefined {
  // OpenKruise refuses a spec change that leaves the containers as they were (a change of the
  // containers, which the daemon makes when it fills statusContext, lets the rest through).
  if (!jsonEqual(next.spec, old.spec) && jsonEqual(next.spec.containers, old.spec.containers)) {
    return { path: 'spec', message: 'spec of ContainerRecreateRequest is immutable, except spec.containers' };
  }
  for (const key of [CRR_POD_NAME_LABEL, CRR_POD_UID_LABEL, CRR_NODE_NAME_LABEL]) {
    if ((next.metadata?.labels?.[key] ?? '') !== (old.metadata?.labels?.[key] ?? '')) return { path: `metadata.labels[${key}]`, message: `not allowed to update immutable label ${key}` };
  }
  const acquired = old.metadata?.annotations?.[CRR_UNREADY_ACQUIRED_KEY] ?? '';
  if (acquired !== '' && next.metadata?.annotations?.[CRR_UNREADY_ACQUIRED_KEY] !== acquired) {
    return { path: `metadata.annotations[${CRR_UNREADY_ACQUIRED_KEY}]`, message: `not allowed to update immutable annotation ${CRR_UNREADY_ACQUIRED_KEY}` };
  }
  return undefined;
}
