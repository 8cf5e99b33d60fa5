import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloneSetCondition } from '../api/cloneSet.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  INPLACE_UPDATE_READY_CONDITION,
  INPLACE_UPDATE_STATE_ANNOTATION,
  LIFECYCLE_STATE_LABEL,
  LIFECYCLE_TIMESTAMP_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  SPECIFIED_DELETE_LABEL,
} from '../api/labels.js';
import type { PersistentVolumeClaim, Pod } from '../api/pod.js';
import { simulateKubelet } from '../inplace/inplace.testkit.js';
import type { ControllerRevision } from '../shared/revision.js';
import { aCloneSet, aPod, aRevision, at, iso, somePods, T0, type CloneSetOptions, type PodOptions } from '../testing/index.js';
import { simulateWorkloadPass } from '../workload/simulateWorkloadEffects.js';
import type { EffectWave } from '../workload/podEffects.js';
import { effectObjectName, type WorkloadEffect } from '../workload/workloadEffect.js';
import { planCloneSetPass, type CloneSetPassPlan, type CloneSetSnapshot } from './planCloneSetPass.js';

/** A stored revision `web-<n>` recording the template of `aCloneSet({ containers: [main: nginx:<n>] })`. */
function rev(n: number): ControllerRevision {
  const revision = aRevision({ name: `web-${String(n)}`, revision: n, image: `nginx:${String(n)}` });
  return { ...revision, metadata: { ...revision.metadata, namespace: 'default', uid: `uid-web-${String(n)}` } };
}
const V1 = rev(1);
const image = (n: number) => [{ name: 'main', image: `nginx:${String(n)}` }];
const SUFFIXES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** `count` pods web-0… at `web-1`, Normal, ready, with the InPlaceUpdateReady gate (True), matching the selector. */
const podsAt1 = (count: number, options: PodOptions = {}) => somePods(count, 'web', { revision: 'web-1', lifecycle: 'Normal', inPlaceUpdateReady: true, ...options, labels: { app: 'web', ...options.labels } });

/** A pass over CloneSet `web` whose status says it runs `web-1` (the revision of nginx:1). */
function snapshot(cs: CloneSetOptions, pods: readonly Pod[], extra: Partial<CloneSetSnapshot> = {}): CloneSetSnapshot {
  return { cloneSet: aCloneSet({ status: { currentRevision: 'web-1', updateRevision: 'web-1' }, ...cs }), pods, pvcs: [], revisions: [V1], now: T0, instanceIdSuffixes: SUFFIXES, ...extra };
}
const plan = (cs: CloneSetOptions, pods: readonly Pod[], extra: Partial<CloneSetSnapshot> = {}) => planCloneSetPass(snapshot(cs, pods, extra));

function claim(name: string, id: string): PersistentVolumeClaim {
  return { metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web', 'apps.kruise.io/cloneset-instance-id': id } } };
}

/** Each wave as `kind name`. */
const waves = (list: readonly EffectWave[]) => list.map((wave) => wave.map((e) => `${e.kind} ${effectObjectName(e)}`));
const only = <K extends WorkloadEffect['kind']>(effects: readonly WorkloadEffect[], kind: K) => effects.filter((e): e is Extract<WorkloadEffect, { kind: K }> => e.kind === kind);

describe('planCloneSetPass: prelude', () => {
  it('an empty CloneSet: its revision is created first, then the scale stage creates the pods at it', () => {
    const pass = planCloneSetPass({ cloneSet: aCloneSet({ replicas: 3 }), pods: [], pvcs: [], revisions: [], now: T0, instanceIdSuffixes: SUFFIXES });
    const revision = pass.updateRevision.metadata.name ?? '';
    expect(revision).toMatch(/^web-/);
    expect(pass.prelude).toEqual([[{ kind: 'create-revision', revision: pass.updateRevision, reason: 'template-changed' }]]);
    expect(pass.currentRevision).toBe(pass.updateRevision);
    expect(pass.step.stage).toBe('scale');
    expect(only(pass.effects.flat(), 'create-pod').map((e) => e.pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])).toEqual([revision, revision, revision]);
  });

  it.each([
    { story: 'the newest revision records the template → nothing to register', revisions: [V1], prelude: [] },
    { story: 'an older one records it (rolled back to nginx:1) → renumbered to the top', revisions: [V1, rev(2)], prelude: [['renumber-revision web-1']] },
  ])('$story', ({ revisions, prelude }) => {
    const pass = plan({ replicas: 1 }, podsAt1(1), { revisions });
    expect(waves(pass.prelude)).toEqual(prelude);
    expect(pass.updateRevision.metadata.name).toBe('web-1');
  });

  it('releases owned pods whose labels no longer match, and does not count them', () => {
    const stray = aPod({ name: 'web-x', instanceId: 'x', revision: 'web-1', lifecycle: 'Normal', labels: { app: 'debug' } });
    const gone = aPod({ name: 'web-y', instanceId: 'y', revision: 'web-1', phase: 'succeeded', labels: { app: 'debug' } });
    const pass = plan({ replicas: 2 }, [...podsAt1(2), stray, gone]);
    expect(pass.prelude).toEqual([[{ kind: 'release-pod', target: { namespace: 'default', name: 'web-x', uid: 'uid-web-x' }, ownerUid: 'uid-web', reason: 'selector-no-longer-matches' }]]);
    // Two pods for two replicas: nothing to scale down, the stray is not in the status.
    expect(pass.step.stage).toBe('idle');
    expect(pass.status.replicas).toBe(2);
  });

  it('with PVC reuse off, deletes PVCs of vanished pods and hands those of inactive pods over to them', () => {
    const failed = aPod({ name: 'web-f', instanceId: 'f', revision: 'web-1', phase: 'failed', labels: { app: 'web' } });
    const pvcs = [claim('data-web-0', '0'), claim('data-web-f', 'f'), claim('data-web-gone', 'gone')];
    const pass = plan({ replicas: 2, volumeClaimTemplates: ['data'] }, [...podsAt1(2), failed], { pvcs });
    expect(pass.prelude).toEqual([
      [
        { kind: 'delete-pvc', target: { namespace: 'default', name: 'data-web-gone', uid: 'uid-data-web-gone' }, reason: 'pvc-reuse-disabled' },
        {
          kind: 'hand-over-pvc',
          target: { namespace: 'default', name: 'data-web-f', uid: 'uid-data-web-f' },
          owner: { apiVersion: 'v1', kind: 'Pod', name: 'web-f', uid: 'uid-web-f', controller: true, blockOwnerDeletion: true },
          reason: 'pvc-of-inactive-pod',
        },
      ],
    ]);
  });

  it('with PVC reuse on, leaves every PVC alone', () => {
    const pvcs = [claim('data-web-0', '0'), claim('data-web-gone', 'gone')];
    expect(plan({ replicas: 1, volumeClaimTemplates: ['data'], enablePVCReuse: true }, podsAt1(1), { pvcs }).prelude).toEqual([]);
  });
});

describe('planCloneSetPass: which stage acts', () => {
  it.each<{ story: string; cs: CloneSetOptions; pods: Pod[]; stage: string; failureCondition: string | undefined }>([
    { story: 'a replica missing and a new template → scale first', cs: { replicas: 3, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible' }, pods: podsAt1(2), stage: 'scale', failureCondition: 'FailedScale' },
    { story: 'a pod too many and a new template → scale first', cs: { replicas: 1, containers: image(2) }, pods: podsAt1(2), stage: 'scale', failureCondition: 'FailedScale' },
    { story: 'a pod in PreparingNormal and a new template → refresh before update', cs: { replicas: 2, containers: image(2) }, pods: [...podsAt1(1), ...podsAt1(1, { name: 'web-1', instanceId: '1', lifecycle: 'PreparingNormal' })], stage: 'refresh', failureCondition: 'FailedUpdate' },
    { story: 'every pod settled and a new template → update', cs: { replicas: 2, containers: image(2) }, pods: podsAt1(2), stage: 'update', failureCondition: 'FailedUpdate' },
    { story: 'every pod settled and up to date → idle', cs: { replicas: 2 }, pods: podsAt1(2), stage: 'idle', failureCondition: undefined },
  ])('$story', ({ cs, pods, stage, failureCondition }) => {
    const pass = plan(cs, pods);
    expect(pass.step.stage).toBe(stage);
    expect(pass.failureCondition).toBe(failureCondition);
  });
});

describe('planCloneSetPass: scale stage', () => {
  it.each([
    { story: 'replicas 5, no pod → slow start: 1, then 2, then the rest', cs: { replicas: 5 }, waves: [['create-pod web-a'], ['create-pod web-b', 'create-pod web-c'], ['create-pod web-d', 'create-pod web-e']] },
    {
      story: 'replicas 3 with a volumeClaimTemplate → each batch creates its PVCs, then its pods',
      cs: { replicas: 3, volumeClaimTemplates: ['data'] },
      waves: [['create-pvc data-web-a'], ['create-pod web-a'], ['create-pvc data-web-b', 'create-pvc data-web-c'], ['create-pod web-b', 'create-pod web-c']],
    },
  ])('$story', ({ cs, waves: expected }) => {
    const pass = plan(cs, []);
    expect(waves(pass.effects)).toEqual(expected);
    expect(pass.events).toEqual([]);
  });

  it('creates PreparingNormal pods at the update revision, owned by the CloneSet, with events for each', () => {
    const [[create]] = plan({ replicas: 1 }, []).effects as [[WorkloadEffect]];
    expect(create).toMatchObject({
      kind: 'create-pod',
      reason: 'scale-up',
      pod: {
        metadata: { name: 'web-a', labels: { app: 'web', [CONTROLLER_REVISION_HASH_LABEL]: 'web-1', [LIFECYCLE_STATE_LABEL]: 'PreparingNormal' }, ownerReferences: [{ kind: 'CloneSet', uid: 'uid-web', controller: true }] },
      },
      events: { success: { type: 'Normal', reason: 'SuccessfulCreate', message: 'succeed to create pod web-a' }, failure: { type: 'Warning', reason: 'FailedCreate', message: 'failed to create pod web-a' } },
    });
  });

  it.each([
    { story: 'scaleStrategy.maxUnavailable 2 of 5 to create → 2 created and a ScaleUpLimited warning', scaleMaxUnavailable: 2, created: 2, events: [{ type: 'Warning', reason: 'ScaleUpLimited', message: 'scaleUp is limited because of scaleStrategy.maxUnavailable, limit: 2' }] },
    { story: 'scaleStrategy.maxUnavailable 5 → all 5, no warning', scaleMaxUnavailable: 5, created: 5, events: [] },
  ])('$story', ({ scaleMaxUnavailable, created, events }) => {
    const pass = plan({ replicas: 5, scaleMaxUnavailable }, []);
    expect(only(pass.effects.flat(), 'create-pod')).toHaveLength(created);
    expect(pass.events).toEqual(events);
  });

  it('deletes a pod, then the PVCs of its instance id', () => {
    const pods = [...podsAt1(1), ...podsAt1(1, { name: 'web-1', instanceId: '1', phase: 'not-ready' })];
    const pass = plan({ replicas: 1, volumeClaimTemplates: ['data'] }, pods, { pvcs: [claim('data-web-0', '0'), claim('data-web-1', '1')] });
    expect(waves(pass.effects)).toEqual([['delete-pod web-1'], ['delete-pvc data-web-1']]);
    expect(pass.effects[0]?.[0]?.events).toEqual({ success: { type: 'Normal', reason: 'SuccessfulDelete', message: 'succeed to delete pod web-1' }, failure: { type: 'Warning', reason: 'FailedDelete', message: 'failed to delete pod web-1' } });
  });
});

describe('planCloneSetPass: refresh stage', () => {
  it('PreparingNormal → Normal (no preNormal hook): the state label and its timestamp', () => {
    const pass = plan({ replicas: 1 }, podsAt1(1, { lifecycle: 'PreparingNormal' }));
    expect(pass.effects).toEqual([
      [{ kind: 'patch-pod', target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' }, patch: { metadata: { labels: { [LIFECYCLE_STATE_LABEL]: 'Normal' }, annotations: { [LIFECYCLE_TIMESTAMP_ANNOTATION]: iso(T0) } } }, reason: 'lifecycle-pre-normal-hooks-ready' }],
    ]);
  });

  it('a pod without pod-template-hash gets it', () => {
    const pod = aPod({ name: 'web-0', instanceId: '0', lifecycle: 'Normal', labels: { app: 'web', [CONTROLLER_REVISION_HASH_LABEL]: 'web-1' } });
    expect(plan({ replicas: 1 }, [pod]).effects).toEqual([[{ kind: 'patch-pod', target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' }, patch: { metadata: { labels: { [POD_TEMPLATE_HASH_LABEL]: '1' } } }, reason: 'pod-template-hash-missing' }]]);
  });

  it('an in-place update the kubelet finished: InPlaceUpdateReady True and Updating → Normal in one status patch', () => {
    const cs = { replicas: 1, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible' as const };
    const first = plan(cs, podsAt1(1));
    const world = simulateWorkloadPass({ pods: podsAt1(1), pvcs: [], revisions: [V1] }, first, T0);
    const pass = plan(cs, world.pods.map((p) => simulateKubelet(p)), { revisions: world.revisions, now: at(5) });
    expect(pass.step.stage).toBe('refresh');
    expect(waves(pass.effects)).toEqual([['patch-pod-status web-0']]);
    expect(pass.effects.flat()).toMatchObject([
      { reason: 'in-place-update-completed', conditions: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'True' }], metadata: { labels: { [LIFECYCLE_STATE_LABEL]: 'Normal' } } },
    ]);
    // Applied, it leaves the pod as the two writes did.
    const after = simulateWorkloadPass({ pods: world.pods.map((p) => simulateKubelet(p)), pvcs: [], revisions: world.revisions }, pass, at(5)).pods[0];
    expect(after?.metadata.labels?.[LIFECYCLE_STATE_LABEL]).toBe('Normal');
    expect(after?.status?.conditions?.find((c) => c.type === INPLACE_UPDATE_READY_CONDITION)?.status).toBe('True');
  });
});

describe('planCloneSetPass: update stage', () => {
  it('in place: InPlaceUpdateReady False for every pod taken, then one patch each with labels, state and image', () => {
    const pass = plan({ replicas: 3, maxUnavailable: 2, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible' }, podsAt1(3));
    const update = pass.updateRevision.metadata.name ?? '';
    expect(waves(pass.effects)).toEqual([['patch-pod-status web-0', 'patch-pod-status web-1'], ['patch-pod web-0', 'patch-pod web-1']]);
    expect(pass.effects[0]?.[0]).toMatchObject({ conditions: [{ type: INPLACE_UPDATE_READY_CONDITION, status: 'False', reason: 'StartInPlaceUpdate' }] });
    expect(pass.effects[1]?.[0]).toMatchObject({
      patch: {
        metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: update, [LIFECYCLE_STATE_LABEL]: 'Updating' }, annotations: { [INPLACE_UPDATE_STATE_ANNOTATION]: expect.any(String) as string } },
        spec: { containers: [{ name: 'main', image: 'nginx:2' }] },
      },
      events: { success: { type: 'Normal', reason: 'SuccessfulUpdatePodInPlace', message: `successfully update pod web-0 in-place(revision ${update})` } },
    });
    expect(pass.requeueAfterMs).toBeUndefined();
  });

  it('ReCreate: the specified-delete label, so the scale stage recreates the pod', () => {
    const pass = plan({ replicas: 1, containers: image(2), podUpdatePolicy: 'ReCreate' }, podsAt1(1));
    const update = pass.updateRevision.metadata.name ?? '';
    expect(pass.effects).toEqual([
      [
        {
          kind: 'patch-pod',
          target: { namespace: 'default', name: 'web-0', uid: 'uid-web-0' },
          patch: { metadata: { labels: { [SPECIFIED_DELETE_LABEL]: 'true' } } },
          reason: 'recreate-policy',
          events: { success: { type: 'Normal', reason: 'SuccessfulUpdatePodReCreate', message: `successfully patch pod web-0 specified-delete for update(revision ${update})` } },
        },
      ],
    ]);
  });

  it('InPlaceOnly with an env change: no effect, a FailedUpdatePodInPlace warning and a FailedUpdate condition', () => {
    const pass = plan({ replicas: 1, podUpdatePolicy: 'InPlaceOnly', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'MODE', value: 'fast' }] }] }, podsAt1(1));
    expect(pass.step.stage).toBe('update');
    expect(pass.effects).toEqual([]);
    const message = 'pod web-0: update strategy is InPlaceOnly but the change needs a recreate (spec-changed: /spec/containers/0/env)';
    expect(pass.events).toEqual([{ type: 'Warning', reason: 'FailedUpdatePodInPlace', message }]);
    expect(pass.status.conditions).toEqual([{ type: 'FailedUpdate', status: 'True', message, lastTransitionTime: iso(T0) }]);
    expect(pass.failureCondition).toBe('FailedUpdate');
  });

  it('an inPlaceUpdate hook: the pod is parked in PreparingUpdate first', () => {
    const lifecycle = { inPlaceUpdate: { labelsHandler: { 'example.com/hook': 'true' } } };
    const pass = plan({ replicas: 1, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible', lifecycle }, podsAt1(1, { labels: { 'example.com/hook': 'true' } }));
    expect(pass.effects).toMatchObject([[{ kind: 'patch-pod', reason: 'lifecycle-in-place-update-hook', patch: { metadata: { labels: { [LIFECYCLE_STATE_LABEL]: 'PreparingUpdate' } } } }]]);
  });
});

describe('planCloneSetPass: idle', () => {
  it('no effect, no event, no failure condition; the step says why not scale and why not update', () => {
    const pass = plan({ replicas: 2 }, podsAt1(2));
    expect(pass).toMatchObject({ step: { stage: 'idle', scale: { kind: 'none', reason: 'replicas-satisfied' }, update: { kind: 'none', reason: 'update-complete' } }, prelude: [], effects: [], cleanups: [], events: [], requeueAfterMs: undefined });
    expect(pass).not.toHaveProperty('failureCondition');
  });
});

describe('planCloneSetPass: requeueAfterMs', () => {
  const preNormal = { preNormal: { finalizersHandler: ['example.com/pre'] } };
  const progressing = (since: number): CloneSetCondition => ({ type: 'Progressing', status: 'True', reason: 'CloneSetUpdated', message: 'CloneSet is progressing', lastUpdateTime: iso(since), lastTransitionTime: iso(since) });
  const heldInPreparingNormal = podsAt1(1, { lifecycle: 'PreparingNormal' });

  it.each<{ story: string; cs: CloneSetOptions; pods: Pod[]; stage: string; requeueAfterMs: number | undefined }>([
    { story: 'an in-place update with gracePeriodSeconds 30 starts → 30 s', cs: { replicas: 1, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible', gracePeriodSeconds: 30 }, pods: podsAt1(1), stage: 'update', requeueAfterMs: 30_000 },
    { story: 'minReadySeconds 30, a pod ready for 10 s → 20 s', cs: { replicas: 1, minReadySeconds: 30 }, pods: podsAt1(1, { readySince: at(-10) }), stage: 'idle', requeueAfterMs: 20_000 },
    {
      story: 'progressDeadlineSeconds 60, progressing for 20 s, held in PreparingNormal by a preNormal hook → 60 − 20 + 1 = 41 s',
      cs: { replicas: 1, progressDeadlineSeconds: 60, lifecycle: preNormal, status: { currentRevision: 'web-1', updateRevision: 'web-1', conditions: [progressing(at(-20))] } },
      pods: heldInPreparingNormal,
      stage: 'idle',
      requeueAfterMs: 41_000,
    },
    {
      story: 'the same without a Progressing condition yet → the timer starts now: 61 s',
      cs: { replicas: 1, progressDeadlineSeconds: 60, lifecycle: preNormal },
      pods: heldInPreparingNormal,
      stage: 'idle',
      requeueAfterMs: 61_000,
    },
    {
      story: 'the soonest wins: minReadySeconds 30 with 5 s to go, deadline in 41 s → 5 s',
      cs: { replicas: 2, minReadySeconds: 30, progressDeadlineSeconds: 60, lifecycle: preNormal, status: { currentRevision: 'web-1', updateRevision: 'web-1', conditions: [progressing(at(-20))] } },
      pods: [...podsAt1(1, { readySince: at(-25), finalizers: ['example.com/pre'] }), ...podsAt1(1, { name: 'web-1', instanceId: '1', lifecycle: 'PreparingNormal' })],
      stage: 'idle',
      requeueAfterMs: 5_000,
    },
    { story: 'nothing pending → none', cs: { replicas: 1 }, pods: podsAt1(1), stage: 'idle', requeueAfterMs: undefined },
  ])('$story', ({ cs, pods, stage, requeueAfterMs }) => {
    const pass = plan(cs, pods);
    expect(pass.step.stage).toBe(stage);
    expect(pass.requeueAfterMs).toBe(requeueAfterMs);
  });

  it('a grace period running: idle, back when it ends', () => {
    const cs = { replicas: 1, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible' as const, gracePeriodSeconds: 30 };
    const world = simulateWorkloadPass({ pods: podsAt1(1), pvcs: [], revisions: [V1] }, plan(cs, podsAt1(1)), T0);
    const pass = plan(cs, world.pods, { revisions: world.revisions, now: at(10) });
    expect([pass.step.stage, pass.requeueAfterMs]).toEqual(['idle', 20_000]);
    const ended = plan(cs, world.pods, { revisions: world.revisions, now: at(30) });
    expect([ended.step.stage, waves(ended.effects)]).toEqual(['refresh', [['patch-pod web-0']]]);
  });
});

describe('planCloneSetPass: clean-ups', () => {
  const history = [1, 2, 3, 4, 5].map(rev);
  const deleted = (pass: CloneSetPassPlan) => only(pass.cleanups, 'delete-revision').map((e) => e.target.name);

  it.each([
    { story: 'revisionHistoryLimit 1: the oldest unused goes', limit: 1, gone: ['web-1'] },
    { story: 'revisionHistoryLimit 0: every unused one goes', limit: 0, gone: ['web-1', 'web-2'] },
    { story: 'revisionHistoryLimit 2: nothing beyond it', limit: 2, gone: [] },
  ])('keeps the current (web-3), the pods’ (web-4) and the update (web-5) revisions: $story', ({ limit, gone }) => {
    const cs = aCloneSet({ replicas: 1, containers: image(5), status: { currentRevision: 'web-3', updateRevision: 'web-5' } });
    const pass = planCloneSetPass({ cloneSet: { ...cs, spec: { ...cs.spec, revisionHistoryLimit: limit } }, pods: podsAt1(1, { revision: 'web-4' }), pvcs: [], revisions: history, now: T0, instanceIdSuffixes: [] });
    expect(pass.updateRevision.metadata.name).toBe('web-5');
    expect(deleted(pass)).toEqual(gone);
  });

  it('drops the names of gone pods from podsToDelete: a JSON patch testing the list it read, then replacing it', () => {
    const pass = plan({ replicas: 2, podsToDelete: ['web-0', 'web-gone'] }, podsAt1(2));
    const path = '/spec/scaleStrategy/podsToDelete';
    expect(only(pass.cleanups, 'patch-workload')).toEqual([
      {
        kind: 'patch-workload',
        operations: [
          { op: 'test', path, value: ['web-0', 'web-gone'] },
          { op: 'replace', path, value: ['web-0'] },
        ],
        reason: 'pods-to-delete-gone',
      },
    ]);
  });

  it('leaves podsToDelete alone while every name is a live pod', () => {
    expect(plan({ replicas: 2, podsToDelete: ['web-1'] }, podsAt1(2)).cleanups).toEqual([]);
  });
});

describe('planCloneSetPass: one clock reading, no hidden input', () => {
  const scenarios: Record<string, (now: number) => CloneSetSnapshot> = {
    'scale up with PVCs': (now) => snapshot({ replicas: 4, volumeClaimTemplates: ['data'] }, podsAt1(1), { now }),
    'update in place': (now) => snapshot({ replicas: 3, maxUnavailable: 2, containers: image(2), podUpdatePolicy: 'InPlaceIfPossible', progressDeadlineSeconds: 600 }, podsAt1(3), { now }),
    'refresh with lifecycle moves': (now) => snapshot({ replicas: 2, lifecycle: { preDelete: { markPodNotReady: true, finalizersHandler: ['f'] } } }, podsAt1(2, { lifecycle: 'PreparingNormal' }), { now }),
    'refused InPlaceOnly update': (now) => snapshot({ replicas: 1, podUpdatePolicy: 'InPlaceOnly', containers: [{ name: 'main', image: 'nginx:1', env: [{ name: 'A', value: 'b' }] }] }, podsAt1(1), { now }),
  };
  const timestamps = (value: unknown) => new Set(JSON.stringify(value).match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g) ?? []);

  it.each(Object.keys(scenarios))('the same snapshot gives the same plan: %s', (name) => {
    const make = scenarios[name]!;
    expect(planCloneSetPass(make(at(90)))).toEqual(planCloneSetPass(make(at(90))));
  });

  it('every time a plan writes is the snapshot’s `now` (or one it read)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(scenarios)), fc.integer({ min: 1, max: 10 ** 6 }), (name, seconds) => {
        const input = scenarios[name]!(at(seconds));
        const pass = planCloneSetPass(input);
        const seen = timestamps({ ...input, now: undefined });
        const written = [...timestamps({ prelude: pass.prelude, effects: pass.effects, status: pass.status, cleanups: pass.cleanups })].filter((t) => !seen.has(t));
        // Every scenario writes a time (a lifecycle timestamp, a condition): exactly one, now.
        expect(written).toEqual([iso(at(seconds))]);
      }),
      { numRuns: 40 },
    );
  });

  it('draws instance-id suffixes only as many times as it creates pods', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 8 }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), (replicas, existing, scaleMaxUnavailable) => {
        let draws = 0;
        const suffixes = () => `s${String(draws++)}`;
        const pass = plan({ replicas, ...(scaleMaxUnavailable === undefined ? {} : { scaleMaxUnavailable }) }, podsAt1(existing), { instanceIdSuffixes: suffixes });
        expect(draws).toBe(only(pass.effects.flat(), 'create-pod').length);
      }),
    );
  });

  it('draws none when it updates', () => {
    let draws = 0;
    plan({ replicas: 2, containers: image(2) }, podsAt1(2), { instanceIdSuffixes: () => `s${String(draws++)}` });
    expect(draws).toBe(0);
  });
});

describe('planCloneSetPass: properties of any pass', () => {
  const podArb = fc.record({
    revision: fc.constantFrom('web-1', 'web-2', 'none'),
    phase: fc.constantFrom<PodOptions['phase']>('ready', 'ready', 'not-ready', 'pending', 'terminating', 'failed'),
    lifecycle: fc.constantFrom<PodOptions['lifecycle']>(undefined, 'Normal', 'Normal', 'PreparingNormal', 'PreparingDelete', 'Updating', 'Updated'),
    specifiedDelete: fc.boolean(),
    stray: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    hooked: fc.boolean(),
  });
  const scenarioArb = fc.record({
    replicas: fc.integer({ min: 0, max: 8 }),
    maxUnavailable: fc.constantFrom(1, 2, '50%'),
    policy: fc.constantFrom('ReCreate' as const, 'InPlaceIfPossible' as const, 'InPlaceOnly' as const),
    image: fc.constantFrom(1, 2),
    hooks: fc.boolean(),
    claims: fc.boolean(),
    pods: fc.array(podArb, { maxLength: 8 }),
  });
  const lifecycle = { preDelete: { finalizersHandler: ['example.com/hook'], markPodNotReady: true }, inPlaceUpdate: { finalizersHandler: ['example.com/hook'] } };
  const objectKind = (e: WorkloadEffect): string => (e.kind.endsWith('-pvc') ? 'pvc' : e.kind.endsWith('-revision') ? 'revision' : e.kind === 'patch-workload' ? 'cloneset' : 'pod');

  it('acts only on pods it owns (strays only released), writes each object at most once per wave, and a stage that acts writes something', () => {
    fc.assert(
      fc.property(scenarioArb, ({ replicas, maxUnavailable, policy, image: n, hooks, claims, pods: specs }) => {
        const pods = specs.map((p, i) =>
          aPod({
            name: `web-${String(i)}`,
            instanceId: String(i),
            phase: p.phase ?? 'ready',
            ...(p.revision === 'none' ? {} : { revision: p.revision }),
            ...(p.lifecycle === undefined ? {} : { lifecycle: p.lifecycle }),
            specifiedDelete: p.specifiedDelete,
            inPlaceUpdateReady: true,
            labels: { app: p.stray ? 'debug' : 'web' },
            ...(p.hooked && hooks ? { finalizers: ['example.com/hook'] } : {}),
          }),
        );
        const pvcs = claims ? pods.map((_, i) => claim(`data-web-${String(i)}`, String(i))) : [];
        const input = snapshot({ replicas, maxUnavailable, podUpdatePolicy: policy, containers: image(n), ...(claims ? { volumeClaimTemplates: ['data'] } : {}), ...(hooks ? { lifecycle } : {}) }, pods, { pvcs, revisions: [V1, rev(2)] });
        const pass = planCloneSetPass(input);
        const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
        for (const wave of [...pass.prelude, ...pass.effects]) {
          const objects = wave.map((e) => `${objectKind(e)}/${effectObjectName(e)}`);
          expect(new Set(objects).size, `one write per object per wave: ${objects.join(', ')}`).toBe(objects.length);
          for (const e of wave) {
            if (objectKind(e) !== 'pod' || e.kind === 'create-pod' || !('target' in e)) continue;
            const pod = byName.get(e.target.name);
            expect(pod?.metadata.uid, `${e.kind} targets a pod it read`).toBe(e.target.uid);
            expect(pod?.metadata.labels?.app === 'debug', `${e.kind} ${e.target.name}: strays are only released`).toBe(e.kind === 'release-pod');
          }
        }
        const refusedOrWaiting = pass.step.stage === 'update' && pass.step.update.decisions.every((d) => d.kind === 'wait' || d.kind === 'error');
        expect(pass.effects.length > 0, `stage ${pass.step.stage}`).toBe(pass.step.stage !== 'idle' && !refusedOrWaiting);
      }),
      { numRuns: 300 },
    );
  });
});
