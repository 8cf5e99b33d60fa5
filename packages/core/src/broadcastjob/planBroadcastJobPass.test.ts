import { describe, expect, it } from 'vitest';
import { aBroadcastJob } from '../testing/broadcastJobBuilder.js';
import { aNode } from '../testing/nodeBuilder.js';
import { podTargetNode } from '../shared/nodePinning.js';
import { freshSuffixes, podIn, sixNodes, step, T0 } from './broadcastjob.testkit.js';
import { planBroadcastJobPass } from './planBroadcastJobPass.js';

const nodesOf = (pods: readonly { spec: { nodeName?: string | undefined } }[]) => pods.map((p) => p.spec.nodeName).sort();
const created = (plan: ReturnType<typeof planBroadcastJobPass>) => plan.effects.flat().flatMap((e) => (e.kind === 'create-pod' ? [e.pod] : []));
const deleted = (plan: ReturnType<typeof planBroadcastJobPass>) => plan.effects.flat().flatMap((e) => (e.kind === 'delete-pod' ? [e.target.name] : []));

describe('planBroadcastJobPass', () => {
  it('creates one pod per eligible node (tainted and cordoned nodes left out), pinned by node affinity, with the job labels and controller', () => {
    const job = aBroadcastJob({ name: 'warm' });
    const plan = planBroadcastJobPass({ job, pods: [], nodes: sixNodes(), now: T0, podNameSuffixes: ['a', 'b', 'c', 'd'] });
    const pods = created(plan);
    expect(pods.map((p) => podTargetNode(p))).toEqual(['node-0', 'node-1', 'node-2', 'node-3'].map((node) => ({ kind: 'node', node })));
    expect(pods[0]?.metadata).toMatchObject({ name: 'warm-a', generateName: 'warm-', labels: { 'broadcastjob-name': 'warm', 'broadcastjob-controller-uid': 'uid-warm' }, ownerReferences: [{ kind: 'BroadcastJob', uid: 'uid-warm', controller: true }] });
    expect(plan.status).toMatchObject({ phase: 'running', desired: 4, active: 4, succeeded: 0, failed: 0, startTime: '2025-01-01T00:00:00Z' });
    // slow start: 1, 2, then the last one
    expect(plan.effects.map((w) => w.length)).toEqual([1, 2, 1]);
    expect(plan.step).toMatchObject({ kind: 'run', desired: 4, parallelism: 2147483647 });
  });

  it.each([
    ['parallelism 2', 2, 2],
    ['parallelism 50% of 4 desired', '50%', 2],
    ['parallelism 30% of 4 desired rounds up', '30%', 2],
    ['parallelism 0', 0, 0],
  ] as const)('%s → %i pods at first', (_story, parallelism, expected) => {
    const plan = planBroadcastJobPass({ job: aBroadcastJob({ parallelism }), pods: [], nodes: sixNodes(), now: T0, podNameSuffixes: freshSuffixes });
    expect(created(plan)).toHaveLength(expected);
  });

  it('parallelism 2 over a run: two at a time, then Complete with the completion time and JobComplete event', () => {
    let job = aBroadcastJob({ parallelism: 2 });
    let pods: ReturnType<typeof step>['pods'] = [];
    const nodes = sixNodes();
    let now = T0;
    for (let round = 0; round < 2; round++) {
      const next = step(job, pods, nodes, now);
      expect(next.pods.filter((p) => p.status?.phase === 'Running').length).toBeLessThanOrEqual(2);
      job = next.job;
      // the kubelet finishes every running pod
      pods = next.pods.map((p) => (p.status?.phase === 'Running' ? podIn(p, 'Succeeded') : p));
      now += 10_000;
    }
    expect(nodesOf(pods)).toEqual(['node-0', 'node-1', 'node-2', 'node-3']);
    const last = planBroadcastJobPass({ job, pods, nodes, now, podNameSuffixes: freshSuffixes });
    expect(last.step).toMatchObject({ kind: 'run', complete: true, created: [] });
    expect(last.status).toMatchObject({ phase: 'completed', active: 0, succeeded: 4, failed: 0, desired: 4, completionTime: '2025-01-01T00:00:20Z' });
    expect(last.status.conditions).toEqual([{ type: 'Complete', status: 'True', reason: 'Complete', message: 'Job completed, 4 pods succeeded, 0 pods failed', lastProbeTime: '2025-01-01T00:00:20Z', lastTransitionTime: '2025-01-01T00:00:20Z' }]);
    expect(last.events).toEqual([{ type: 'Normal', reason: 'JobComplete', message: 'Job default/bcj is completed, 4 pods succeeded, 0 pods failed' }]);
  });

  it('a finished job waits for its TTL, then deletes itself (a second after, as OpenKruise requeues)', () => {
    const finished = { type: 'Complete', status: 'True' };
    const job = aBroadcastJob({ completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 30 }, status: { conditions: [finished], completionTime: '2025-01-01T00:00:00Z', phase: 'completed' } });
    const waiting = planBroadcastJobPass({ job, pods: [], nodes: sixNodes(), now: T0 + 20_000, podNameSuffixes: [] });
    expect(waiting).toMatchObject({ step: { kind: 'finished', action: 'wait' }, requeueAfterMs: 10_000, effects: [] });
    const due = planBroadcastJobPass({ job, pods: [], nodes: sixNodes(), now: T0 + 30_000, podNameSuffixes: [] });
    expect(due.step).toEqual({ kind: 'finished', action: 'delete-job' });
    expect(due.effects).toEqual([[{ kind: 'delete-owned', reason: 'ttl-after-finished', target: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'BroadcastJob', name: 'bcj', namespace: 'default', uid: 'uid-bcj' } }]]);
    expect(due.status).toBe(job.status);
  });

  it('completing with a TTL requeues at TTL + 1 s', () => {
    const job = aBroadcastJob({ completionPolicy: { type: 'Always', ttlSecondsAfterFinished: 5 } });
    const pods = created(planBroadcastJobPass({ job, pods: [], nodes: [aNode()], now: T0, podNameSuffixes: ['a'] })).map((p) => podIn(p, 'Succeeded'));
    const plan = planBroadcastJobPass({ job, pods, nodes: [aNode()], now: T0, podNameSuffixes: [] });
    expect(plan).toMatchObject({ status: { phase: 'completed' }, requeueAfterMs: 6000 });
  });

  it('FailFast: a failed pod fails the job, its active pods deleted and counted failed, Failed condition, two warnings', () => {
    const job = aBroadcastJob({ parallelism: 2 });
    const first = step(job, [], sixNodes(), T0);
    const [bad, good] = first.pods;
    const pods = [podIn(bad!, 'Failed'), good!];
    const plan = planBroadcastJobPass({ job: first.job, pods, nodes: sixNodes(), now: T0 + 5000, podNameSuffixes: freshSuffixes });
    expect(plan.step).toEqual({ kind: 'fail', reason: 'failed-pod-found', deleted: [good!.metadata.name] });
    expect(deleted(plan)).toEqual([good!.metadata.name]);
    expect(plan.status).toMatchObject({ phase: 'failed', active: 0, failed: 2, completionTime: '2025-01-01T00:00:05Z', conditions: [{ type: 'Failed', status: 'True', reason: 'Failed', message: 'failure policy is FailurePolicyTypeFailFast and failed pod is found' }] });
    expect(plan.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual([
      'Warning failed pod is found: failure policy is FailurePolicyTypeFailFast and failed pod is found: 0 pods succeeded, 1 pods failed',
      'Warning failed pod is found: failure policy is FailurePolicyTypeFailFast and failed pod is found: 0 pods succeeded, 2 pods failed',
    ]);
    // and then it stays failed
    const after = planBroadcastJobPass({ job: { ...first.job, status: plan.status }, pods: [podIn(bad!, 'Failed')], nodes: sixNodes(), now: T0 + 9000, podNameSuffixes: freshSuffixes });
    expect(after).toMatchObject({ step: { kind: 'finished', action: 'keep' }, effects: [] });
  });

  it('Continue: a failed pod is counted and the job goes on; restarts past restartLimit count an OnFailure pod failed', () => {
    const job = aBroadcastJob({ restartPolicy: 'OnFailure', failurePolicy: { type: 'Continue', restartLimit: 2 } });
    const first = step(job, [], sixNodes(), T0);
    const pods = [podIn(first.pods[0]!, 'Running', 3), ...first.pods.slice(1)];
    const plan = planBroadcastJobPass({ job: first.job, pods, nodes: sixNodes(), now: T0 + 1000, podNameSuffixes: freshSuffixes });
    expect(plan.step).toMatchObject({ kind: 'run', complete: false });
    expect(plan.status).toMatchObject({ phase: 'running', active: 3, failed: 1 });
  });

  it('Pause: a failed pod pauses the job (phase only), warned', () => {
    const job = aBroadcastJob({ failurePolicy: { type: 'Pause' } });
    const first = step(job, [], sixNodes(), T0);
    const plan = planBroadcastJobPass({ job: first.job, pods: [podIn(first.pods[0]!, 'Failed'), ...first.pods.slice(1)], nodes: sixNodes(), now: T0 + 1000, podNameSuffixes: freshSuffixes });
    expect(plan).toMatchObject({ step: { kind: 'paused', reason: 'failed-pod-found' }, status: { phase: 'paused', failed: 1 }, effects: [] });
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'Paused', message: 'job is paused, due to failed pod' }]);
  });

  it('spec.paused: phase paused, nothing created; unpaused: Continue event and pods created', () => {
    const paused = planBroadcastJobPass({ job: aBroadcastJob({ paused: true }), pods: [], nodes: sixNodes(), now: T0, podNameSuffixes: freshSuffixes });
    expect(paused).toMatchObject({ step: { kind: 'paused', reason: 'spec-paused' }, status: { phase: 'paused', desired: 4 }, effects: [] });
    const resumed = planBroadcastJobPass({ job: { ...aBroadcastJob(), status: paused.status }, pods: [], nodes: sixNodes(), now: T0 + 1000, podNameSuffixes: freshSuffixes });
    expect(resumed.events).toEqual([{ type: 'Normal', reason: 'Continue', message: 'continue to process job' }]);
    expect(created(resumed)).toHaveLength(4);
  });

  it('activeDeadlineSeconds: requeues at the deadline, then fails with DeadlineExceeded and deletes the active pods', () => {
    const job = aBroadcastJob({ parallelism: 1, completionPolicy: { type: 'Always', activeDeadlineSeconds: 60 } });
    const first = step(job, [], sixNodes(), T0);
    expect(first.plan.requeueAfterMs).toBe(60_000);
    const plan = planBroadcastJobPass({ job: first.job, pods: first.pods, nodes: sixNodes(), now: T0 + 60_000, podNameSuffixes: freshSuffixes });
    expect(plan.step).toMatchObject({ kind: 'fail', reason: 'deadline-exceeded' });
    expect(deleted(plan)).toHaveLength(1);
    expect(plan.status.conditions?.[0]).toMatchObject({ type: 'Failed', reason: 'Failed', message: 'Job default/bcj was active longer than specified deadline' });
    expect(plan.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'DeadlineExceeded' });
  });

  it('completionPolicy Never: never completes, and a new node gets its pod', () => {
    const job = aBroadcastJob({ completionPolicy: { type: 'Never' } });
    const first = step(job, [], sixNodes(), T0);
    const done = first.pods.map((p) => podIn(p, 'Succeeded'));
    const settled = planBroadcastJobPass({ job: first.job, pods: done, nodes: sixNodes(), now: T0 + 1000, podNameSuffixes: freshSuffixes });
    expect(settled.step).toMatchObject({ kind: 'run', complete: false, created: [] });
    expect(settled.status.phase).toBe('running');
    const grown = planBroadcastJobPass({ job: first.job, pods: done, nodes: [...sixNodes(), aNode({ name: 'node-6' })], now: T0 + 2000, podNameSuffixes: freshSuffixes });
    expect(created(grown).map(podTargetNode)).toEqual([{ kind: 'node', node: 'node-6' }]);
  });

  it('a pod on a node it no longer fits (tainted since) is deleted and counted failed', () => {
    const job = aBroadcastJob({ completionPolicy: { type: 'Never' } });
    const first = step(job, [], sixNodes(), T0);
    const nodes = sixNodes().map((n) => (n.metadata.name === 'node-0' ? aNode({ name: 'node-0', taints: [{ key: 'x', effect: 'NoExecute' }] }) : n));
    const plan = planBroadcastJobPass({ job: first.job, pods: first.pods, nodes, now: T0 + 1000, podNameSuffixes: freshSuffixes });
    expect(deleted(plan)).toEqual([first.pods.find((p) => p.spec.nodeName === 'node-0')?.metadata.name]);
    expect(plan.status).toMatchObject({ desired: 3, active: 3, failed: 1 });
  });

  it('resources: a node without room for the requests is not eligible', () => {
    const job = aBroadcastJob({ containers: [{ name: 'main', image: 'busybox:1', resources: { requests: { cpu: '1500m', memory: '1Gi' } } }] });
    const roomy = { ...aNode({ name: 'big' }), status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } };
    const small = { ...aNode({ name: 'small' }), status: { allocatable: { cpu: '1', memory: '8Gi', pods: '110' } } };
    const full = { ...aNode({ name: 'full' }), status: { allocatable: { cpu: '4', memory: '8Gi', pods: '0' } } };
    const plan = planBroadcastJobPass({ job, pods: [], nodes: [roomy, small, full], now: T0, podNameSuffixes: freshSuffixes });
    expect(plan.status.desired).toBe(1);
    expect(created(plan).map(podTargetNode)).toEqual([{ kind: 'node', node: 'big' }]);
  });

  it('no eligible node: running, not complete', () => {
    const plan = planBroadcastJobPass({ job: aBroadcastJob(), pods: [], nodes: [], now: T0, podNameSuffixes: freshSuffixes });
    expect(plan).toMatchObject({ step: { kind: 'run', desired: 0, complete: false }, status: { phase: 'running', desired: 0 } });
  });
});
