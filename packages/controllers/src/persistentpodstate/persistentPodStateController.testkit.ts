import type { PersistentPodState } from '@kruise-ts/core';
import { aStatefulSet, type StatefulSetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, type KubeObject, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { FEATURE_GATE_DEFAULTS } from '../manager/featureGates.js';
import type { RunningController } from '../runtime/controllerDeps.js';
import { createStatefulSetController } from '../statefulset/createStatefulSetController.js';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import type { StatefulSetObject } from '../statefulset/statefulSetController.testkit.js';
import { createPersistentPodStateController } from './createPersistentPodStateController.js';

/** A PersistentPodState as the memory cluster returns it. */
export type PersistentPodStateObject = PersistentPodState & KubeObject;

/** A memory cluster (three nodes in zone-a, zone-b, zone-c) running the Advanced StatefulSet and PersistentPodState controllers. */
export interface PersistentPodStateWorld extends WorkloadWorld<StatefulSetObject> {
  /** Creates an Advanced StatefulSet in namespace `apps` (name `web` by default). */
  createSet(options: StatefulSetOptions, annotations?: Readonly<Record<string, string>>): Promise<StatefulSetObject>;
  /** Creates a PersistentPodState in namespace `apps`. */
  createState(pps: PersistentPodState): Promise<PersistentPodStateObject>;
  /** Reads PersistentPodState `name` of namespace `apps`, undefined when there is none. */
  state(name?: string): Promise<PersistentPodStateObject | undefined>;
}

/** Runs two controllers as one (the world starts and stops one). */
function both(first: RunningController, second: RunningController): RunningController {
  return {
    controller: {
      ...first.controller,
      start: async (signal) => {
        await Promise.all([first.controller.start(signal), second.controller.start(signal)]);
      },
      stop: async () => {
        await Promise.all([first.controller.stop(), second.controller.stop()]);
      },
    },
    stop: async () => {
      await Promise.all([first.stop(), second.stop()]);
    },
  };
}

/** Returns the world: Advanced StatefulSets and PersistentPodStates served, both controllers running. */
export async function startPersistentPodStateWorld(options: MemoryClusterOptions = {}): Promise<PersistentPodStateWorld> {
  const world = await startWorkloadWorld<StatefulSetObject>({
    ...options,
    resource: KruiseResources.StatefulSet,
    extraResources: [KruiseResources.PersistentPodState],
    createController: (deps) => both(createStatefulSetController({ ...deps, featureGates: FEATURE_GATE_DEFAULTS }), createPersistentPodStateController(deps)),
  });
  return {
    ...world,
    createSet: async (set, annotations = {}) => {
      const built = aStatefulSet({ namespace: 'apps', ...set }) as StatefulSetObject;
      return world.user.create(KruiseResources.StatefulSet, { ...built, metadata: { ...built.metadata, annotations: { ...built.metadata.annotations, ...annotations } } });
    },
    createState: async (pps) => world.user.create(KruiseResources.PersistentPodState, { ...pps, metadata: { ...pps.metadata, namespace: 'apps' } } as PersistentPodStateObject),
    state: async (name = 'web') => (await world.user.list(KruiseResources.PersistentPodState, { namespace: 'apps' })).items.find((p) => p.metadata.name === name),
  };
}
