import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneSet } from '../api/cloneSet.js';
import type { Pod } from '../api/pod.js';
import type { ControllerRevision } from '../shared/revision.js';
import { aCloneSet, aPod, aRevision, T0 } from '../testing/index.js';
import { calculateReplicaDiffs } from './calculateReplicaDiffs.js';
import { isCloneSetPodAvailable, isCloneSetPodReady, isSpecifiedDelete } from './cloneSetPod.js';
import { isPodAtRevision, podLifecycleState } from '../workload/workloadPod.js';
import { resolveCloneSetSettings } from './cloneSetSettings.js';
import { planScale, type ScalePlan } from './planScale.js';
import { planUpdate, type UpdatePlan } from './planUpdate.js';

const V1 = aRevision({ name: 'web-1', image: 'nginx:1' });
const V2 = aRevision({ name: 'web-2', image: 'nginx:2' });

interface World {
  readonly cloneSet: CloneSet;
  readonly pods: readonly Pod[];
  readonly current: ControllerRevision;
}

const podSpec = fc.record({ updated: fc.boolean(), ready: fc.boolean(), specified: fc.integer({ min: 0, max: 7 }).map((n) => n === 0) });
const intOrPercent = (ints: fc.Arbitrary<number>, percents: readonly string[]) => fc.oneof(ints, fc.constantFrom(...percents));

const worldArb: fc.Arbitrary<World> = fc
  .record({
    replicas: fc.integer({ min: 0, max: 8 }),
    partition: intOrPercent(fc.integer({ min: 0, max: 8 }), ['0%', '30%', '50%', '99%', '100%']),
    maxUnavailable: intOrPercent(fc.integer({ min: 1, max: 3 }), ['20%', '50%']),
    maxSurge: intOrPercent(fc.integer({ min: 0, max: 2 }), ['0%', '25%']),
    policy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const),
    pods: fc.array(podSpec, { maxLength: 10 }),
  })
  .map(({ replicas, partition, maxUnavailable, maxSurge, policy, pods }) => ({
    cloneSet: aCloneSet({ replicas, partition, maxUnavailable, maxSurge, podUpdatePolicy: policy, containers: [{ name: 'main', image: 'nginx:2' }] }),
    pods: pods.map((p, i) =>
      aPod({
        name: `web-${i}`,
        instanceId: String(i),
        revision: p.updated ? 'web-2' : 'web-1',
        lifecycle: 'Normal',
        phase: p.ready ? 'ready' : 'not-ready',
        specifiedDelete: p.specified,
        containers: [{ name: 'main', image: p.updated ? 'nginx:2' : 'nginx:1' }],
      }),
    ),
    current: V1,
  }));

const scaleOf = (w: World, now = T0): ScalePlan =>
  planScale({ cloneSet: w.cloneSet, pods: w.pods, currentRevision: w.current.metadata.name ?? '', updateRevision: 'web-2', now, instanceIdSuffixes: Array.from({ length: 20 }, (_, i) => `n${now}x${i}`) });
const updateOf = (w: World, now = T0): UpdatePlan => planUpdate({ cloneSet: w.cloneSet, pods: w.pods, currentRevision: w.current, updateRevision: V2, revisions: [V1, V2], now });
const available = (pod: Pod) => isCloneSetPodAvailable(pod, 0, T0);

describe('CloneSet plan properties', () => {
  it('never takes more pods down than maxUnavailable allows', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const settings = resolveCloneSetSettings(w.cloneSet);
        const surplus = w.pods.length - settings.replicas;
        // Deleting: pods asked to go do not count as unavailable (OpenKruise's accounting).
        const scale = scaleOf(w);
        if (scale.kind === 'delete') {
          const staying = w.pods.filter((p) => !isSpecifiedDelete(p, settings.podsToDelete));
          const down = staying.filter((p) => !available(p)).length;
          const deleted = new Set(scale.deletions.map((d) => d.pod));
          const readyTaken = w.pods.filter((p) => deleted.has(p.metadata.name ?? '') && isCloneSetPodReady(p, T0)).length;
          expect(readyTaken).toBeLessThanOrEqual(Math.max(settings.maxUnavailable + surplus - down, 0));
        }
        // Updating: every unavailable pod counts; updating an unavailable pod is free.
        const update = updateOf(w);
        if (update.kind === 'update') {
          const down = w.pods.filter((p) => !available(p)).length;
          const taken = new Set(update.decisions.map((d) => d.pod));
          const availableTaken = w.pods.filter((p) => taken.has(p.metadata.name ?? '') && available(p)).length;
          expect(down + availableTaken).toBeLessThanOrEqual(Math.max(settings.maxUnavailable + surplus, down));
        }
      }),
    );
  });

  it('never updates pods that partition protects', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { partition } = resolveCloneSetSettings(w.cloneSet);
        const update = updateOf(w);
        if (update.kind !== 'update' || update.reason !== 'roll-forward') return;
        const old = w.pods.filter((p) => !isPodAtRevision(p, 'web-2') && podLifecycleState(p) !== 'PreparingDelete').length;
        expect(old - update.decisions.length).toBeGreaterThanOrEqual(Math.min(partition, old));
      }),
    );
  });

  it('never deletes a pod it was not asked to', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const scale = scaleOf(w);
        if (scale.kind !== 'delete') return;
        const settings = resolveCloneSetSettings(w.cloneSet);
        const byName = new Map(w.pods.map((p) => [p.metadata.name ?? '', p]));
        for (const deletion of scale.deletions) {
          const pod = byName.get(deletion.pod);
          expect(pod).toBeDefined();
          if (deletion.reason === 'specified-delete') expect(isSpecifiedDelete(pod!, settings.podsToDelete)).toBe(true);
          if (deletion.reason === 'preparing-delete-released') expect(podLifecycleState(pod)).toBe('PreparingDelete');
        }
        if (scale.reason === 'scale-down') {
          expect(scale.deletions.length).toBeLessThanOrEqual(scale.diffs.scaleDownNum);
          expect(w.pods.length - scale.deletions.length).toBeGreaterThanOrEqual(settings.replicas);
        }
      }),
    );
  });

  it('never creates above replicas + maxSurge', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const scale = scaleOf(w);
        if (scale.kind !== 'create') return;
        const { replicas, maxSurge } = resolveCloneSetSettings(w.cloneSet);
        expect(w.pods.length + scale.creations.length).toBeLessThanOrEqual(replicas + maxSurge);
      }),
    );
  });

  it('agrees with calculateReplicaDiffs inside the plans', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const diffs = calculateReplicaDiffs({ cloneSet: w.cloneSet, pods: w.pods, currentRevision: 'web-1', updateRevision: 'web-2', now: T0 });
        expect(scaleOf(w).diffs).toEqual(diffs);
      }),
    );
  });
});
