import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CloneSet, DaemonSet, Pod, StatefulSet } from '@kruise-ts/core';
import { aCloneSet, aDaemonSet, aStatefulSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { capture } from './cliCapture.testkit.js';
import { EXIT, runCli } from './runCli.js';

const web = { namespace: 'default', name: 'web' };

const newImage = (image: string) => (cs: CloneSet & KubeObject) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image }] } } } });
const images = async (manager: TestManager) =>
  ((await manager.cluster.client.list(Resources.Pod, { namespace: 'default' })).items as Pod[]).filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.spec.containers[0]?.image).sort();

async function rolledOutCloneSet(options: Parameters<typeof aCloneSet>[0] = {}): Promise<TestManager> {
  const manager = await startTestManager({ controllers: ['cloneset'] });
  await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 3, podUpdatePolicy: 'InPlaceIfPossible', ...options }) as CloneSet & KubeObject);
  await manager.waitForRollout(KruiseResources.CloneSet, web);
  return manager;
}

describe('kruise-ts rollout status (memory cluster)', () => {
  it('blocks during an in-place rollout, printing each new state, and exits 0 when it is done', async () => {
    await using manager = await rolledOutCloneSet();
    // The kubelet holds the in-place restarts: the rollout cannot finish until it acts again.
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:1.27'));
    const cli = capture(manager);
    let exit: number | undefined;
    const running = runCli(['rollout', 'status', 'cloneset/web'], cli.io).then((code) => (exit = code));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation && (cs.status?.updatedReplicas ?? 0) > 0);
    await manager.cluster.clock.advance(60_000);
    await manager.cluster.settle();
    expect(exit).toBeUndefined();
    manager.cluster.kubelet.resume();
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    await running;
    expect(exit).toBe(EXIT.ok);
    const lines = cli.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Waiting for CloneSet "web" (spec update to be observed|rollout to finish)/);
    expect(lines.at(-1)).toBe('CloneSet "web" successfully rolled out');
    expect(new Set(lines).size).toBe(lines.length);
    expect(await images(manager)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('--watch=false prints the state once and exits 0 even mid-rollout; -o json says the same', async () => {
    await using manager = await rolledOutCloneSet({ paused: true });
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:1.27'));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation);
    const plain = capture(manager);
    expect(await runCli(['rollout', 'status', 'cs', 'web', '--watch=false'], plain.io)).toBe(EXIT.ok);
    expect(plain.out()).toBe('Waiting for CloneSet "web" rollout to finish: 0 out of 3 new replicas have been updated...\n');
    const json = capture(manager);
    expect(await runCli(['rollout', 'status', 'cs/web', '--watch=false', '-o', 'json'], json.io)).toBe(EXIT.ok);
    expect(JSON.parse(json.out())).toEqual({ kind: 'CloneSet', namespace: 'default', name: 'web', status: 'waiting', reason: 'updating', message: 'Waiting for CloneSet "web" rollout to finish: 0 out of 3 new replicas have been updated...', timedOut: false });
  });

  it('--timeout ends a rollout that does not finish (paused) with exit 1 after that much time', async () => {
    await using manager = await rolledOutCloneSet({ paused: true });
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:1.27'));
    const cli = capture(manager);
    let exit: number | undefined;
    const running = runCli(['rollout', 'status', 'cloneset/web', '--timeout=30s'], cli.io).then((code) => (exit = code));
    await manager.cluster.settle();
    await manager.cluster.clock.advance(29_000);
    await manager.cluster.settle();
    expect(exit).toBeUndefined();
    await manager.cluster.clock.advance(1_000);
    await running;
    expect(exit).toBe(EXIT.failed);
    expect(cli.err()).toBe('error: timed out waiting for the condition\n');
    expect(await images(manager)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
  });

  it('exits 1 when the CloneSet exceeds its progressDeadlineSeconds', async () => {
    await using manager = await rolledOutCloneSet({ paused: false, progressDeadlineSeconds: 60 });
    // The kubelet holds the in-place restarts, so the updated pods never become ready again.
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:1.27'));
    const cli = capture(manager);
    let exit: number | undefined;
    const running = runCli(['rollout', 'status', 'cloneset/web'], cli.io).then((code) => (exit = code));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => (cs.status?.conditions ?? []).some((c) => c.reason === 'ProgressDeadlineExceeded'), { timeoutMs: 300_000 });
    await running;
    expect(exit).toBe(EXIT.failed);
    expect(cli.err()).toBe('error: CloneSet "web" exceeded its progress deadline\n');
  });

  it('fails with the API error when the workload does not exist, and refuses an unknown TYPE', async () => {
    await using manager = await startTestManager({ controllers: [] });
    const missing = capture(manager);
    expect(await runCli(['rollout', 'status', 'cs/nope', '-n', 'prod'], missing.io)).toBe(EXIT.failed);
    expect(missing.err()).toMatch(/^error: .*nope.*not found/i);
    const wrongType = capture(manager);
    expect(await runCli(['rollout', 'status', 'deployment/web'], wrongType.io)).toBe(EXIT.usage);
    expect(wrongType.err()).toBe('error: TYPE: "deployment" is not cloneset, statefulset.apps.kruise.io, daemonset.apps.kruise.io or sidecarset\n');
  });
});

describe('kruise-ts rollout pause / resume (memory cluster)', () => {
  it('pause stops an in-place rollout (checked on the pods), resume lets it finish', async () => {
    await using manager = await rolledOutCloneSet();
    const pause = capture(manager);
    expect(await runCli(['rollout', 'pause', 'cloneset/web'], pause.io)).toBe(EXIT.ok);
    expect(pause.out()).toBe('cloneset.apps.kruise.io/web paused\n');
    await manager.update(KruiseResources.CloneSet, web, newImage('nginx:1.27'));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation);
    await manager.cluster.clock.advance(60_000);
    await manager.cluster.settle();
    expect(await images(manager)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);

    const again = capture(manager);
    expect(await runCli(['rollout', 'pause', 'cloneset/web'], again.io)).toBe(EXIT.failed);
    expect(again.err()).toBe('error: cloneset.apps.kruise.io/web is already paused\n');

    const resume = capture(manager);
    expect(await runCli(['rollout', 'resume', 'cs/web', '-o', 'yaml'], resume.io)).toBe(EXIT.ok);
    expect((parse(resume.out()) as CloneSet).spec.updateStrategy?.rollingUpdate?.paused).toBe(false);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    expect(await images(manager)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);

    const notPaused = capture(manager);
    expect(await runCli(['rollout', 'resume', 'cs/web'], notPaused.io)).toBe(EXIT.failed);
    expect(notPaused.err()).toBe('error: cloneset.apps.kruise.io/web is not paused\n');
  });
});

describe('kruise-ts rollout on an Advanced StatefulSet and DaemonSet (the same code, memory cluster)', () => {
  const podImages = async (manager: TestManager, app: string) =>
    ((await manager.cluster.client.list(Resources.Pod, { namespace: 'default', labelSelector: `app=${app}` })).items as Pod[]).filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.spec.containers[0]?.image).sort();

  it('Advanced StatefulSet: pause holds a new image on the pods, status --watch=false says so, resume + status exits 0 when done', async () => {
    await using manager = await startTestManager({ controllers: ['statefulset'] });
    await manager.create(KruiseResources.StatefulSet, aStatefulSet({ name: 'db', replicas: 3 }) as StatefulSet & KubeObject);
    const db = { namespace: 'default', name: 'db' };
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    expect(await runCli(['rollout', 'pause', 'asts/db'], capture(manager).io)).toBe(EXIT.ok);
    await manager.update(KruiseResources.StatefulSet, db, (sts) => ({ ...sts, spec: { ...sts.spec, template: { ...sts.spec.template, spec: { ...sts.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1.27' }] } } } }));
    await manager.waitFor(KruiseResources.StatefulSet, db, (sts) => sts.status?.observedGeneration === sts.metadata.generation);
    await manager.cluster.clock.advance(60_000);
    await manager.cluster.settle();
    expect(await podImages(manager, 'db')).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
    const once = capture(manager);
    expect(await runCli(['rollout', 'status', 'statefulset.apps.kruise.io/db', '--watch=false'], once.io)).toBe(EXIT.ok);
    expect(once.out()).toBe('Waiting for StatefulSet "db" rollout to finish: 0 out of 3 new replicas have been updated...\n');

    expect(await runCli(['rollout', 'resume', 'asts', 'db'], capture(manager).io)).toBe(EXIT.ok);
    const status = capture(manager);
    const running = runCli(['rollout', 'status', 'asts/db'], status.io);
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    expect(await running).toBe(EXIT.ok);
    expect(status.out().trimEnd().split('\n').at(-1)).toBe('StatefulSet "db" successfully rolled out');
    expect(await podImages(manager, 'db')).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('Advanced DaemonSet: status follows a new image on every node to the end; pause writes rollingUpdate.paused', async () => {
    await using manager = await startTestManager({ controllers: ['daemonset'] });
    await manager.create(KruiseResources.DaemonSet, aDaemonSet({ name: 'agent' }) as DaemonSet & KubeObject);
    const agent = { namespace: 'default', name: 'agent' };
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    await manager.update(KruiseResources.DaemonSet, agent, (ds) => ({ ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1.27' }] } } } }));
    const status = capture(manager);
    const running = runCli(['rollout', 'status', 'ads/agent'], status.io);
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    expect(await running).toBe(EXIT.ok);
    expect(status.out().trimEnd().split('\n').at(-1)).toBe('DaemonSet "agent" successfully rolled out');
    expect(await podImages(manager, 'agent')).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const pause = capture(manager);
    expect(await runCli(['rollout', 'pause', 'ads/agent', '-o', 'json'], pause.io)).toBe(EXIT.ok);
    expect((JSON.parse(pause.out()) as DaemonSet).spec.updateStrategy?.rollingUpdate?.paused).toBe(true);
  });
});

describe('kruise-ts plan', () => {
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const files = { 'cs.yaml': readFileSync(here('../../../examples/plan-only/cloneset.yaml'), 'utf8'), 'pods.yaml': readFileSync(here('../../../examples/plan-only/pods.yaml'), 'utf8') };

  it('prints the passes of the controller step by step, as the plan-only example', async () => {
    const cli = capture(undefined, files);
    expect(await runCli(['plan', '-f', 'cs.yaml', '--pods', 'pods.yaml'], cli.io)).toBe(EXIT.ok);
    const lines = cli.out().trimEnd().split('\n');
    expect(lines[0]).toBe('CloneSet kri-dev/cloneset-dev: replicas 1, partition 0, maxUnavailable 1, maxSurge 0, pods updated by ReCreate');
    expect(lines).toContain('Step 2: scale: delete 1 pod(s) because they are marked for deletion (apps.kruise.io/specified-delete or scaleStrategy.podsToDelete)');
    expect(lines.at(-1)).toBe('Done after 4 step(s): the pod count matches replicas; every pod the partition allows is updated.');
  });

  it('-o json gives the steps with their stage; --max-steps stops early', async () => {
    const cli = capture(undefined, files);
    expect(await runCli(['plan', '-f', 'cs.yaml', '--pods', 'pods.yaml', '--max-steps', '2', '-o', 'json'], cli.io)).toBe(EXIT.ok);
    const plan = JSON.parse(cli.out()) as { steps: Array<{ step: number; stage: string }>; end: { kind: string } };
    expect(plan.steps.map((s) => [s.step, s.stage])).toEqual([
      [1, 'update'],
      [2, 'scale'],
    ]);
    expect(plan.end).toEqual({ kind: 'stopped', message: 'Stopped after 2 steps.' });
  });

  it('without pods, plans the creation of every replica', async () => {
    const cli = capture(undefined, files);
    expect(await runCli(['plan', '-f', 'cs.yaml'], cli.io)).toBe(EXIT.ok);
    expect(cli.out()).toContain('Step 1: scale: create 1 pod(s) because there are fewer pods than replicas');
  });

  it('names the missing flag, a bad --max-steps, and an unreadable file', async () => {
    const noFile = capture(undefined, files);
    expect(await runCli(['plan'], noFile.io)).toBe(EXIT.usage);
    expect(noFile.err()).toBe('error: --filename (-f): the CloneSet manifest is required\n');
    const badSteps = capture(undefined, files);
    expect(await runCli(['plan', '-f', 'cs.yaml', '--max-steps=0'], badSteps.io)).toBe(EXIT.usage);
    expect(badSteps.err()).toBe('error: --max-steps: "0" is not a positive integer\n');
    const missing = capture(undefined, files);
    expect(await runCli(['plan', '-f', 'nope.yaml'], missing.io)).toBe(EXIT.failed);
    expect(missing.err()).toContain("nope.yaml");
  });
});
