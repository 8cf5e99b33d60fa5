import type { CloneSet, DaemonSet, Pod, StatefulSet } from '@kruise-ts/core';
import { aCloneSet, aDaemonSet, aStatefulSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestManager, type TestManager } from '@kruise-ts/controllers/testing';
import { describe, expect, it } from 'vitest';
import { capture } from './cliCapture.testkit.js';
import type { WorkloadExplanation } from './explainWorkload.js';
import { EXIT, runCli } from './runCli.js';

const web = { namespace: 'default', name: 'web' };
const withImage = (image: string) => (cs: CloneSet & KubeObject) => ({ ...cs, spec: { ...cs.spec, template: { ...cs.spec.template, spec: { ...cs.spec.template.spec, containers: [{ name: 'main', image }] } } } });
const livePods = async (manager: TestManager, app = 'web') =>
  ((await manager.cluster.client.list(Resources.Pod, { namespace: 'default', labelSelector: `app=${app}` })).items as Pod[]).filter((p) => p.metadata.deletionTimestamp === undefined);
const imagesByUid = async (manager: TestManager) => Object.fromEntries((await livePods(manager)).map((p) => [p.metadata.uid ?? '', p.spec.containers[0]?.image ?? '']));
const run = async (manager: TestManager | undefined, argv: readonly string[]) => {
  const cli = capture(manager);
  const code = await runCli(argv, cli.io);
  return { code, out: cli.out(), err: cli.err() };
};

/** A CloneSet web of `replicas` pods rolled out at nginx:1, then at nginx:1.27 (two revisions). */
async function twoRevisions(replicas = 3, options: Parameters<typeof aCloneSet>[0] = {}): Promise<TestManager> {
  const manager = await startTestManager({ controllers: ['cloneset'] });
  await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas, podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: '100%', ...options }) as CloneSet & KubeObject);
  await manager.waitForRollout(KruiseResources.CloneSet, web);
  await manager.update(KruiseResources.CloneSet, web, withImage('nginx:1.27'));
  await manager.waitForRollout(KruiseResources.CloneSet, web);
  return manager;
}

describe('kruise-ts rollout history / undo (memory cluster)', () => {
  it('history lists both revisions; --revision prints a pod template; -o json gives the rows; a missing revision fails', async () => {
    await using manager = await twoRevisions();
    const table = await run(manager, ['rollout', 'history', 'cloneset/web']);
    expect(table.code).toBe(EXIT.ok);
    expect(table.out.split('\n').slice(0, 4)).toEqual(['cloneset.apps.kruise.io/web', 'REVISION  CHANGE-CAUSE', '1         <none>', '2         <none>']);
    const one = await run(manager, ['rollout', 'history', 'cs/web', '--revision=1']);
    expect(one.out).toContain('cloneset.apps.kruise.io/web with revision #1\nPod Template:\n');
    expect(one.out).toContain('    Image:\tnginx:1\n');
    const json = await run(manager, ['rollout', 'history', 'cs/web', '-o', 'json']);
    expect((JSON.parse(json.out) as { revisions: Array<{ revision: number }> }).revisions.map((r) => r.revision)).toEqual([1, 2]);
    const missing = await run(manager, ['rollout', 'history', 'cs/web', '--revision', '9']);
    expect([missing.code, missing.err]).toEqual([EXIT.failed, 'error: unable to find the specified revision\n']);
    const bad = await run(manager, ['rollout', 'history', 'cs/web', '--revision=two']);
    expect([bad.code, bad.err]).toEqual([EXIT.usage, 'error: --revision: "two" is not a whole number\n']);
  });

  it('undo returns the CloneSet to the previous revision in place (same pods, old image); undoing to the current revision is skipped', async () => {
    await using manager = await twoRevisions();
    const before = await imagesByUid(manager);
    expect(Object.values(before)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    // Dry runs write nothing: client prints the template it would restore, server sends a dry-run patch.
    const client = await run(manager, ['rollout', 'undo', 'cs/web', '--dry-run=client']);
    expect(client.out).toMatch(/^cloneset.apps.kruise.io\/web will roll back to revision 1: Pod Template:\n/);
    expect(client.out).toContain('    Image:\tnginx:1\n');
    const server = await run(manager, ['rollout', 'undo', 'cs/web', '--dry-run=server']);
    expect(server.out).toBe('cloneset.apps.kruise.io/web rolled back (server dry run)\n');
    expect((await manager.cluster.client.get(KruiseResources.CloneSet, web)).spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    const wrong = await run(manager, ['rollout', 'undo', 'cs/web', '--dry-run=maybe']);
    expect([wrong.code, wrong.err]).toEqual([EXIT.usage, 'error: --dry-run: "maybe" is not none, client or server\n']);
    const undo = await run(manager, ['rollout', 'undo', 'cloneset/web']);
    expect([undo.code, undo.out]).toEqual([EXIT.ok, 'cloneset.apps.kruise.io/web rolled back\n']);
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.spec.template.spec.containers[0]?.image === 'nginx:1');
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    const after = await imagesByUid(manager);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.values(after)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
    // The old revision is renumbered newest (#3), as OpenKruise's history does; undoing to it changes nothing.
    const history = await run(manager, ['rollout', 'history', 'cs/web', '-o', 'json']);
    expect((JSON.parse(history.out) as { revisions: Array<{ revision: number }> }).revisions.map((r) => r.revision)).toEqual([2, 3]);
    const skipped = await run(manager, ['rollout', 'undo', 'cs/web', '--to-revision=3']);
    expect([skipped.code, skipped.out]).toEqual([EXIT.ok, 'cloneset.apps.kruise.io/web skipped rollback (current template already matches revision 3)\n']);
    const nowhere = await run(manager, ['rollout', 'undo', 'cs/web', '--to-revision=7']);
    expect([nowhere.code, nowhere.err]).toEqual([EXIT.failed, 'error: unable to find specified revision 7 in history\n']);
  });

  it('undo with a single revision has nothing to go back to', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 1 }) as CloneSet & KubeObject);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    const undo = await run(manager, ['rollout', 'undo', 'cs/web']);
    expect([undo.code, undo.err]).toEqual([EXIT.failed, 'error: no last revision to roll back to\n']);
  });
});

describe('kruise-ts rollout history / undo on an Advanced StatefulSet and DaemonSet (memory cluster)', () => {
  const setImage = <T extends { spec: { template: { spec: { containers: unknown[] } } } }>(image: string) => (w: T): T => ({ ...w, spec: { ...w.spec, template: { ...w.spec.template, spec: { ...w.spec.template.spec, containers: [{ name: 'main', image }] } } } });

  it('Advanced StatefulSet: history lists 2 revisions, undo brings nginx:1 back on every pod', async () => {
    await using manager = await startTestManager({ controllers: ['statefulset'] });
    const db = { namespace: 'default', name: 'db' };
    await manager.create(KruiseResources.StatefulSet, aStatefulSet({ name: 'db', replicas: 3 }) as StatefulSet & KubeObject);
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    await manager.update(KruiseResources.StatefulSet, db, setImage('nginx:1.27'));
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    const history = await run(manager, ['rollout', 'history', 'asts/db']);
    expect(history.out).toBe('statefulset.apps.kruise.io/db\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n');
    const undo = await run(manager, ['rollout', 'undo', 'asts/db']);
    expect([undo.code, undo.out]).toEqual([EXIT.ok, 'statefulset.apps.kruise.io/db rolled back\n']);
    await manager.waitFor(KruiseResources.StatefulSet, db, (s) => s.spec.template.spec.containers[0]?.image === 'nginx:1');
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    expect((await livePods(manager, 'db')).map((p) => p.spec.containers[0]?.image)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
  });

  it('Advanced DaemonSet: history lists its revisions; --revision 2 shows the new image; undo --to-revision=1 goes back', async () => {
    await using manager = await startTestManager({ controllers: ['daemonset'] });
    const agent = { namespace: 'default', name: 'agent' };
    await manager.create(KruiseResources.DaemonSet, aDaemonSet({ name: 'agent' }) as DaemonSet & KubeObject);
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    await manager.update(KruiseResources.DaemonSet, agent, setImage('nginx:1.27'));
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    const json = await run(manager, ['rollout', 'history', 'ads/agent', '-o', 'yaml']);
    expect(json.out).toContain('revision: 2');
    expect((await run(manager, ['rollout', 'history', 'ads/agent', '--revision=2'])).out).toContain('    Image:\tnginx:1.27\n');
    expect((await run(manager, ['rollout', 'undo', 'ads/agent', '--to-revision=1'])).code).toBe(EXIT.ok);
    await manager.waitFor(KruiseResources.DaemonSet, agent, (d) => d.spec.template.spec.containers[0]?.image === 'nginx:1');
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    expect((await livePods(manager, 'agent')).map((p) => p.spec.containers[0]?.image)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
  });
});

describe('kruise-ts rollout restart / approve (memory cluster)', () => {
  it('restart stamps kubectl.kruise.io/restartedAt on the template; under InPlaceIfPossible the pods take it in place', async () => {
    await using manager = await twoRevisions();
    const before = Object.keys(await imagesByUid(manager)).sort();
    const restart = await run(manager, ['rollout', 'restart', 'cs/web']);
    expect([restart.code, restart.out]).toEqual([EXIT.ok, 'cloneset.apps.kruise.io/web restarted\n']);
    const stamp = new Date(manager.cluster.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await manager.waitFor(KruiseResources.CloneSet, web, (c) => c.spec.template.metadata?.annotations?.['kubectl.kruise.io/restartedAt'] === stamp);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    const cs = await manager.cluster.client.get(KruiseResources.CloneSet, web);
    const pods = await livePods(manager);
    expect(pods.map((p) => p.metadata.uid).sort()).toEqual(before);
    expect(pods.map((p) => p.metadata.annotations?.['kubectl.kruise.io/restartedAt'])).toEqual([stamp, stamp, stamp]);
    expect(pods.every((p) => p.metadata.labels?.['controller-revision-hash'] === cs.status?.updateRevision)).toBe(true);
  });

  it('approve refuses a workload as kubectl-kruise does (it approves only Kruise Rollout steps)', async () => {
    await using manager = await twoRevisions(1);
    const approve = await run(manager, ['rollout', 'approve', 'cloneset/web']);
    expect([approve.code, approve.err]).toEqual([EXIT.failed, 'error: clonesets.apps.kruise.io "web" approving is not supported\n']);
  });
});

describe('kruise-ts scaledown (memory cluster)', () => {
  it('CloneSet: the named pod goes through podsToDelete and replicas drops by one; the others stay', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 3 }) as CloneSet & KubeObject);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    const [victim, ...kept] = (await livePods(manager)).map((p) => p.metadata.name ?? '');
    const scaled = await run(manager, ['scaledown', 'cloneset/web', '--pods', victim ?? '', '-o', 'json']);
    expect(scaled.code).toBe(EXIT.ok);
    expect((JSON.parse(scaled.out) as CloneSet).spec).toMatchObject({ replicas: 2, scaleStrategy: { podsToDelete: [victim] } });
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    expect((await livePods(manager)).map((p) => p.metadata.name).sort()).toEqual(kept.sort());
    const stranger = await run(manager, ['scaledown', 'cs/web', '--pods', 'nope']);
    expect([stranger.code, stranger.err]).toEqual([EXIT.usage, 'error: --pods: pod "nope" does not belong to cloneset.apps.kruise.io/web\n']);
    const none = await run(manager, ['scaledown', 'cs/web']);
    expect([none.code, none.err]).toEqual([EXIT.usage, 'error: --pods: must specify one pod name (a,b,c)\n']);
  });

  it('Advanced StatefulSet: the pod\'s ordinal goes to reserveOrdinals and replicas drops; the other ordinals stay', async () => {
    await using manager = await startTestManager({ controllers: ['statefulset'] });
    const db = { namespace: 'default', name: 'db' };
    await manager.create(KruiseResources.StatefulSet, aStatefulSet({ name: 'db', replicas: 3 }) as StatefulSet & KubeObject);
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    const scaled = await run(manager, ['scaledown', 'asts/db', '--pods', 'db-1']);
    expect([scaled.code, scaled.out]).toEqual([EXIT.ok, 'statefulset.apps.kruise.io/db scaled down: pods db-1 deleted\n']);
    await manager.waitFor(KruiseResources.StatefulSet, db, (s) => s.status?.observedGeneration === s.metadata.generation && s.status?.replicas === 2);
    expect((await livePods(manager, 'db')).map((p) => p.metadata.name).sort()).toEqual(['db-0', 'db-2']);
    expect((await manager.cluster.client.get(KruiseResources.StatefulSet, db)).spec.reserveOrdinals).toEqual([1]);
  });
});

describe('kruise-ts explain (memory cluster)', () => {
  it('CloneSet of 10, partition 3, maxUnavailable 2, mid-rollout: names each pod\'s reason, and the controller then does just that', async () => {
    await using manager = await startTestManager({ controllers: ['cloneset'] });
    await manager.create(KruiseResources.CloneSet, aCloneSet({ name: 'web', replicas: 10, podUpdatePolicy: 'InPlaceIfPossible', partition: 3, maxUnavailable: 2 }) as CloneSet & KubeObject);
    await manager.waitForRollout(KruiseResources.CloneSet, web);
    // The kubelet holds the in-place restarts: the first two updated pods stay unavailable.
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.CloneSet, web, withImage('nginx:1.27'));
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.observedGeneration === cs.metadata.generation && cs.status?.updatedReplicas === 2);
    await manager.cluster.settle();

    const json = await run(manager, ['explain', 'cloneset/web', '-o', 'json']);
    expect(json.code).toBe(EXIT.ok);
    const explained = JSON.parse(json.out) as WorkloadExplanation;
    const having = (reason: string) => explained.pods.filter((p) => p.reason === reason).map((p) => p.pod).sort();
    expect(explained.pods).toHaveLength(10);
    expect(explained).toMatchObject({ partition: 3, maxUnavailable: 2, updateNum: 5, updateMaxUnavailable: 2 });
    const updating = having('in-place-update-in-progress');
    const queued = having('max-unavailable-reached');
    const partitioned = having('partition');
    expect([updating.length, queued.length, partitioned.length]).toEqual([2, 5, 3]);
    expect(explained.pods.filter((p) => p.reason === 'max-unavailable-reached').map((p) => p.position).sort()).toEqual([1, 2, 3, 4, 5]);
    const plain = await run(manager, ['explain', 'cs/web']);
    expect(plain.out).toContain('waiting (#1 in line): maxUnavailable 2 reached, no more pods may be unavailable now');
    expect(plain.out).toContain('not updated: partition 3 keeps it at the old revision');
    const onePod = await run(manager, ['explain', `pod/${queued[0] ?? ''}`, '-o', 'json']);
    expect((JSON.parse(onePod.out) as WorkloadExplanation).pods.map((p) => [p.pod, p.reason])).toEqual([[queued[0], 'max-unavailable-reached']]);

    // The controller agrees: while the two are held, no other pod moves ...
    const uids = Object.fromEntries((await livePods(manager)).map((p) => [p.metadata.name ?? '', p.metadata.uid ?? '']));
    await manager.cluster.clock.advance(60_000);
    await manager.cluster.settle();
    const revisionOf = async () => Object.fromEntries((await livePods(manager)).map((p) => [p.metadata.name ?? '', p.spec.containers[0]?.image ?? '']));
    const held = await revisionOf();
    expect(Object.entries(held).filter(([, image]) => image === 'nginx:1.27').map(([name]) => name).sort()).toEqual(updating);
    // ... and once they finish, exactly the queued pods are updated (in place) and the partitioned ones are kept.
    manager.cluster.kubelet.resume();
    await manager.waitFor(KruiseResources.CloneSet, web, (cs) => cs.status?.updatedReadyReplicas === 7 && cs.status.readyReplicas === 10, { timeoutMs: 300_000 });
    const done = await revisionOf();
    expect(Object.entries(done).filter(([, image]) => image === 'nginx:1.27').map(([name]) => name).sort()).toEqual([...updating, ...queued].sort());
    expect(Object.entries(done).filter(([, image]) => image === 'nginx:1').map(([name]) => name).sort()).toEqual(partitioned);
    expect(Object.fromEntries((await livePods(manager)).map((p) => [p.metadata.name ?? '', p.metadata.uid ?? '']))).toEqual(uids);
    const after = JSON.parse((await run(manager, ['explain', 'cs/web', '-o', 'json'])).out) as WorkloadExplanation;
    expect(after.pods.map((p) => p.reason).sort()).toEqual([...Array<string>(3).fill('partition'), ...Array<string>(7).fill('updated')]);
  });

  it('Advanced StatefulSet of 10, partition 3, maxUnavailable 2, in place mid-rollout: 2 updating, db-7..db-3 queued, db-2..db-0 kept, as the controller then does', async () => {
    await using manager = await startTestManager({ controllers: ['statefulset'] });
    const db = { namespace: 'default', name: 'db' };
    await manager.create(KruiseResources.StatefulSet, aStatefulSet({ name: 'db', replicas: 10, podManagementPolicy: 'Parallel', partition: 3, maxUnavailable: 2, podUpdatePolicy: 'InPlaceIfPossible' }) as StatefulSet & KubeObject);
    await manager.waitForRollout(KruiseResources.StatefulSet, db);
    manager.cluster.kubelet.pause();
    await manager.update(KruiseResources.StatefulSet, db, (s) => ({ ...s, spec: { ...s.spec, template: { ...s.spec.template, spec: { ...s.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1.27' }] } } } }));
    await manager.waitFor(KruiseResources.StatefulSet, db, (s) => s.status?.observedGeneration === s.metadata.generation && s.status?.updatedReplicas === 2);
    await manager.cluster.settle();
    const explained = JSON.parse((await run(manager, ['explain', 'asts/db', '-o', 'json'])).out) as WorkloadExplanation;
    const byPod = Object.fromEntries(explained.pods.map((p) => [p.pod, `${p.reason}${p.position === undefined ? '' : `#${String(p.position)}`}`]));
    expect(byPod).toEqual({
      'db-9': 'in-place-update-in-progress',
      'db-8': 'in-place-update-in-progress',
      'db-7': 'max-unavailable-reached#3',
      'db-6': 'max-unavailable-reached#4',
      'db-5': 'max-unavailable-reached#5',
      'db-4': 'max-unavailable-reached#6',
      'db-3': 'max-unavailable-reached#7',
      'db-2': 'partition',
      'db-1': 'partition',
      'db-0': 'partition',
    });
    const onePod = await run(manager, ['explain', 'pod/db-2']);
    expect(onePod.out).toContain('db-2');
    expect(onePod.out).toContain('not updated: partition 3 keeps it at the old revision');
    manager.cluster.kubelet.resume();
    await manager.waitFor(KruiseResources.StatefulSet, db, (s) => s.status?.updatedReadyReplicas === 7 && s.status.readyReplicas === 10, { timeoutMs: 300_000 });
    const images = Object.fromEntries((await livePods(manager, 'db')).map((p) => [p.metadata.name ?? '', p.spec.containers[0]?.image]));
    expect(Object.keys(images).filter((n) => images[n] === 'nginx:1').sort()).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('Advanced DaemonSet on 3 nodes paused with a new image: every pod says paused (also for one pod); resumed and rolled out: every pod updated', async () => {
    await using manager = await startTestManager({ controllers: ['daemonset'] });
    const agent = { namespace: 'default', name: 'agent' };
    await manager.create(KruiseResources.DaemonSet, aDaemonSet({ name: 'agent', maxUnavailable: 1, paused: true }) as DaemonSet & KubeObject);
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    await manager.update(KruiseResources.DaemonSet, agent, (d) => ({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ name: 'main', image: 'nginx:1.27' }] } } } }));
    await manager.waitFor(KruiseResources.DaemonSet, agent, (d) => d.status?.observedGeneration === d.metadata.generation);
    const paused = JSON.parse((await run(manager, ['explain', 'ads/agent', '-o', 'json'])).out) as WorkloadExplanation;
    expect(paused.pods.map((p) => p.reason)).toEqual(['paused', 'paused', 'paused']);
    const [first] = await livePods(manager, 'agent');
    const onePod = await run(manager, ['explain', `pod/${first?.metadata.name ?? ''}`]);
    expect(onePod.out).toContain('not updated: the rollout is paused (rollingUpdate.paused)');
    expect((await run(manager, ['rollout', 'resume', 'ads/agent'])).code).toBe(EXIT.ok);
    await manager.waitForRollout(KruiseResources.DaemonSet, agent);
    const done = JSON.parse((await run(manager, ['explain', 'ads/agent', '-o', 'json'])).out) as WorkloadExplanation;
    expect(done.pods.map((p) => p.reason)).toEqual(['updated', 'updated', 'updated']);
  });

  it('refuses a pod no Kruise workload controls', async () => {
    await using manager = await startTestManager({ controllers: [] });
    await manager.cluster.client.create(Resources.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'nginx:1' }] } });
    const lonely = await run(manager, ['explain', 'pod', 'lonely']);
    expect([lonely.code, lonely.err]).toEqual([EXIT.failed, 'error: pod "lonely" is not controlled by a CloneSet, an Advanced StatefulSet or an Advanced DaemonSet\n']);
  });

});
