/**
 * Test support for the Advanced DaemonSet planner's own tests (not exported from the package):
 * nodes in zones, the set's pods on nodes at a revision, a scheduler plus kubelet, and passes
 * run until nothing is left to write.
 */
import type { DaemonSet } from '../api/daemonSet.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../api/labels.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import { aDaemonSet, aNode, aPod, becomeReady, bindDaemonPods, simulateDaemonSetPass, T0, withDaemonPods, type DaemonSetOptions, type DaemonSetSimulation, type PodLifePhase, type SimulatedDaemonSetPass } from '../testing/index.js';
import { allPlannedEffects } from '../workload/workloadPassPlan.js';
import { daemonSetControllerRef } from './daemonSetPod.js';
import { daemonSetRevisions } from './daemonSetHistory.js';

export const ZONES = ['a', 'b', 'c'] as const;

/** Returns `count` nodes `node-00`.. in zones a, b, c in turn (two-digit names sort as numbers). */
export function zoneNodes(count: number, change: (node: Node, index: number) => Node = (n) => n): Node[] {
  return Array.from({ length: count }, (_, i) => change(aNode({ name: `node-${String(i).padStart(2, '0')}`, labels: { zone: ZONES[i % 3] ?? 'a' } }), i));
}

/** Returns the set with its template's first container running `image` and the generation bumped. */
export function withImage(ds: DaemonSet, image: string): DaemonSet {
  const [main, ...rest] = ds.spec.template.spec.containers;
  const containers = [{ ...main, name: main?.name ?? 'main', image }, ...rest];
  return { ...ds, metadata: { ...ds.metadata, generation: (ds.metadata?.generation ?? 1) + 1 }, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers } } } };
}

/** Returns the set's revision for its current template, as the planner creates it (with a uid, as stored). */
export function storedRevision(ds: DaemonSet, revisions: readonly ControllerRevision[] = []): ControllerRevision {
  const revision = daemonSetRevisions(ds, revisions).update;
  return { ...revision, metadata: { ...revision.metadata, uid: `uid-${revision.metadata.name ?? ''}` } };
}

/** Options of {@link dsPod}. */
export interface DsPodOptions {
  readonly name: string;
  /** Bound node. */
  readonly node: string;
  /** Revision hash label. */
  readonly hash: string;
  readonly phase?: PodLifePhase;
  readonly readySince?: EpochMs;
  readonly createdAt?: EpochMs;
  readonly image?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly inPlaceUpdateReady?: boolean;
  readonly finalizers?: readonly string[];
}

/** Returns a pod of `ds` bound to a node at a revision hash (owned, labelled `app: <set>`). */
export function dsPod(ds: DaemonSet, options: DsPodOptions): Pod {
  const pod = aPod({
    name: options.name,
    node: options.node,
    phase: options.phase ?? 'ready',
    ...(options.readySince === undefined ? {} : { readySince: options.readySince }),
    ...(options.createdAt === undefined ? {} : { createdAt: options.createdAt }),
    ...(options.inPlaceUpdateReady === undefined ? {} : { inPlaceUpdateReady: options.inPlaceUpdateReady }),
    ...(options.finalizers === undefined ? {} : { finalizers: options.finalizers }),
    labels: { app: ds.metadata?.name ?? '', [CONTROLLER_REVISION_HASH_LABEL]: options.hash, ...options.labels },
    containers: [{ name: 'main', image: options.image ?? 'nginx:1' }],
  });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [daemonSetControllerRef(ds)] } };
}

/** The scheduler and an all-ready kubelet: bind pinned pods to existing nodes, make them Ready. */
export function settle(sim: DaemonSetSimulation, now: EpochMs): DaemonSetSimulation {
  return withDaemonPods(sim, (pods) => becomeReady(bindDaemonPods(pods, sim.nodes), now));
}

/** Returns a fresh simulation of `aDaemonSet(options)` over `nodes`. */
export function startSimulation(options: DaemonSetOptions, nodes: readonly Node[]): DaemonSetSimulation {
  return { daemonSet: aDaemonSet(options), nodes, world: { pods: [], pvcs: [], revisions: [] } };
}

/**
 * Runs passes (one second apart from `from`), settling pods after each, until a pass writes
 * nothing and the kubelet has nothing left to change (a pass that only waits for a surge pod to
 * become Ready writes nothing, yet the rollout is not over); `check` sees every pass. Returns the
 * last simulation.
 */
export function converge(sim: DaemonSetSimulation, from: EpochMs = T0, check: (pass: SimulatedDaemonSetPass) => void = () => undefined, limit = 80): DaemonSetSimulation {
  let current = sim;
  for (let i = 0; i < limit; i++) {
    const now = from + i * 1000;
    const pass = simulateDaemonSetPass(current, { now });
    check(pass);
    current = settle(pass.next, now);
    if (allPlannedEffects(pass.plan).length === 0 && JSON.stringify(current.world.pods) === JSON.stringify(pass.next.world.pods)) return current;
  }
  throw new Error('did not converge');
}

/** The pods' names by node, sorted by node. */
export function podsByNode(pods: readonly Pod[]): Record<string, string[]> {
  const byNode: Record<string, string[]> = {};
  for (const pod of pods) (byNode[pod.spec.nodeName ?? '?'] ??= []).push(pod.metadata.name ?? '');
  return Object.fromEntries(Object.entries(byNode).sort(([a], [b]) => a.localeCompare(b)));
}

/** Returns the label hash of a pod. */
export const hashOf = (pod: Pod): string => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
