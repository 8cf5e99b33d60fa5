import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EphemeralJob } from '../api/ephemeralJob.js';
import type { Pod } from '../api/pod.js';
import { validateEphemeralJob } from '../api/validateEphemeralJob.js';
import { aPod } from '../testing/podBuilder.js';
import { ephemeralPodState } from './ephemeralJobPods.js';
import { planEphemeralJob } from './planEphemeralJob.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function anEphemeralJob(spec: Partial<EphemeralJob['spec']> = {}, status?: EphemeralJob['status']): EphemeralJob {
  return {
    apiVersion: 'apps.kruise.io/v1alpha1',
    kind: 'EphemeralJob',
    metadata: { name: 'debug', namespace: 'default', uid: 'uid-debug' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1', imagePullPolicy: 'IfNotPresent' }] }, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

const web = (i: number, labels: Record<string, string> = { app: 'web' }): Pod => aPod({ name: `web-${String(i)}`, namespace: 'default', phase: 'ready', labels, createdAt: T0 - (10 - i) * 60_000 });

function injected(pod: Pod, state?: Record<string, unknown>): Pod {
  const spec = { ...pod.spec, ephemeralContainers: [{ name: 'debugger', image: 'busybox:1', env: [{ name: 'KRUISE_EJOB_ID', value: 'uid-debug' }] }] };
  const status = { ...pod.status, ...(state === undefined ? {} : { ephemeralContainerStatuses: [{ name: 'debugger', state }] }) };
  return { ...pod, spec, status };
}

const injectedNames = (plan: ReturnType<typeof planEphemeralJob>) => plan.actions.flatMap((a) => (a.kind === 'inject' ? [a.pod.name] : []));

describe('planEphemeralJob', () => {
  it('injects into the matching pods, parallelism at a time, oldest first; the containers carry KRUISE_EJOB_ID', () => {
    const pods = [web(0), web(1), web(2), web(3, { app: 'db' })];
    const plan = planEphemeralJob({ job: anEphemeralJob({ parallelism: 2 }), pods, now: T0 });
    expect(injectedNames(plan)).toEqual(['web-0', 'web-1']);
    const first = plan.actions[0];
    expect(first?.kind === 'inject' ? first.containers[0]?.env : undefined).toEqual([{ name: 'KRUISE_EJOB_ID', value: 'uid-debug' }]);
    expect(plan.status).toMatchObject({ match: 3, waiting: 3, running: 0, phase: 'Waiting', startTime: '2025-01-01T00:00:00Z', conditions: [{ type: 'Initialized', status: 'True' }] });
  });

  it('replicas caps the targets; running containers take parallelism', () => {
    const pods = [injected(web(0), { running: {} }), web(1), web(2)];
    const plan = planEphemeralJob({ job: anEphemeralJob({ replicas: 2, parallelism: 1 }), pods, now: T0 });
    expect(plan.status).toMatchObject({ match: 2, running: 1, waiting: 1, phase: 'Running' });
    expect(injectedNames(plan)).toEqual([]);
  });

  it('every target done: Succeeded with JobSucceeded and a completion time; one failed: Failed', () => {
    const done = { terminated: { exitCode: 0, finishedAt: '2025-01-01T00:00:10Z' } };
    const ok = planEphemeralJob({ job: anEphemeralJob({ parallelism: 3 }), pods: [0, 1, 2].map((i) => injected(web(i), done)), now: T0 });
    expect(ok.status).toMatchObject({ phase: 'Succeeded', succeeded: 3, completionTime: '2025-01-01T00:00:00Z' });
    expect(ok.status.conditions?.map((c) => c.type)).toEqual(['Initialized', 'JobSucceeded']);
    const bad = planEphemeralJob({ job: anEphemeralJob(), pods: [injected(web(0), done), injected(web(1), { terminated: { exitCode: 2 } })], now: T0 });
    expect(bad.status).toMatchObject({ phase: 'Failed', succeeded: 1, failed: 1 });
    expect(bad.status.conditions?.find((c) => c.type === 'JobFailed')?.message).toBe('job failed to run all tasks, 1/2 pods failed');
  });

  it('a finished job waits for its TTL (default 1800 s), then deletes itself', () => {
    const job = anEphemeralJob({}, { phase: 'Succeeded', completionTime: '2025-01-01T00:00:00Z' });
    expect(planEphemeralJob({ job, pods: [], now: T0 + 1000 })).toMatchObject({ step: { kind: 'finished', ttlLeftMs: 1_799_000 }, actions: [], requeueAfterMs: 1_799_000 });
    expect(planEphemeralJob({ job, pods: [], now: T0 + 1_800_000 }).actions).toEqual([{ kind: 'delete-job' }]);
  });

  it('paused: counts only; past activeDeadlineSeconds: Failed with DeadlineExceeded; no match: Waiting with MatchedEmpty', () => {
    expect(planEphemeralJob({ job: anEphemeralJob({ paused: true }), pods: [web(0)], now: T0 })).toMatchObject({ step: { kind: 'paused' }, actions: [], status: { phase: 'Paused' } });
    const late = planEphemeralJob({ job: anEphemeralJob({ activeDeadlineSeconds: 60 }, { startTime: '2025-01-01T00:00:00Z' }), pods: [injected(web(0), { running: {} })], now: T0 + 60_000 });
    expect(late.status).toMatchObject({ phase: 'Failed', completionTime: '2025-01-01T00:01:00Z' });
    expect(late.status.conditions?.find((c) => c.type === 'JobFailed')?.reason).toBe('DeadlineExceeded');
    const empty = planEphemeralJob({ job: anEphemeralJob(), pods: [], now: T0 });
    expect(empty.status).toMatchObject({ phase: 'Waiting', match: 0 });
    expect(empty.status.conditions?.map((c) => c.type)).toEqual(['Initialized', 'MatchedEmpty']);
  });

  it('skips a pod whose ephemeral container of that name another job added', () => {
    const foreign = { ...web(0), spec: { ...web(0).spec, ephemeralContainers: [{ name: 'debugger', image: 'x' }] } } as Pod;
    const plan = planEphemeralJob({ job: anEphemeralJob(), pods: [foreign, web(1)], now: T0 });
    expect(plan.status.match).toBe(1);
    expect(injectedNames(plan)).toEqual(['web-1']);
  });

  it('never injects more than parallelism minus the running ones, and never into a pod twice (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('none', 'waiting', 'running', 'done'), { maxLength: 8 }), fc.integer({ min: 0, max: 5 }), (states, parallelism) => {
        const pods = states.map((s, i) => (s === 'none' ? web(i) : injected(web(i), s === 'waiting' ? undefined : s === 'running' ? { running: {} } : { terminated: { exitCode: 0, finishedAt: 'x' } })));
        const plan = planEphemeralJob({ job: anEphemeralJob({ parallelism }), pods, now: T0 });
        const running = states.filter((s) => s === 'running').length;
        expect(plan.actions.length).toBeLessThanOrEqual(Math.max(0, parallelism - running));
        expect(injectedNames(plan).every((name) => states[Number(name.slice(4))] === 'none')).toBe(true);
        for (const pod of pods) expect(['waiting', 'running', 'succeeded', 'failed', 'unknown']).toContain(ephemeralPodState(anEphemeralJob(), pod));
      }),
    );
  });
});

describe('validateEphemeralJob', () => {
  it('accepts a plain job, and names the field of each problem', () => {
    expect(validateEphemeralJob(anEphemeralJob())).toEqual([]);
    const bad = anEphemeralJob({ parallelism: -1, template: { ephemeralContainers: [{ name: 'Debug', image: '', ports: [{ containerPort: 80 }] }, { name: 'Debug', image: 'x' }] } });
    expect(validateEphemeralJob(bad).map((p) => p.path)).toEqual([
      'spec.template.ephemeralContainers[0].name',
      'spec.template.ephemeralContainers[0].image',
      'spec.template.ephemeralContainers[0].ports',
      'spec.template.ephemeralContainers[1].name',
      'spec.template.ephemeralContainers[1].name',
      'spec.parallelism',
    ]);
    expect(validateEphemeralJob(anEphemeralJob({ template: { ephemeralContainers: [] } })).map((p) => p.path)).toEqual(['spec.template.ephemeralContainers']);
  });
});
