import { Resources, systemClock, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
// The CloneSet controller running in this process against the test cluster, as the controllers' e2e tests run it.
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet, isReady, podsOf, type PodObject } from '../../../controllers/test/e2e/cloneSetManifest.js';
import { pokeAndSettle, useCloneSetCluster } from '../../../controllers/test/e2e/useCloneSetCluster.js';
import { setPodCondition } from '../../../controllers/test/e2e/watchCloneSetPods.js';
import { captureOn } from '../../src/cliCapture.testkit.js';
import { EXIT, runCli, type WorkloadExplanation } from '../../src/index.js';

const cli = (client: KubeClient) => captureOn(client, systemClock());

const REPLICAS = 20;


const images = (pods: readonly PodObject[]) => [...new Set(pods.map((p) => p.spec.containers[0]?.image))];
const uids = (pods: readonly PodObject[]) => pods.map((p) => p.metadata.uid).sort();

describe('kruise-ts rollout on a real apiserver', () => {
  const env = useCloneSetCluster();

  it(`rollout status of an in-place rollout of ${REPLICAS} pods blocks and exits 0 when it is done; pause and resume stop and restart it`, async () => {
    const { client } = env.cluster;
    const ns = 'cli';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas: REPLICAS, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: '20%', maxSurge: 0 } } }),
    );
    const first = cli(client);
    expect(await runCli(['rollout', 'status', `cloneset/${name}`, '-n', ns, '--timeout=110s'], first.io)).toBe(EXIT.ok);
    const before = await podsOf(client, ns, name);
    expect(before.filter(isReady)).toHaveLength(REPLICAS);

    // An in-place rollout: status blocks (it prints waiting states) and returns 0 once every pod runs the new image.
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    const status = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], status.io)).toBe(EXIT.ok);
    const lines = status.out().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.startsWith(`Waiting for CloneSet "${name}"`))).toBe(true);
    expect(lines.at(-1)).toBe(`CloneSet "${name}" successfully rolled out`);
    const after = await podsOf(client, ns, name);
    expect(images(after)).toEqual(['nginx:1.26']);
    expect(after.filter(isReady)).toHaveLength(REPLICAS);
    expect(uids(after)).toEqual(uids(before));

    // Paused: a new image is observed but no pod changes; status gives up at its timeout with exit 1.
    const pause = cli(client);
    expect(await runCli(['rollout', 'pause', `cs/${name}`, '-n', ns], pause.io)).toBe(EXIT.ok);
    expect(pause.out()).toBe(`cloneset.apps.kruise.io/${name} paused\n`);
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }] });
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
    }, LONG_WAIT);
    const held = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=5s'], held.io)).toBe(EXIT.failed);
    expect(held.err()).toBe('error: timed out waiting for the condition\n');
    expect(held.out()).toBe(`Waiting for CloneSet "${name}" rollout to finish: 0 out of ${REPLICAS} new replicas have been updated...\n`);
    expect(images(await podsOf(client, ns, name))).toEqual(['nginx:1.26']);

    // Resumed: the rollout goes on to the end.
    const resume = cli(client);
    expect(await runCli(['rollout', 'resume', `cs/${name}`, '-n', ns], resume.io)).toBe(EXIT.ok);
    const done = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], done.io)).toBe(EXIT.ok);
    const resumed = await podsOf(client, ns, name);
    expect(images(resumed)).toEqual(['nginx:1.27']);
    expect(resumed.filter(isReady)).toHaveLength(REPLICAS);
    expect(uids(resumed)).toEqual(uids(before));
  });
  it('rollout status exits 1 when the rollout exceeds its progressDeadlineSeconds', async () => {
    const { client } = env.cluster;
    const ns = 'cli-deadline';
    const name = 'stuck';
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas: 4, progressDeadlineSeconds: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'ReCreate', partition: 0, maxUnavailable: 1, maxSurge: 0 } } }),
    );
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], cli(client).io)).toBe(EXIT.ok);
    // A readiness gate nobody sets: the recreated pod never becomes ready, the rollout stalls.
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'add', path: '/spec/template/spec/readinessGates', value: [{ conditionType: 'example.com/never' }] }] });
    const status = cli(client);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], status.io)).toBe(EXIT.failed);
    expect(status.err()).toBe(`error: CloneSet "${name}" exceeded its progress deadline\n`);
    const cs = await getCloneSet(client, ns, name);
    expect(cs.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(cs.status?.updatedReadyReplicas ?? 0).toBe(0);
  });

  it('rollout undo returns a CloneSet to the previous revision in place (same pods, old image); history lists the revisions; restart stamps the template and rolls in place', async () => {
    const { client } = env.cluster;
    const ns = 'cli-undo';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', partition: 0, maxUnavailable: 2, maxSurge: 0 } } }));
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], cli(client).io)).toBe(EXIT.ok);
    const first = await podsOf(client, ns, name);
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], cli(client).io)).toBe(EXIT.ok);
    expect(images(await podsOf(client, ns, name))).toEqual(['nginx:1.26']);

    const history = cli(client);
    expect(await runCli(['rollout', 'history', `cs/${name}`, '-n', ns], history.io)).toBe(EXIT.ok);
    expect(history.out()).toBe(`cloneset.apps.kruise.io/${name}\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n`);
    const one = cli(client);
    expect(await runCli(['rollout', 'history', `cs/${name}`, '-n', ns, '--revision=1'], one.io)).toBe(EXIT.ok);
    expect(one.out()).toContain('    Image:\tnginx:1.25\n');

    const undo = cli(client);
    expect(await runCli(['rollout', 'undo', `cs/${name}`, '-n', ns], undo.io)).toBe(EXIT.ok);
    expect(undo.out()).toBe(`cloneset.apps.kruise.io/${name} rolled back\n`);
    expect((await getCloneSet(client, ns, name)).spec.template.spec.containers[0]?.image).toBe('nginx:1.25');
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], cli(client).io)).toBe(EXIT.ok);
    const back = await podsOf(client, ns, name);
    expect(images(back)).toEqual(['nginx:1.25']);
    expect(back.filter(isReady)).toHaveLength(4);
    expect(uids(back)).toEqual(uids(first));
    const cs = await getCloneSet(client, ns, name);
    expect(back.every((p) => p.metadata.labels?.['controller-revision-hash'] === cs.status?.updateRevision)).toBe(true);

    const restart = cli(client);
    expect(await runCli(['rollout', 'restart', `cs/${name}`, '-n', ns, '-o', 'json'], restart.io)).toBe(EXIT.ok);
    const stamp = (JSON.parse(restart.out()) as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata.annotations['kubectl.kruise.io/restartedAt'];
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], cli(client).io)).toBe(EXIT.ok);
    const restarted = await podsOf(client, ns, name);
    expect(restarted.map((p) => p.metadata.annotations?.['kubectl.kruise.io/restartedAt'])).toEqual([stamp, stamp, stamp, stamp]);
    expect(uids(restarted)).toEqual(uids(first));
  });

  it('scaledown deletes exactly the named pods (podsToDelete) and lowers replicas', async () => {
    const { client } = env.cluster;
    const ns = 'cli-scaledown';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 4 }));
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=110s'], cli(client).io)).toBe(EXIT.ok);
    const names = (await podsOf(client, ns, name)).map((p) => p.metadata.name ?? '').sort();
    const chosen = [names[1] ?? '', names[3] ?? ''];
    const scaled = cli(client);
    expect(await runCli(['scaledown', `cloneset/${name}`, '-n', ns, '--pods', chosen.join(',')], scaled.io)).toBe(EXIT.ok);
    expect(scaled.out()).toBe(`cloneset.apps.kruise.io/${name} scaled down: pods ${chosen.join(', ')} deleted\n`);
    await vi.waitFor(async () => {
      const left = (await podsOf(client, ns, name)).filter((p) => p.metadata.deletionTimestamp === undefined);
      expect(left.map((p) => p.metadata.name).sort()).toEqual([names[0], names[2]]);
    }, LONG_WAIT);
    expect((await getCloneSet(client, ns, name)).spec.replicas).toBe(2);
  });

  it('explain on a CloneSet of 10 (partition 3, maxUnavailable 2) mid-rollout names each pod\'s reason, and the controller then does just that', async () => {
    const { client } = env.cluster;
    const ns = 'cli-explain';
    const name = 'web';
    const gate = 'example.com/warm';
    await createNamespace(client, ns);
    // orderPriority by a per-pod rank label: the update order (and so which pods the partition keeps) is fully determined.
    const rollingUpdate = { podUpdatePolicy: 'InPlaceIfPossible' as const, partition: 3, maxUnavailable: 2, maxSurge: 0, priorityStrategy: { orderPriority: [{ orderedKey: 'rank' }] } };
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate } }));
    expect(await runCli(['rollout', 'status', `cs/${name}`, '-n', ns, '--timeout=150s'], cli(client).io)).toBe(EXIT.ok);
    const ranked = (await podsOf(client, ns, name)).map((p) => p.metadata.name ?? '').sort();
    for (const [i, pod] of ranked.entries()) await client.patch(Resources.Pod, { namespace: ns, name: pod }, { type: 'merge', body: { metadata: { labels: { rank: `r-${String(i)}` } } } });
    // A readiness gate nobody sets yet: a recreate (readinessGates cannot change in place), and the new pods stay unready.
    await client.patch(Resources.CloneSet, { namespace: ns, name }, { type: 'json', operations: [{ op: 'add', path: '/spec/template/spec/readinessGates', value: [{ conditionType: gate }] }] });
    // CloneSet gives every pod the InPlaceUpdateReady gate; the new template adds ours.
    const gated = (pod: PodObject) => (pod.spec.readinessGates ?? []).some((g) => g.conditionType === gate);
    const live = async () => (await podsOf(client, ns, name)).filter((p) => p.metadata.deletionTimestamp === undefined);
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status?.updatedReplicas).toBe(2);
      expect(await live()).toHaveLength(10);
    }, LONG_WAIT);

    const out = cli(client);
    expect(await runCli(['explain', `cs/${name}`, '-n', ns, '-o', 'json'], out.io)).toBe(EXIT.ok);
    const explained = JSON.parse(out.out()) as WorkloadExplanation;
    const having = (reason: string) => explained.pods.filter((p) => p.reason === reason).map((p) => p.pod).sort();
    const fresh = having('not-available-yet');
    const queued = having('max-unavailable-reached');
    const kept = having('partition');
    expect([fresh.length, queued.length, kept.length]).toEqual([2, 5, 3]);
    expect(explained).toMatchObject({ updateNum: 5, updateMaxUnavailable: 2 });
    // Higher rank first: r-9 and r-8 went first, r-7..r-3 queue in that order, r-2..r-0 stay.
    const byPosition = explained.pods.filter((p) => p.reason === 'max-unavailable-reached').sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((p) => p.pod);
    expect(byPosition).toEqual([7, 6, 5, 4, 3].map((i) => ranked[i]));
    expect(kept).toEqual([ranked[0], ranked[1], ranked[2]].sort());

    // The controller agrees: with the two new pods unready, no other pod is touched ...
    await pokeAndSettle(client, env.signals, ns, name);
    expect((await live()).map((p) => p.metadata.name).sort()).toEqual([...fresh, ...queued, ...kept].sort());
    // ... and as each new pod warms up, it replaces exactly the queued ones; the partition keeps the other three.
    const goneAt = new Map<string, number>();
    let poll = 0;
    await vi.waitFor(async () => {
      const pods = await live();
      poll += 1;
      for (const pod of queued) if (!pods.some((p) => p.metadata.name === pod) && !goneAt.has(pod)) goneAt.set(pod, poll);
      for (const pod of pods) if (gated(pod) && pod.status?.conditions?.find((c) => c.type === gate)?.status !== 'True') await setPodCondition(client, pod, gate, 'True');
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.updatedReadyReplicas).toBe(7);
      expect(cs.status?.readyReplicas).toBe(10);
    }, { timeout: 150_000, interval: 500 });
    const old = (await live()).filter((p) => !gated(p)).map((p) => p.metadata.name).sort();
    expect(old).toEqual(kept);
    // The queued pods went in the order explain gave (two at a time at most).
    const order = byPosition.map((pod) => goneAt.get(pod) ?? poll + 1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

