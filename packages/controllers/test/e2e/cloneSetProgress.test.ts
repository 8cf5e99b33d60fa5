import type { CloneSetCondition } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, cloneSetManifest, createNamespace, getCloneSet, isReady, podsOf, type CloneSetObject } from './cloneSetManifest.js';
import { pokeAndSettle, useCloneSetCluster } from './useCloneSetCluster.js';
import { watchCloneSetPods } from './watchCloneSetPods.js';

const LIFECYCLE_STATE = 'lifecycle.apps.kruise.io/state';
const progressing = (cs: CloneSetObject): CloneSetCondition | undefined => cs.status?.conditions?.find((c) => c.type === 'Progressing');
const seconds = (time: string | null | undefined): number => Date.parse(time ?? '') / 1000;

// OpenKruise's progressDeadlineSeconds on a real apiserver. Each test works in a namespace of its own.
describe('CloneSet Progressing condition on a real apiserver', () => {
  const env = useCloneSetCluster();

  it('a paused rollout reports Progressing True, reason CloneSetPaused, and touches no pod; resumed, it completes (CloneSetAvailable)', async () => {
    const { client } = env.cluster;
    const ns = 'progress-paused';
    const name = 'web';
    await createNamespace(client, ns);
    await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { progressDeadlineSeconds: 600, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' } } }));
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status).toMatchObject({ replicas: 3, availableReplicas: 3, updatedAvailableReplicas: 3 });
      expect(progressing(cs)).toMatchObject({ status: 'True', reason: 'CloneSetAvailable' });
    }, LONG_WAIT);
    const before = await podsOf(client, ns, name);

    // Paused and a new image in one write: the update revision moves, no pod does.
    await client.patch(Resources.CloneSet, { name, namespace: ns }, {
      type: 'json',
      operations: [
        { op: 'add', path: '/spec/updateStrategy/rollingUpdate/paused', value: true },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' },
      ],
    });
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status?.updateRevision).not.toBe(cs.status?.currentRevision);
      expect(cs.status).toMatchObject({ replicas: 3, updatedReplicas: 0 });
      expect(progressing(cs)).toMatchObject({ status: 'True', reason: 'CloneSetPaused', message: 'CloneSet is paused' });
    }, LONG_WAIT);
    // Two more passes, then nothing queued: still paused, no pod changed.
    await pokeAndSettle(client, env.signals, ns, name);
    const paused = await getCloneSet(client, ns, name);
    expect(progressing(paused)).toMatchObject({ status: 'True', reason: 'CloneSetPaused' });
    const identity = (pods: typeof before) => pods.map((p) => `${p.metadata.uid ?? ''}@${p.metadata.resourceVersion ?? ''}`).sort();
    expect(identity(await podsOf(client, ns, name))).toEqual(identity(before));

    await client.patch(Resources.CloneSet, { name, namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/updateStrategy/rollingUpdate/paused', value: false }] });
    await vi.waitFor(async () => {
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
      expect(cs.status).toMatchObject({ updatedReplicas: 3, updatedAvailableReplicas: 3 });
      expect(cs.status?.currentRevision).toBe(cs.status?.updateRevision);
      expect(progressing(cs)).toMatchObject({ status: 'True', reason: 'CloneSetAvailable' });
    }, LONG_WAIT);
    expect((await podsOf(client, ns, name)).every((p) => p.spec.containers[0]?.image === 'nginx:1.26' && isReady(p))).toBe(true);
  });

  it('new pods held in PreparingNormal by a preNormal finalizer hook: ProgressDeadlineExceeded (False) after progressDeadlineSeconds 5, with nothing else happening; the hook met, CloneSetAvailable', async () => {
    const { client } = env.cluster;
    const ns = 'progress-deadline';
    const name = 'web';
    const hook = 'example.com/warmed-up';
    await createNamespace(client, ns);
    const pods = await watchCloneSetPods(client, ns, name);
    const podEventAt: number[] = [];
    pods.onChange(() => podEventAt.push(Date.now()));
    // When the CloneSet watch first saw each Progressing reason (local clock), and the condition then.
    const seen = new Map<string, { at: number; condition: CloneSetCondition }>();
    const abort = new AbortController();
    const watching = (async () => {
      for await (const event of client.watch(Resources.CloneSet, { namespace: ns, signal: abort.signal })) {
        if (event.type === 'BOOKMARK') continue;
        const condition = progressing(event.object);
        if (condition?.reason !== undefined && !seen.has(condition.reason)) seen.set(condition.reason, { at: Date.now(), condition });
      }
    })().catch(() => undefined);
    try {
      await client.create(Resources.CloneSet, cloneSetManifest(name, ns, { replicas: 2, progressDeadlineSeconds: 5, lifecycle: { preNormal: { finalizersHandler: [hook] } } }));
      await vi.waitFor(() => {
        expect(seen.get('ProgressDeadlineExceeded')).toBeDefined();
      }, LONG_WAIT);
      const updated = seen.get('CloneSetUpdated');
      const exceeded = seen.get('ProgressDeadlineExceeded');
      expect(updated?.condition).toMatchObject({ status: 'True', message: 'CloneSet is progressing' });
      expect(exceeded?.condition).toMatchObject({ status: 'False', message: expect.stringContaining('has timed out progressing') as string });
      // Timed by the controller from the condition's lastUpdateTime (seconds): at the deadline, plus
      // OpenKruise's extra second, plus the truncation of the times to the second.
      const late = seconds(exceeded?.condition.lastTransitionTime) - seconds(updated?.condition.lastUpdateTime);
      expect(late).toBeGreaterThanOrEqual(5);
      expect(late).toBeLessThanOrEqual(8);
      // Nothing woke the CloneSet then: its pods had not changed for a while (the controller
      // requeued itself for the deadline).
      const lastPodEvent = Math.max(...podEventAt.filter((t) => t <= (exceeded?.at ?? 0)));
      expect((exceeded?.at ?? 0) - lastPodEvent).toBeGreaterThanOrEqual(1000);
      const held = await podsOf(client, ns, name);
      expect(held).toHaveLength(2);
      expect(held.map((p) => p.metadata.labels?.[LIFECYCLE_STATE])).toEqual(['PreparingNormal', 'PreparingNormal']);
      const cs = await getCloneSet(client, ns, name);
      expect(cs.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 0 });
      expect(progressing(cs)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });

      // The hook's owner adds its finalizer: the pods turn Normal and the CloneSet is available.
      for (const pod of held) {
        await client.patch(Resources.Pod, { name: pod.metadata.name ?? '', namespace: ns }, { type: 'merge', body: { metadata: { finalizers: [hook] } } });
      }
      await vi.waitFor(async () => {
        const now = await getCloneSet(client, ns, name);
        expect(now.status).toMatchObject({ availableReplicas: 2, updatedAvailableReplicas: 2 });
        expect(progressing(now)).toMatchObject({ status: 'True', reason: 'CloneSetAvailable' });
      }, LONG_WAIT);
      expect((await podsOf(client, ns, name)).map((p) => p.metadata.labels?.[LIFECYCLE_STATE])).toEqual(['Normal', 'Normal']);
    } finally {
      abort.abort();
      await watching;
      await pods.stop();
    }
  });
});
