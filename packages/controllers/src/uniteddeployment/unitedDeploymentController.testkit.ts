import { SUBSET_NAME_LABEL, type UnitedDeployment } from '@kruise-ts/core';
import { aUnitedDeployment, type UnitedDeploymentOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject, type MemoryClusterOptions } from '@kruise-ts/k8s-adapter';
import { createCloneSetController } from '../cloneset/createCloneSetController.js';
import { FEATURE_GATE_DEFAULTS } from '../manager/featureGates.js';
import { startWorkloadWorld, type WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createUnitedDeploymentController } from './createUnitedDeploymentController.js';

/** A UnitedDeployment as the memory cluster returns it. */
export type UnitedDeploymentObject = UnitedDeployment & KubeObject;
/** A child workload as the memory cluster returns it. */
export type ChildObject = KubeObject & { spec: { replicas?: number; selector?: unknown; updateStrategy?: Record<string, unknown>; template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> } }; status?: Record<string, unknown> };

/** A memory cluster with the UnitedDeployment controller (and the CloneSet controller) running on it. */
export interface UnitedDeploymentWorld extends WorkloadWorld<UnitedDeploymentObject> {
  /** Creates a UnitedDeployment in namespace `apps` from builder options (name `web`). */
  create(options: UnitedDeploymentOptions): Promise<UnitedDeploymentObject>;
  /** The children of every kind in namespace `apps`, by subset name (the first of each). */
  children(): Promise<Record<string, ChildObject>>;
  /** Every child object of every kind in namespace `apps`. */
  allChildren(): Promise<ChildObject[]>;
  /** Sets a child's status as its own controller would (for kinds no controller runs here). */
  setChildStatus(child: ChildObject, status: Record<string, unknown>): Promise<void>;
}

const CHILD_TYPES = [KruiseResources.CloneSet, KruiseResources.StatefulSet, Resources.AppsStatefulSet, Resources.Deployment] as const;

/**
 * Returns a memory cluster with nodes in zones `zone-a`, `zone-b`, `zone-c` (one each by default)
 * serving UnitedDeployments, CloneSets and Advanced StatefulSets, with the UnitedDeployment and
 * CloneSet controllers running (pods of CloneSet children are created and scheduled; other
 * children kinds get no pods).
 */
export async function startUnitedDeploymentWorld(options: MemoryClusterOptions & { readonly logLevel?: 'debug' | 'info' | 'warn' | 'silent' } = {}): Promise<UnitedDeploymentWorld> {
  let next = 0;
  const world = await startWorkloadWorld<UnitedDeploymentObject>({
    nodes: [{ zone: 'zone-a' }, { zone: 'zone-b' }, { zone: 'zone-c' }],
    ...options,
    resource: KruiseResources.UnitedDeployment,
    extraResources: [KruiseResources.CloneSet, KruiseResources.StatefulSet],
    createController: (deps) => {
      const cloneSets = createCloneSetController({ ...deps, featureGates: FEATURE_GATE_DEFAULTS, instanceIdSuffix: () => `i${String(next++).padStart(4, '0')}` });
      const abort = new AbortController();
      const running = cloneSets.controller.start(abort.signal);
      const ud = createUnitedDeploymentController(deps);
      return {
        controller: ud.controller,
        async stop() {
          await ud.stop();
          abort.abort();
          await running.catch(() => undefined);
          await cloneSets.stop();
        },
      };
    },
  });
  const allChildren = async (): Promise<ChildObject[]> => (await Promise.all(CHILD_TYPES.map(async (type) => (await world.user.list(type as typeof Resources.Deployment, { namespace: 'apps' })).items as ChildObject[]))).flat();
  return {
    ...world,
    create: async (options) => world.user.create(KruiseResources.UnitedDeployment, aUnitedDeployment({ namespace: 'apps', ...options }) as UnitedDeploymentObject),
    allChildren,
    async children() {
      const sorted = (await allChildren()).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
      const result: Record<string, ChildObject> = {};
      for (const child of sorted) result[child.metadata.labels?.[SUBSET_NAME_LABEL] ?? ''] ??= child;
      return result;
    },
    async setChildStatus(child, status) {
      const type = CHILD_TYPES.find((t) => t.kind === child.kind && `${t.group === '' ? '' : `${t.group}/`}${t.version}` === child.apiVersion) ?? Resources.Deployment;
      await world.user.patch(type, { name: child.metadata.name ?? '', namespace: 'apps' }, { type: 'merge', body: { status } }, { subresource: 'status' });
    },
  };
}
