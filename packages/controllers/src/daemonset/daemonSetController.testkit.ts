import type { DaemonSet } from '@kruise-ts/core';
import { aDaemonSet, type DaemonSetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions, type Node } from '@kruise-ts/k8s-adapter';
import { FEATURE_GATE_DEFAULTS } from '../manager/featureGates.js';
import { startWorkloadWorld, type PodObject, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createDaemonSetController } from './createDaemonSetController.js';

/** An Advanced DaemonSet as the memory cluster returns it. */
export type DaemonSetObject = DaemonSet & KubeObject;

/** The zones of the world's nodes, in turn: node i is in `ZONES[i % 3]`. */
export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;

/** A memory cluster with nodes in 3 zones and the Advanced DaemonSet controller running on it. */
export interface DaemonSetWorld extends WorkloadWorld<DaemonSetObject> {
  /** Creates a set in namespace `apps` from builder options (name `web` by default), changed by `change` when given. */
  create(options: DaemonSetOptions, change?: (set: DaemonSetObject) => DaemonSetObject): Promise<DaemonSetObject>;
  /** Changes node `name` (read, change, replace as the user). */
  updateNode(name: string, change: (node: Node) => Node): Promise<void>;
  /** Live pods by node name (sorted by node), as `node → pod names`. */
  podsByNode(): Promise<Record<string, string[]>>;
  /** Returns whether the set is settled: observed, `desired` nodes scheduled, ready, available and updated. */
  rolledOut(desired: number, name?: string): Promise<boolean>;
}

/** Options of {@link startDaemonSetWorld}. */
export interface DaemonSetWorldOptions extends MemoryClusterOptions {
  readonly featureGates?: Readonly<Record<string, boolean>>;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

/** Returns the live pods of `pods` grouped by node. */
export function groupByNode(pods: readonly PodObject[]): Record<string, string[]> {
  const byNode: Record<string, string[]> = {};
  for (const pod of pods) (byNode[pod.spec.nodeName ?? ''] ??= []).push(pod.metadata.name ?? '');
  return Object.fromEntries(Object.entries(byNode).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Returns a memory cluster (6 nodes in 3 zones by default) serving Advanced DaemonSets, with their controller running. */
export async function startDaemonSetWorld(options: DaemonSetWorldOptions = {}): Promise<DaemonSetWorld> {
  const nodes = options.nodes ?? Array.from({ length: 6 }, (_, i) => ({ name: `node-${String(i)}`, zone: ZONES[i % 3] ?? 'zone-a' }));
  const world = await startWorkloadWorld<DaemonSetObject>({
    ...options,
    nodes,
    resource: KruiseResources.DaemonSet,
    createController: (deps) => createDaemonSetController({ ...deps, featureGates: { ...FEATURE_GATE_DEFAULTS, ...options.featureGates } }),
  });
  const result: DaemonSetWorld = {
    ...world,
    create: async (set, change = (s) => s) => world.user.create(KruiseResources.DaemonSet, change(aDaemonSet({ namespace: 'apps', name: 'web', ...set }) as DaemonSetObject)),
    async updateNode(name, change) {
      for (;;) {
        const current = await world.user.get(Resources.Node, { name });
        try {
          await world.user.replace(Resources.Node, change(current));
          return;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ConflictError')) throw error;
        }
      }
    },
    podsByNode: async () => groupByNode(await world.pods()),
    async rolledOut(desired, name = 'web') {
      const set = await world.get(name);
      const s = set.status;
      if (s === undefined || s.observedGeneration !== set.metadata.generation) return false;
      return s.desiredNumberScheduled === desired && s.currentNumberScheduled === desired && s.numberReady === desired && s.numberAvailable === desired && s.updatedNumberScheduled === desired;
    },
  };
  return result;
}
