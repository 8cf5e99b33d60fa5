import type { StatefulSet, StatefulSetCondition } from '@kruise-ts/core';
import { aStatefulSet, type StatefulSetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, type KubeObject, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { FEATURE_GATE_DEFAULTS } from '../manager/featureGates.js';
import { createStatefulSetController } from './createStatefulSetController.js';

/** An Advanced StatefulSet as the memory cluster returns it. */
export type StatefulSetObject = StatefulSet & KubeObject;

/** A memory cluster with the Advanced StatefulSet controller running on it, for controller-level tests. */
export interface StatefulSetWorld extends WorkloadWorld<StatefulSetObject> {
  /** Creates a set in namespace `apps` from builder options (name `web` by default), changed by `change` when given. */
  create(options: StatefulSetOptions, change?: (set: StatefulSetObject) => StatefulSetObject): Promise<StatefulSetObject>;
  /** Returns whether the set is rolled out: observed, `replicas` pods ready and updated, current revision = update revision. */
  rolledOut(replicas: number, name?: string): Promise<boolean>;
  /** Returns the condition `type` of the set's status, if any. */
  condition(type: string, name?: string): Promise<StatefulSetCondition | undefined>;
}

/** Options of {@link startStatefulSetWorld}. */
export interface StatefulSetWorldOptions extends MemoryClusterOptions {
  readonly featureGates?: Readonly<Record<string, boolean>>;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

/** Returns a memory cluster (3 nodes by default) serving Advanced StatefulSets, with their controller running. */
export async function startStatefulSetWorld(options: StatefulSetWorldOptions = {}): Promise<StatefulSetWorld> {
  const world = await startWorkloadWorld<StatefulSetObject>({
    ...options,
    resource: KruiseResources.StatefulSet,
    createController: (deps) => createStatefulSetController({ ...deps, featureGates: { ...FEATURE_GATE_DEFAULTS, ...options.featureGates } }),
  });
  return {
    ...world,
    create: async (set, change = (s) => s) => world.user.create(KruiseResources.StatefulSet, change(aStatefulSet({ namespace: 'apps', ...set }) as StatefulSetObject)),
    async rolledOut(replicas, name) {
      const set = await world.get(name);
      const status = set.status;
      if (status === undefined || status.observedGeneration !== set.metadata.generation) return false;
      return status.replicas === replicas && status.readyReplicas === replicas && status.updatedReplicas === replicas && status.currentRevision === status.updateRevision;
    },
    condition: async (type, name) => (await world.get(name)).status?.conditions?.find((c) => c.type === type),
  };
}
