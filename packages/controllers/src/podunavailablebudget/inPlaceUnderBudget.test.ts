import type { KubeObject } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloneSetWorld } from '../cloneset/cloneSetController.testkit.js';
import { startStatefulSetWorld } from '../statefulset/statefulSetController.testkit.js';
import type { WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { mostUpdatingAtOnce, startBudget } from './pubWorld.testkit.js';

// The shared executor's disruption check (PodUnavailableBudgetUpdateGate) on each kind that
// updates pods in place: 5 pods, the workload's maxUnavailable 3, a budget of maxUnavailable 1.

type World = WorkloadWorld<KubeObject> & { rolledOut(replicas: number): Promise<boolean> };
type Kind = { readonly name: string; readonly start: (gate: boolean) => Promise<World> };

const KINDS: readonly Kind[] = [
  {
    name: 'CloneSet',
    async start(gate) {
      const w = await startCloneSetWorld({ featureGates: { PodUnavailableBudgetUpdateGate: gate } });
      await w.create({ replicas: 5, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 });
      return w;
    },
  },
  {
    name: 'Advanced StatefulSet',
    async start(gate) {
      const w = await startStatefulSetWorld({ featureGates: { PodUnavailableBudgetUpdateGate: gate } });
      await w.create({ replicas: 5, podManagementPolicy: 'Parallel', podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 3 });
      return w;
    },
  },
];

let world: World | undefined;
let stopBudget: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopBudget?.();
  await world?.close();
  world = undefined;
  stopBudget = undefined;
});

async function rollOut(kind: Kind, gate: boolean): Promise<number> {
  const w = await kind.start(gate);
  world = w;
  await w.until(async () => w.rolledOut(5), 2000);
  stopBudget = await startBudget(w);
  const most = await mostUpdatingAtOnce(w, () => w.rolledOut(5));
  expect((await w.pods()).map((p) => p.spec.containers[0]?.image)).toEqual(Array(5).fill('nginx:2'));
  return most;
}

describe.each(KINDS)('$name in-place rollout under a PodUnavailableBudget', (kind) => {
  it('with PodUnavailableBudgetUpdateGate, maxUnavailable 3 under a budget of 1 updates one pod at a time', async () => {
    expect(await rollOut(kind, true)).toBe(1);
  });

  it('without the gate the workload takes its own maxUnavailable (3 at once)', async () => {
    expect(await rollOut(kind, false)).toBe(3);
  });
});
