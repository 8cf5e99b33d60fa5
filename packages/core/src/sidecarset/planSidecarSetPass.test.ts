import { describe, expect, it } from 'vitest';
import { SIDECARSET_NAME_LABEL, SIDECARSET_UPGRADABLE_CONDITION } from '../api/labels.js';
import type { Pod } from '../api/pod.js';
import type { SidecarSet, SidecarSetUpdateStrategy } from '../api/sidecarSet.js';
import { buildSidecarSetRevision } from '../api/sidecarSetRevision.js';
import type { ControllerRevision } from '../shared/revision.js';
import type { EffectWave } from '../workload/podEffects.js';
import { injectSidecars } from './injectSidecars.js';
import { planSidecarSetPass, type SidecarSetPassPlan, type SidecarSetSnapshot } from './planSidecarSetPass.js';
import { withSidecarSetHashAnnotations } from './sidecarSetHash.js';
import { NOW, webPod } from './sidecarset.testkit.js';

const NAMESPACE = 'kruise-system';

// The kubelet after a sync: every container runs its spec image (imageID `<image>-id`) and is ready.
const kubelet = (pod: Pod): Pod => ({
  ...pod,
  status: { ...pod.status, containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: `${c.image ?? ''}-id`, ready: true })) },
});

/** SidecarSet `log` running fluentd `image` (with `args`) on pods labelled app=web. */
function log(image: string, options: { args?: string[]; updateStrategy?: SidecarSetUpdateStrategy; revisionHistoryLimit?: number } = {}): SidecarSet {
  return withSidecarSetHashAnnotations({
    metadata: { name: 'log', uid: 'uid-log' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      containers: [{ name: 'fluentd', image, ...(options.args === undefined ? {} : { args: options.args }) }],
      ...(options.updateStrategy === undefined ? {} : { updateStrategy: options.updateStrategy }),
      ...(options.revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit: options.revisionHistoryLimit }),
    },
  });
}

/** A stored revision of `ss` (number `n`), as an earlier pass registered it. */
function stored(ss: SidecarSet, n: number): ControllerRevision {
  const revision = buildSidecarSetRevision({ sidecarSet: ss, namespace: NAMESPACE, revision: n, collisionCount: 0 });
  return { ...revision, metadata: { ...revision.metadata, uid: `uid-${revision.metadata.name ?? ''}` } };
}

/** Pod `name` created with `ss` injected, synced by the kubelet, at resourceVersion 7. */
function injected(ss: SidecarSet, name: string): Pod {
  const result = injectSidecars(webPod(name, [{ name: 'app', image: 'app:1' }], { uid: `uid-${name}`, resourceVersion: '7' }), [ss], {}, { now: NOW });
  if (result.kind !== 'injected') throw new Error(`not injected: ${result.kind}`);
  return kubelet(result.pod);
}

const V1 = log('fluentd:1');
const podsOn = (ss: SidecarSet, count: number) => Array.from({ length: count }, (_, i) => injected(ss, `web-${String(i)}`));

function pass(sidecarSet: SidecarSet, pods: readonly Pod[], revisions: readonly ControllerRevision[] = [stored(V1, 1)]): SidecarSetPassPlan {
  const snapshot: SidecarSetSnapshot = { sidecarSet, pods, revisions, revisionNamespace: NAMESPACE, now: NOW };
  return planSidecarSetPass(snapshot);
}

/** Each wave as `kind pod`, a guarded status write marked so. */
const waves = (list: readonly EffectWave[]) =>
  list.map((wave) => wave.map((e) => (e.kind === 'patch-pod-status' ? `status ${e.target.name}${e.guard === undefined ? '' : ` @${e.guard.resourceVersion}`}` : e.kind === 'patch-pod' ? `patch ${e.target.name}` : e.kind)));

/** The pod with its SidecarSetUpgradable condition as `planned` wrote it (a status patch merged by type). */
function marked(pod: Pod, status: 'True' | 'False', message: string): Pod {
  const condition = { type: SIDECARSET_UPGRADABLE_CONDITION, status, reason: status === 'True' ? 'AllSidecarsetUpgradable' : 'UpdateImmutableField', message, lastTransitionTime: '2024-12-31T23:00:00Z' };
  return { ...pod, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), condition] } };
}

describe('planSidecarSetPass: the revision of the spec', () => {
  it('first pass: the revision is registered in the prelude, in the manager namespace, and the status names it', () => {
    const result = pass(V1, podsOn(V1, 1), []);
    expect(result.prelude).toHaveLength(1);
    const [[create]] = result.prelude as [[SidecarSetPassPlan['cleanups'][number]]];
    expect(create).toMatchObject({ kind: 'create-revision', reason: 'template-changed', revision: { metadata: { namespace: NAMESPACE, labels: { [SIDECARSET_NAME_LABEL]: 'log' } }, revision: 1 } });
    const name = create.kind === 'create-revision' ? create.revision.metadata.name : undefined;
    expect(result.latestRevision).toBe(name);
    expect(result.status.latestRevision).toBe(name);
  });

  it.each([
    { story: 'already registered → nothing', revisions: [stored(V1, 1)], prelude: [] },
    { story: 'the spec went back to an older revision → renumbered to the top', revisions: [stored(V1, 1), stored(log('fluentd:2'), 2)], prelude: [['renumber-revision']] },
  ])('$story', ({ revisions, prelude }) => {
    const result = pass(V1, podsOn(V1, 1), revisions);
    expect(result.prelude.map((w) => w.map((e) => e.kind))).toEqual(prelude);
    expect(result.latestRevision).toBe(stored(V1, 1).metadata.name);
  });
});

describe('planSidecarSetPass: upgrades', () => {
  const v2 = log('fluentd:2', { updateStrategy: { maxUnavailable: 2 } });

  it('maxUnavailable 2 of 3 pods: SidecarSetUpgradable True (guarded) for both, then one patch each', () => {
    const result = pass(v2, podsOn(V1, 3));
    expect(result.step.stage).toBe('upgrade');
    expect(waves(result.effects)).toEqual([['status web-0 @7', 'status web-1 @7'], ['patch web-0', 'patch web-1']]);
    expect(result.effects[0]?.[0]).toMatchObject({
      reason: 'sidecars-upgraded',
      conditions: [{ type: SIDECARSET_UPGRADABLE_CONDITION, status: 'True', reason: 'AllSidecarsetUpgradable', message: '{"log":true}' }],
      changes: [{ kind: 'mark-sidecarset-upgradable', sidecarSet: 'log', upgradable: true }],
    });
    expect(result.effects[1]?.[0]).toMatchObject({ kind: 'patch-pod', reason: 'sidecar-image-changed', patch: { spec: { containers: [{ name: 'fluentd', image: 'fluentd:2' }] } } });
    expect(result.events).toEqual([]);
    expect(result.requeueAfterMs).toBeUndefined();
    expect(result).not.toHaveProperty('failureCondition');
  });

  it('a pod already marked upgradable gets the patch only, in the first wave', () => {
    const [first, second] = podsOn(V1, 2) as [Pod, Pod];
    const result = pass(v2, [marked(first, 'True', '{"log":true}'), second]);
    expect(waves(result.effects)).toEqual([['patch web-0', 'status web-1 @7'], ['patch web-1']]);
  });

  it('everything at the spec → idle, nothing to write', () => {
    const result = pass(V1, podsOn(V1, 2));
    expect(result).toMatchObject({ step: { stage: 'idle', update: { decision: { kind: 'idle', reason: 'update-complete' } } }, effects: [], events: [] });
  });
});

describe('planSidecarSetPass: pods that cannot be upgraded in place', () => {
  const changedArgs = log('fluentd:2', { args: ['-v'], updateStrategy: { maxUnavailable: 3 } });
  const event = { type: 'Normal', reason: 'NotUpgradablePods', message: 'SidecarSet in-place update detected 3 not upgradable pod(s) in this round, will skip them.' };

  it.each([
    { story: 'none marked yet → every one marked False (guarded), one NotUpgradablePods event', markedCount: 0, stage: 'mark-not-upgradable', waves: [['status web-0 @7', 'status web-1 @7', 'status web-2 @7']], events: [event] },
    { story: 'one already marked → the other two, and the event (something is new)', markedCount: 1, stage: 'mark-not-upgradable', waves: [['status web-1 @7', 'status web-2 @7']], events: [event] },
    { story: 'all already marked → nothing to write, no event', markedCount: 3, stage: 'idle', waves: [], events: [] },
  ])('$story', ({ markedCount, stage, waves: expected, events }) => {
    const pods = podsOn(V1, 3).map((p, i) => (i < markedCount ? marked(p, 'False', '{"log":false}') : p));
    const result = pass(changedArgs, pods);
    expect(result.step).toMatchObject({ stage, update: { decision: { kind: 'idle', reason: 'no-candidates' } } });
    expect(waves(result.effects)).toEqual(expected);
    expect(result.events).toEqual(events);
    for (const effect of result.effects.flat()) {
      expect(effect).toMatchObject({ reason: 'sidecars-not-upgradable', conditions: [{ type: SIDECARSET_UPGRADABLE_CONDITION, status: 'False', reason: 'UpdateImmutableField', message: '{"log":false}' }] });
    }
  });
});

describe('planSidecarSetPass: hot upgrade', () => {
  const envoy = (image: string) =>
    withSidecarSetHashAnnotations({
      metadata: { name: 'mesh', uid: 'uid-mesh' },
      spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'envoy', image, upgradeStrategy: { upgradeType: 'HotUpgrade', hotUpgradeEmptyImage: 'empty:1' } }] },
    });
  const images = (pod: Pod) => Object.fromEntries(pod.spec.containers.map((c) => [c.name, c.image]));

  it('upgrades the idle twin, then, once it runs, resets the old one to the empty image', () => {
    const v1 = envoy('envoy:1');
    const v2 = envoy('envoy:2');
    const start = injected(v1, 'web-0');
    expect(images(start)).toEqual({ 'envoy-1': 'envoy:1', 'envoy-2': 'empty:1', app: 'app:1' });

    const upgrade = pass(v2, [start], [stored(v1, 1)]);
    expect(waves(upgrade.effects)).toEqual([['status web-0 @7'], ['patch web-0']]);
    const patch = upgrade.effects[1]?.[0];
    expect(patch?.kind === 'patch-pod' && patch.patch.spec?.containers).toEqual([{ name: 'envoy-2', image: 'envoy:2' }]);

    // The apiserver and the kubelet: envoy-2 now runs envoy:2 and is the working container.
    const upgraded = upgrade.step.update.decision.kind === 'upgrade' ? upgrade.step.update.decision.upgrades[0]?.upgrade : undefined;
    const running = kubelet(upgraded?.kind === 'upgraded' ? upgraded.pod : start);
    const reset = pass(v2, [running], [stored(v1, 1)]);
    expect(reset.step.stage).toBe('upgrade');
    expect(reset.effects).toMatchObject([[{ kind: 'patch-pod', reason: 'hot-upgrade-finished', patch: { spec: { containers: [{ name: 'envoy-1', image: 'empty:1' }] } } }]]);
  });
});

describe('planSidecarSetPass: revision history', () => {
  const history = [1, 2, 3, 4].map((n) => stored(log(`fluentd:${String(n)}`), n));
  const deleted = (result: SidecarSetPassPlan) => result.cleanups.map((e) => (e.kind === 'delete-revision' ? e.target.name : e.kind));
  const nameOf = (n: number) => history[n - 1]?.metadata.name ?? '';

  it('revisionHistoryLimit 2, four old revisions and the new one → the 3 oldest go, never the new one', () => {
    const result = pass(log('fluentd:5', { revisionHistoryLimit: 2 }), [], history);
    expect(deleted(result)).toEqual([nameOf(1), nameOf(2), nameOf(3)]);
    expect(result.cleanups.every((e) => e.reason === 'revision-history-limit')).toBe(true);
  });

  it('a revision a pod still records is kept', () => {
    const onTwo = injected({ ...log('fluentd:2'), status: { latestRevision: nameOf(2) } }, 'web-0');
    const result = pass(log('fluentd:5', { revisionHistoryLimit: 2 }), [onTwo], history);
    expect(deleted(result)).toEqual([nameOf(1), nameOf(3), nameOf(4)]);
  });

  it('within the limit → nothing', () => {
    expect(pass(log('fluentd:4'), [], history).cleanups).toEqual([]);
  });
});
