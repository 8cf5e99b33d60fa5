import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { NodeContainerProbe, NodePodProbeSpec, PodContainerProbe, PodProbe, PodProbeMarker } from '../api/podProbeMarker.js';
import { getPodCondition, isPodActive } from '../shared/podState.js';
import { matchesLabelSelector } from '../shared/selector.js';
import { isVirtualKubeletNode } from '../shared/virtualKubelet.js';


/** The pods a PodProbeMarker probes, split as OpenKruise's `getMatchingPods` splits them. */
export interface PodProbeMarkerPods {
  /** On ordinary nodes: their daemon probes them through the node's NodePodProbe. */
  readonly normal: readonly Pod[];
  /** On virtual-kubelet nodes: they report results themselves (EnablePodProbeMarkerOnServerless). */
  readonly serverless: readonly Pod[];
}

/**
 * Returns the pods of the PodProbeMarker's namespace its selector matches that are active,
 * Initialized and on a node that exists, split by node kind (virtual-kubelet or not).
 *
 * @example 3 matched pods: one Pending without node, one on node-a, one on a virtual-kubelet node → normal [on node-a], serverless [the other]
 */
export function matchPodProbeMarkerPods(ppm: PodProbeMarker, pods: readonly Pod[], nodeOf: (name: string) => Node | undefined): PodProbeMarkerPods {
  const normal: Pod[] = [];
  const serverless: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata.namespace !== ppm.metadata?.namespace || !matchesLabelSelector(ppm.spec.selector, pod.metadata.labels)) continue;
    const nodeName = pod.spec.nodeName ?? '';
    if (!isPodActive(pod) || getPodCondition(pod, 'Initialized')?.status !== 'True' || nodeName === '') continue;
    const node = nodeOf(nodeName);
    if (node === undefined) continue;
    (isVirtualKubeletNode(node) ? serverless : normal).push(pod);
  }
  return { normal, serverless };
}

/** A probe whose named port could not be resolved (it is left out, as OpenKruise does). */
export interface ProbePortProblem {
  readonly pod: string;
  readonly probe: string;
  readonly message: string;
}

/** The probe with a named httpGet/tcpSocket port replaced by the container's port number, or why not. */
function resolvePort(probe: PodContainerProbe, pod: Pod): PodContainerProbe | string {
  const handler = probe.probe.httpGet !== undefined ? 'httpGet' : probe.probe.tcpSocket !== undefined ? 'tcpSocket' : undefined;
  if (handler === undefined) return probe;
  const action = probe.probe[handler];
  if (action === undefined || typeof action.port === 'number') return probe;
  const container = pod.spec.containers.find((c) => c.name === probe.containerName);
  const where = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  if (container === undefined) return `Failed to get container by name: ${probe.containerName} in pod: ${where}`;
  const port = (container.ports ?? []).find((p) => p.name === action.port);
  if (port === undefined) return `Failed to extract port for container: ${probe.containerName} in pod: ${where}`;
  return { ...probe, probe: { ...probe.probe, [handler]: { ...action, port: port.containerPort } } };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Returns the NodePodProbe spec with the PodProbeMarker's probes set for each of `pods` (all on this
 * node): a pod already listed (same name, namespace, uid) gets its IP filled if empty and each probe
 * `<ppm>#<probe>` added or replaced; a new pod is appended with its IP and the probes. Named ports
 * are resolved to the container's port numbers; a probe whose port cannot be resolved is left out
 * and reported. `changed` says whether the spec differs (OpenKruise updates only then).
 *
 * @example empty spec, ppm "game" with probe "idle" (exec), pod web-0 (10.0.0.5) →
 *   { podProbes: [{ name: 'web-0', namespace, uid, IP: '10.0.0.5', probes: [{ name: 'game#idle', containerName, probe }] }] }
 */
export function mergePodProbeMarkerProbes(spec: NodePodProbeSpec | undefined, ppm: PodProbeMarker, pods: readonly Pod[]): { readonly spec: NodePodProbeSpec; readonly changed: boolean; readonly problems: readonly ProbePortProblem[] } {
  const podProbes: PodProbe[] = [...(spec?.podProbes ?? [])];
  const problems: ProbePortProblem[] = [];
  const ppmName = ppm.metadata?.name ?? '';
  for (const pod of pods) {
    const resolved: NodeContainerProbe[] = [];
    for (const probe of ppm.spec.probes) {
      const result = resolvePort(probe, pod);
      if (typeof result === 'string') problems.push({ pod: pod.metadata.name ?? '', probe: probe.name, message: result });
      else resolved.push({ name: `${ppmName}#${result.name}`, containerName: result.containerName, probe: result.probe });
    }
    const i = podProbes.findIndex((p) => p.name === pod.metadata.name && p.namespace === pod.metadata.namespace && p.uid === pod.metadata.uid);
    if (i < 0) {
      podProbes.push({ name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '', IP: pod.status?.podIP ?? '', ...(resolved.length === 0 ? {} : { probes: resolved }) });
      continue;
    }
    const existing = podProbes[i] as PodProbe;
    const probes = [...(existing.probes ?? [])];
    for (const probe of resolved) {
      const j = probes.findIndex((p) => p.name === probe.name);
      if (j < 0) probes.push(probe);
      else if (!same(probes[j], probe)) probes[j] = probe;
    }
    podProbes[i] = { ...existing, IP: existing.IP === '' ? (pod.status?.podIP ?? '') : existing.IP, ...(probes.length === 0 ? {} : { probes }) };
  }
  const next: NodePodProbeSpec = { ...spec, podProbes };
  return { spec: next, changed: !same(spec?.podProbes ?? [], podProbes), problems };
}

/**
 * Returns the NodePodProbe spec without the probes of PodProbeMarker `namespace/name` (those named
 * `<name>#...` on pods of that namespace); a pod left with no probe is dropped.
 *
 * @example pod web-0 with probes [game#idle, other#x], remove "game" → web-0 with [other#x]; with [game#idle] only → web-0 dropped
 */
export function removePodProbeMarkerProbes(spec: NodePodProbeSpec | undefined, namespace: string, name: string): { readonly spec: NodePodProbeSpec; readonly changed: boolean } {
  const before = spec?.podProbes ?? [];
  const podProbes: PodProbe[] = [];
  for (const podProbe of before) {
    if (podProbe.namespace !== namespace) {
      podProbes.push(podProbe);
      continue;
    }
    // OpenKruise matches with strings.Contains("<name>#"), so "ba#x" is removed with "a"; a prefix is what it means.
    const probes = (podProbe.probes ?? []).filter((p) => !p.name.startsWith(`${name}#`));
    if (probes.length > 0) podProbes.push({ ...podProbe, probes });
  }
  return { spec: { ...spec, podProbes }, changed: !same(before, podProbes) };
}
