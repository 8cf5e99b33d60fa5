import type { CloneSet, CloneSetCondition, PodTemplateSpec } from '@kruise-ts/core';
import { aCloneSet, type CloneSetOptions } from '@kruise-ts/core/testing';
import { Resources, type KubeObject, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createCloneSetController, type CloneSetController } from './createCloneSetController.js';

export { CONTROLLER_FIELD_MANAGER, USER_FIELD_MANAGER, namesOf, podCondition, type PodObject, type RecordedEvent } from '../workload/workloadWorld.testkit.js';

/** A CloneSet as the memory cluster returns it. */
export type CloneSetObject = CloneSet & KubeObject;

/** Returns the CloneSet with its pod template changed by `change`. */
export function withTemplate(cloneSet: CloneSetObject, change: (template: PodTemplateSpec) => PodTemplateSpec): CloneSetObject {
  return { ...cloneSet, spec: { ...cloneSet.spec, template: change(cloneSet.spec.template) } };
}

/** A memory cluster with the CloneSet controller running on it, for controller-level tests. */
export interface CloneSetWorld extends WorkloadWorld<CloneSetObject> {
  readonly controller: CloneSetController;
  /** Creates a CloneSet in namespace `apps` from builder options (name `web` by default), changed by `change` when given. */
  create(options: CloneSetOptions, change?: (cloneSet: CloneSetObject) => CloneSetObject): Promise<CloneSetObject>;
  /**
   * Returns whether the CloneSet's latest spec is rolled out: observed, `replicas` pods updated and
   * available, no other pod counted, current revision = update revision.
   */
  rolledOut(replicas: number, name?: string): Promise<boolean>;
  /** Returns the condition `type` of the CloneSet's status, if any. */
  condition(type: string, name?: string): Promise<CloneSetCondition | undefined>;
}

/** Options of {@link startCloneSetWorld}. */
export interface CloneSetWorldOptions extends MemoryClusterOptions {
  /** Feature gates of the controller (OpenKruise defaults otherwise). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
  /** Log level of the controller (default silent). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent';
}

/**
 * Returns a memory cluster (3 nodes by default) with the CloneSet CRD served and the CloneSet
 * controller running, instance ids drawn from a counter so runs repeat (`web-i0000`,
 * `web-i0001`... in creation order).
 */
export async function startCloneSetWorld(options: CloneSetWorldOptions = {}): Promise<CloneSetWorld> {
  let next = 0;
  const world = await startWorkloadWorld<CloneSetObject>({
    ...options,
    resource: Resources.CloneSet,
    createController: (deps) => createCloneSetController({ ...deps, featureGates: options.featureGates ?? {}, instanceIdSuffix: () => `i${String(next++).padStart(4, '0')}` }),
  });
  const cloneSetWorld: CloneSetWorld = {
    ...world,
    async create(cs, change = (c) => c) {
      const object = aCloneSet({ namespace: 'apps', ...cs }) as CloneSetObject;
      return world.user.create(Resources.CloneSet, change(object));
    },
    async rolledOut(replicas, name) {
      const cs = await world.get(name);
      const status = cs.status;
      if (status === undefined || status.observedGeneration !== cs.metadata.generation) return false;
      return status.replicas === replicas && status.updatedAvailableReplicas === replicas && status.availableReplicas === replicas && status.currentRevision === status.updateRevision;
    },
    condition: async (type, name) => (await world.get(name)).status?.conditions?.find((c) => c.type === type),
  };
  return cloneSetWorld;
}
