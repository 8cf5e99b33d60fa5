import type { KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloneSetWorld } from '../cloneset/cloneSetController.testkit.js';
import { startDaemonSetWorld } from '../daemonset/daemonSetController.testkit.js';
import { startStatefulSetWorld } from '../statefulset/statefulSetController.testkit.js';
import type { WorkloadWorld } from './workloadWorld.testkit.js';

// The `unavailable-pod.kruise.io/` label on each Kruise workload, on the memory cluster with its
// controller: 3 ready pods, one labelled → the status counts 2 available (3 ready); with
// maxUnavailable 1 a rollout takes no available pod while the labelled one is there, and finishes
// once the label goes.

type World = WorkloadWorld<KubeObject> & { rolledOut(replicas: number): Promise<boolean> };
type Kind = {
  readonly name: string;
  readonly start: () => Promise<World>;
  readonly available: (status: Record<string, unknown> | undefined) => unknown;
  readonly ready: (status: Record<string, unknown> | undefined) => unknown;
  readonly blocks: boolean;
  /** Which of the pods (names in numeric order) gets the label: one the kind's update order does not take first, so an available pod comes first and must wait. */
  readonly labelled: (names: readonly string[]) => string;
};

const LABEL = 'unavailable-pod.kruise.io/maintenance';
const KINDS: readonly Kind[] = [
  {
    name: 'CloneSet',
    async start() {
      const w = await startCloneSetWorld();
      await w.create({ replicas: 3, maxUnavailable: 1 });
      return w;
    },
    available: (s) => s?.availableReplicas,
    ready: (s) => s?.readyReplicas,
    blocks: true,
    // Ready pods that tie in the update order go by name: the first name would be updated (recreated, unlabelled) first.
    labelled: (names) => names.at(-1) ?? '',
  },
  {
    name: 'Advanced StatefulSet',
    async start() {
      const w = await startStatefulSetWorld();
      await w.create({ replicas: 3, podManagementPolicy: 'Parallel', maxUnavailable: 1 });
      return w;
    },
    available: (s) => s?.availableReplicas,
    ready: (s) => s?.readyReplicas,
    blocks: true,
    // Ordinals are updated from the highest down.
    labelled: (names) => names[0] ?? '',
  },
  {
    name: 'Advanced DaemonSet',
    async start() {
      const w = await startDaemonSetWorld({ nodes: 3 });
      await w.create({ maxUnavailable: 1 });
      return w;
    },
    available: (s) => s?.numberAvailable,
    ready: (s) => s?.numberReady,
    // Kubernetes' DaemonSet rule: an old pod that is not available is replaced at once, outside the budget.
    blocks: false,
    labelled: (names) => names[0] ?? '',
  },
];

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.each(KINDS)('$name: a ready pod labelled unavailable-pod.kruise.io/', (kind) => {
  it('counts as unavailable, not as not ready; the rollout honours maxUnavailable 1 with it and finishes without it', async () => {
    const w = await kind.start();
    world = w;
    await w.until(async () => w.rolledOut(3), 2000);
    const labelledName = kind.labelled((await w.pods()).map((p) => p.metadata.name ?? '').sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    await w.patchPod(labelledName, { metadata: { labels: { [LABEL]: 'true' } } });
    const status = async () => (await w.get()).status as Record<string, unknown> | undefined;
    await w.until(async () => kind.available(await status()) === 2);
    expect(kind.ready(await status())).toBe(3);

    await w.setImage('nginx:2');
    if (kind.blocks) {
      await w.idle(5000);
      // Not one available pod taken: only the labelled one may have been replaced.
      const moved = (await w.pods()).filter((p) => p.spec.containers[0]?.image === 'nginx:2' || p.metadata.deletionTimestamp !== undefined).map((p) => p.metadata.name);
      expect(moved.every((name) => name === labelledName)).toBe(true);
      expect((await w.pods()).filter((p) => p.spec.containers[0]?.image === 'nginx:1').length).toBeGreaterThanOrEqual(2);
    }
    const labelled = (await w.pods()).find((p) => p.metadata.labels?.[LABEL] !== undefined);
    if (labelled !== undefined) await w.patchPod(labelled.metadata.name ?? '', { metadata: { labels: { [LABEL]: null } } });
    await w.until(async () => w.rolledOut(3), 3000);
    expect((await w.pods()).map((p) => p.spec.containers[0]?.image)).toEqual(['nginx:2', 'nginx:2', 'nginx:2']);
  });
});
