import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { StatefulSet } from '../api/statefulSet.js';
import { planCloneSetPass } from '../cloneset/planCloneSetPass.js';
import { converge as convergeDaemonSet, startSimulation, withImage, zoneNodes } from '../daemonset/daemonset.testkit.js';
import { planDaemonSetPass } from '../daemonset/planDaemonSetPass.js';
import { planStatefulSetPass } from '../statefulset/planStatefulSetPass.js';
import { aCloneSet, aRevision, aStatefulSet, at, becomeReady, simulateStatefulSetPass, somePods, T0, withDaemonPods, withPods, type StatefulSetSimulation } from '../testing/index.js';
import { allPlannedEffects } from './workloadPassPlan.js';
import type { WorkloadEffect } from './workloadEffect.js';

// One file over the kinds: a ready pod carrying an `unavailable-pod.kruise.io/` label is
// unavailable to every Kruise workload (availableReplicas, and the maxUnavailable budget of an
// update), while it still counts as ready. PodUnavailableBudget's side is in pub/ (computePubStatus,
// decidePubAdmission): the same `hasUnavailableLabel`.

const UNAVAILABLE = { 'unavailable-pod.kruise.io/maintenance': 'true' };
const withLabel = (pod: Pod): Pod => ({ ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, ...UNAVAILABLE } } });
const labelOnly = (names: readonly string[]) => (pods: readonly Pod[]): Pod[] => pods.map((p) => (names.includes(p.metadata.name ?? '') ? withLabel(p) : p));
const touched = (effects: readonly WorkloadEffect[]): string[] => [...new Set(effects.map((e) => ('target' in e ? e.target.name : '')).filter((n) => n !== ''))].sort();

describe('unavailable-pod.kruise.io/ label: CloneSet', () => {
  const v1 = (() => {
    const revision = aRevision({ name: 'web-1', revision: 1, image: 'nginx:1' });
    return { ...revision, metadata: { ...revision.metadata, namespace: 'default', uid: 'uid-web-1' } };
  })();
  const pods = (labelled: readonly string[]) => labelOnly(labelled)(somePods(3, 'web', { revision: 'web-1', lifecycle: 'Normal', inPlaceUpdateReady: true, labels: { app: 'web' } }));
  const pass = (labelled: readonly string[]) =>
    planCloneSetPass({
      cloneSet: aCloneSet({ replicas: 3, maxUnavailable: 1, containers: [{ name: 'main', image: 'nginx:2' }], podUpdatePolicy: 'InPlaceIfPossible', status: { currentRevision: 'web-1', updateRevision: 'web-1' } }),
      pods: pods(labelled),
      pvcs: [],
      revisions: [v1],
      now: T0,
      instanceIdSuffixes: ['a', 'b', 'c'],
    });

  it.each([
    { story: 'no label: one pod of 3 updated (maxUnavailable 1), 3 available', labelled: [], updated: ['web-0'], available: 3 },
    { story: 'web-2 labelled: the budget of 1 is spent, no available pod is taken; 2 available, 3 ready', labelled: ['web-2'], updated: [], available: 2 },
    { story: 'web-1 and web-2 labelled: over the budget, nothing updated; 1 available', labelled: ['web-1', 'web-2'], updated: [], available: 1 },
  ])('$story', ({ labelled, updated, available }) => {
    const plan = pass(labelled);
    expect(touched(plan.effects.flat())).toEqual(updated);
    if (updated.length === 0) expect(plan.step).toMatchObject({ update: { kind: 'none', reason: 'max-unavailable-reached' } });
    expect(plan.status).toMatchObject({ readyReplicas: 3, availableReplicas: available });
  });
});

describe('unavailable-pod.kruise.io/ label: Advanced StatefulSet', () => {
  function converge(sim: StatefulSetSimulation, now = T0): StatefulSetSimulation {
    let current = sim;
    for (let i = 0; i < 60; i++) {
      const step = simulateStatefulSetPass(current, { now: now + i * 1000 });
      current = withPods(step.next, (pods) => becomeReady(pods, now + i * 1000));
      if (allPlannedEffects(step.plan).length === 0) return current;
    }
    throw new Error('did not converge');
  }
  const withTemplateImage = (set: StatefulSet, image: string): StatefulSet => ({
    ...set,
    metadata: { ...set.metadata, generation: (set.metadata?.generation ?? 1) + 1 },
    spec: { ...set.spec, template: { ...set.spec.template, spec: { ...set.spec.template.spec, containers: [{ name: 'main', image }] } } },
  });
  const five = converge({ statefulSet: aStatefulSet({ replicas: 5, maxUnavailable: 2, podManagementPolicy: 'Parallel' }), world: { pods: [], pvcs: [], revisions: [] } });

  it.each([
    { story: 'no label: web-4 and web-3 go (maxUnavailable 2)', labelled: [], deleted: ['web-3', 'web-4'], available: 5 },
    { story: 'web-1 labelled: it takes one of the 2, so only web-4 goes', labelled: ['web-1'], deleted: ['web-4'], available: 4 },
    { story: 'web-0 and web-1 labelled: the budget is spent, nothing goes', labelled: ['web-0', 'web-1'], deleted: [], available: 3 },
  ])('$story', ({ labelled, deleted, available }) => {
    const sim = withPods(five, labelOnly(labelled));
    const plan = planStatefulSetPass({ statefulSet: withTemplateImage(sim.statefulSet, 'nginx:2'), ...sim.world, now: at(100) });
    expect(touched(plan.effects.flat().filter((e) => e.kind === 'delete-pod'))).toEqual(deleted);
    expect(plan.status).toMatchObject({ readyReplicas: 5, availableReplicas: available });
  });

  it('OrderedReady waits on a labelled pod as on any unavailable one: nothing is updated', () => {
    const ordered = converge({ statefulSet: aStatefulSet({ replicas: 3, maxUnavailable: 2 }), world: { pods: [], pvcs: [], revisions: [] } });
    const sim = withPods(ordered, labelOnly(['web-1']));
    const plan = planStatefulSetPass({ statefulSet: withTemplateImage(sim.statefulSet, 'nginx:2'), ...sim.world, now: at(100) });
    expect(plan.step.replicas?.end).toMatchObject({ kind: 'exit', reason: 'waiting-for-available' });
    expect(plan.effects.flat().filter((e) => e.kind === 'delete-pod')).toEqual([]);
  });
});

describe('unavailable-pod.kruise.io/ label: Advanced DaemonSet', () => {
  const three = convergeDaemonSet(startSimulation({ maxUnavailable: 1 }, zoneNodes(3)));

  // OpenKruise's rolling update (as Kubernetes' before 1.27): an old pod that is not available is
  // replaced at once ("allowed"), and available ones while maxUnavailable has room — the labelled
  // pod is replaced as an unavailable one, whatever the budget.
  it.each([
    { story: 'no label: one old pod deleted (maxUnavailable 1), 3 available', labelled: 0, deleted: 1, available: 3 },
    { story: 'one pod labelled: replaced at once as unavailable, plus one available pod within the budget; 2 available', labelled: 1, deleted: 2, available: 2 },
    { story: 'two pods labelled: both replaced as unavailable, plus one within the budget; 1 available', labelled: 2, deleted: 3, available: 1 },
  ])('$story', ({ labelled, deleted, available }) => {
    const names = three.world.pods.map((p) => p.metadata.name ?? '').sort().slice(0, labelled);
    const sim = withDaemonPods(three, labelOnly(names));
    const plan = planDaemonSetPass({ daemonSet: withImage(sim.daemonSet, 'nginx:2'), nodes: sim.nodes, pods: sim.world.pods, revisions: sim.world.revisions, now: at(100) });
    const gone = touched(plan.effects.flat().filter((e) => e.kind === 'delete-pod'));
    expect(gone).toHaveLength(deleted);
    expect(gone).toEqual(expect.arrayContaining(names));
    expect(plan.status).toMatchObject({ numberReady: 3, numberAvailable: available });
  });
});
