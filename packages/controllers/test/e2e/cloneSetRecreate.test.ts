import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetEvents, cloneSetManifest, createNamespace, getCloneSet, isReady, isTerminating, podsOf } from './cloneSetManifest.js';
import { useCloneSetCluster } from './useCloneSetCluster.js';
import { trackUnavailable, watchCloneSetPods } from './watchCloneSetPods.js';

/** Adds `MODE=blue` to the container's env: a change that cannot be made in place. */
const envChange = { type: 'json' as const, operations: [{ op: 'add' as const, path: '/spec/template/spec/containers/0/env', value: [{ name: 'MODE', value: 'blue' }] }] };

async function waitForReady(client: KubeClient, ns: string, name: string, replicas: number): Promise<string> {
  let revision = '';
  await vi.waitFor(async () => {
    const cs = await getCloneSet(client, ns, name);
    expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
    expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas });
    expect((await podsOf(client, ns, name)).filter(isReady)).toHaveLength(replicas);
    revision = cs.status?.updateRevision ?? '';
  }, LONG_WAIT);
  return revision;
}

describe('CloneSet recreate update on a real apiserver', () => {
  const env = useCloneSetCluster();

  it('recreates the pods for an env change under InPlaceIfPossible, within maxUnavailable 2', async () => {
    const { client } = env.cluster;
    const ns = 'recreate';
    const name = 'web';
    const replicas = 6;
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 2 } } }),
    );
    const oldRevision = await waitForReady(client, ns, name, replicas);
    const before = await podsOf(client, ns, name);

    const watch = await watchCloneSetPods(client, ns, name);
    const unavailable = trackUnavailable(watch, { replicas });
    let mostPods = 0;
    watch.onChange((pods) => {
      mostPods = Math.max(mostPods, [...pods.values()].filter((p) => !isTerminating(p)).length);
    });
    let newRevision = '';
    try {
      await client.patch(Resources.CloneSet, { name, namespace: ns }, envChange);
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status?.updateRevision).not.toBe(oldRevision);
        expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, updatedReadyReplicas: replicas });
        expect(cs.status?.currentRevision).toBe(cs.status?.updateRevision);
        const pods = await podsOf(client, ns, name);
        expect(pods).toHaveLength(replicas);
        expect(pods.filter(isReady)).toHaveLength(replicas);
        newRevision = cs.status?.updateRevision ?? '';
      }, LONG_WAIT);
    } finally {
      await watch.stop();
    }

    const after = await podsOf(client, ns, name);
    // Every pod is new: no old uid or name left, each at the new revision with the env.
    const oldUids = new Set(before.map((p) => p.metadata.uid));
    const oldNames = new Set(before.map((p) => p.metadata.name));
    expect(after.filter((p) => oldUids.has(p.metadata.uid))).toEqual([]);
    expect(after.filter((p) => oldNames.has(p.metadata.name))).toEqual([]);
    for (const pod of after) {
      expect(pod.metadata.labels?.['controller-revision-hash']).toBe(newRevision);
      expect(pod.spec.containers[0]?.env).toEqual([{ name: 'MODE', value: 'blue' }]);
      expect(pod.metadata.labels?.['apps.kruise.io/specified-delete']).toBeUndefined();
    }
    // The recreate went through the specified-delete label, as OpenKruise does it.
    await vi.waitFor(async () => {
      expect(await cloneSetEvents(client, ns, name, 'SuccessfulUpdatePodReCreate')).toHaveLength(replicas);
    }, LONG_WAIT);
    // At every pod event: never more than 2 of the 6 replicas missing or not ready, never a surge.
    expect(unavailable.history().every((n) => n <= 2)).toBe(true);
    expect(unavailable.max()).toBe(2);
    expect(mostPods).toBe(replicas);
  });

  it('refuses the same env change under InPlaceOnly: Warning event, FailedUpdate condition, no pod touched', async () => {
    const { client } = env.cluster;
    const ns = 'inplace-only';
    const name = 'web';
    const replicas = 3;
    await createNamespace(client, ns);
    await client.create(
      Resources.CloneSet,
      cloneSetManifest(name, ns, { replicas, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceOnly' } } }),
    );
    const oldRevision = await waitForReady(client, ns, name, replicas);
    const before = await podsOf(client, ns, name);
    const watch = await watchCloneSetPods(client, ns, name);
    try {
      await client.patch(Resources.CloneSet, { name, namespace: ns }, envChange);
      let message = '';
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status?.updateRevision).not.toBe(oldRevision);
        expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, updatedReplicas: 0, currentRevision: oldRevision });
        const failed = cs.status?.conditions?.find((c) => c.type === 'FailedUpdate');
        expect(failed).toMatchObject({ status: 'True' });
        expect(failed?.message).toContain('InPlaceOnly');
        message = failed?.message ?? '';
        const warnings = await cloneSetEvents(client, ns, name, 'FailedUpdatePodInPlace');
        expect(warnings.length).toBeGreaterThan(0);
        expect(warnings[0]).toMatchObject({ type: 'Warning' });
        expect(warnings[0]?.message).toContain('InPlaceOnly');
      }, LONG_WAIT);
      // The message names the pod and what needs a recreate.
      expect(before.some((p) => message.includes(p.metadata.name ?? '<none>'))).toBe(true);
      expect(message).toContain('env');

      const refused = await getCloneSet(client, ns, name);
      const failedUpdate = refused.status?.conditions?.find((c) => c.type === 'FailedUpdate');

      // Wake the controller twice (a metadata-only change of the CloneSet) and wait until it has
      // refused again each time (the recorder counts the identical Warning), then until it has
      // finished those reconciles and has nothing queued: every write of those passes is done.
      const refusals = async () => (await cloneSetEvents(client, ns, name, 'FailedUpdatePodInPlace')).reduce((n, e) => n + e.count, 0);
      const reconciled = await env.signals.reconciles();
      for (const poke of ['1', '2']) {
        const seen = await refusals();
        await client.patch(Resources.CloneSet, { name, namespace: ns }, { type: 'merge', body: { metadata: { annotations: { 'kruise-ts.test/poke': poke } } } });
        await vi.waitFor(async () => {
          expect(await refusals()).toBeGreaterThan(seen);
        }, LONG_WAIT);
      }
      await env.signals.waitForReconciles(reconciled, 2);
      // Still no pod touched: no pod event, and every pod at the resourceVersion it had.
      expect(watch.events).toEqual([]);
      const after = await podsOf(client, ns, name);
      const identity = (p: (typeof before)[number]) => ({ name: p.metadata.name, uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion });
      const sorted = (pods: typeof before) => pods.map(identity).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      expect(sorted(after)).toEqual(sorted(before));
      // The condition stays as it was: the same failure is not a new transition.
      const still = await getCloneSet(client, ns, name);
      expect(still.status?.conditions?.find((c) => c.type === 'FailedUpdate')).toEqual(failedUpdate);
      expect(still.status).toMatchObject({ updatedReplicas: 0, currentRevision: oldRevision });
    } finally {
      await watch.stop();
    }
  });
});
