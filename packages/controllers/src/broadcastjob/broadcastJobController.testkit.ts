import type { BroadcastJob } from '@kruise-ts/core';
import { aBroadcastJob, type BroadcastJobOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions, type Node } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type PodObject, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createBroadcastJobController } from './createBroadcastJobController.js';

/** A BroadcastJob as the memory cluster returns it. */
export type BroadcastJobObject = BroadcastJob & KubeObject;

/** A memory cluster with the 6 nodes (node-4 tainted, node-5 cordoned) and the BroadcastJob controller running on it. */
export interface BroadcastJobWorld extends WorkloadWorld<BroadcastJobObject> {
  /** Creates a job in namespace `apps` from builder options (name `warm` by default). */
  create(options?: BroadcastJobOptions): Promise<BroadcastJobObject>;
  /** Changes node `name` (read, change, replace as the user). */
  updateNode(name: string, change: (node: Node) => Node): Promise<void>;
  /** Pods of the job (terminating ones included) by node name, sorted by node. */
  podsByNode(job?: string): Promise<Record<string, string[]>>;
  /** Whether job `name` is gone. */
  gone(name?: string): Promise<boolean>;
}

/** Options of {@link startBroadcastJobWorld}. */
export interface BroadcastJobWorldOptions extends MemoryClusterOptions {
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

/** The names of the nodes a BroadcastJob may run on in the world: node-4 is tainted, node-5 cordoned. */
export const ELIGIBLE = ['node-0', 'node-1', 'node-2', 'node-3'];

/** Returns the world: 6 nodes, node-4 tainted `dedicated=gpu:NoSchedule`, node-5 cordoned. */
export async function startBroadcastJobWorld(options: BroadcastJobWorldOptions = {}): Promise<BroadcastJobWorld> {
  const world = await startWorkloadWorld<BroadcastJobObject>({
    nodes: Array.from({ length: 6 }, (_, i) => ({ name: `node-${String(i)}` })),
    ...options,
    resource: KruiseResources.BroadcastJob,
    createController: (deps) => createBroadcastJobController(deps),
  });
  async function updateNode(name: string, change: (node: Node) => Node): Promise<void> {
    for (;;) {
      const current = await world.user.get(Resources.Node, { name });
      try {
        await world.user.replace(Resources.Node, change(current));
        return;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConflictError')) throw error;
      }
    }
  }
  await updateNode('node-4', (n) => ({ ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }));
  await updateNode('node-5', (n) => ({ ...n, spec: { ...n.spec, unschedulable: true } }));
  return {
    ...world,
    get: (name = 'warm') => world.get(name),
    create: async (job = {}) => world.user.create(KruiseResources.BroadcastJob, aBroadcastJob({ namespace: 'apps', name: 'warm', ...job }) as BroadcastJobObject),
    updateNode,
    async podsByNode(job = 'warm') {
      const byNode: Record<string, string[]> = {};
      const mine = (await world.allPods()).filter((p: PodObject) => p.metadata.labels?.['broadcastjob-name'] === job);
      for (const pod of mine) (byNode[pod.spec.nodeName ?? ''] ??= []).push(pod.metadata.name ?? '');
      return Object.fromEntries(Object.entries(byNode).sort(([a], [b]) => (a < b ? -1 : 1)));
    },
    async gone(name = 'warm') {
      return (await world.user.list(KruiseResources.BroadcastJob, { namespace: 'apps' })).items.every((j) => j.metadata.name !== name);
    },
  };
}
