import { INJECTED_PERSISTENT_POD_STATE_ANNOTATION } from '@kruise-ts/core';
import { aPersistentPodState } from '@kruise-ts/core/testing';
import { Resources } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { createPodMutatingWebhook } from '../webhook/pod/podMutatingWebhook.js';
import { applyJsonPatch } from '../webhook/testing/webhook.testkit.js';
import { createPersistentPodStatePodMutator } from '../webhook/persistentpodstate/persistentPodStatePodMutator.js';
import { startPersistentPodStateWorld, type PersistentPodStateWorld } from './persistentPodStateController.testkit.js';

const ZONE = 'topology.kubernetes.io/zone';
const zoneOf = async (w: PersistentPodStateWorld, node: string): Promise<string | undefined> => (await w.user.get(Resources.Node, { name: node })).metadata.labels?.[ZONE];

describe('PersistentPodState controller (memory cluster, three zones)', () => {
  let world: PersistentPodStateWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function withSet(replicas: number, annotations: Record<string, string> = {}): Promise<PersistentPodStateWorld> {
    world = await startPersistentPodStateWorld();
    await world.createSet({ replicas }, annotations);
    const w = world;
    await w.until(async () => (await w.pods()).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === replicas);
    return w;
  }

  it('records each Ready pod’s node and zone; a re-created pod is put back in its zone by the pod webhook', async () => {
    const w = await withSet(3);
    await w.createState(aPersistentPodState({ namespace: 'apps' }));
    await w.until(async () => Object.keys((await w.state())?.status?.podStates ?? {}).length === 3);
    const states = (await w.state())?.status?.podStates ?? {};
    for (const pod of await w.pods()) {
      const recorded = states[pod.metadata.name ?? ''];
      expect(recorded?.nodeName).toBe(pod.spec.nodeName);
      expect(recorded?.nodeTopologyLabels).toEqual({ [ZONE]: await zoneOf(w, pod.spec.nodeName ?? '') });
    }
    // web-1 is deleted; the set re-creates it; the pod webhook (not run by the memory cluster) is asked about the new pod.
    // The state as the webhook reads it when the set re-creates the pod: the deleted pod's, still recorded.
    const old = await w.pod('web-1');
    await w.user.delete(Resources.Pod, { namespace: 'apps', name: 'web-1' });
    await w.until(async () => (await w.allPods()).every((p) => p.metadata.uid !== old.metadata.uid));
    const atAdmission = await w.state();
    expect(atAdmission?.status?.podStates?.['web-1']).toEqual(states['web-1']);
    await w.until(async () => (await w.pods()).some((p) => p.metadata.name === 'web-1'));
    const recreated = await w.pod('web-1');
    const webhook = createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [createPersistentPodStatePodMutator({ source: () => Promise.resolve(atAdmission === undefined ? [] : [atAdmission]) })] });
    const decision = await webhook.handle(
      { uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', namespace: 'apps', name: 'web-1', object: recreated },
      { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) },
    );
    const patched = applyJsonPatch(recreated, decision.kind === 'allow' ? (decision.patch ?? []) : []) as typeof recreated;
    expect(patched.spec.nodeSelector).toEqual({ [ZONE]: states['web-1']?.nodeTopologyLabels?.[ZONE] });
    expect(patched.metadata.annotations?.[INJECTED_PERSISTENT_POD_STATE_ANNOTATION]).toBe('web');
  });

  it('WhenScaled: scaling 3 → 2 forgets web-2; WhenDeleted keeps it', async () => {
    const w = await withSet(3);
    await w.createState(aPersistentPodState({ namespace: 'apps' }));
    await w.createState(aPersistentPodState({ namespace: 'apps', name: 'kept', target: 'web', retention: 'WhenDeleted' }));
    await w.until(async () => Object.keys((await w.state('kept'))?.status?.podStates ?? {}).length === 3 && Object.keys((await w.state())?.status?.podStates ?? {}).length === 3);
    await w.update('web', (set) => ({ ...set, spec: { ...set.spec, replicas: 2 } }));
    await w.until(async () => Object.keys((await w.state())?.status?.podStates ?? {}).length === 2);
    expect(Object.keys((await w.state())?.status?.podStates ?? {}).sort()).toEqual(['web-0', 'web-1']);
    expect(Object.keys((await w.state('kept'))?.status?.podStates ?? {}).sort()).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('generates the PersistentPodState from the set’s annotations, updates it when they change, deletes it when auto-generation is removed', async () => {
    const w = await withSet(2, { 'kruise.io/auto-generate-persistent-pod-state': 'true', 'kruise.io/required-persistent-topology': ZONE });
    await w.until(async () => Object.keys((await w.state())?.status?.podStates ?? {}).length === 2);
    const generated = await w.state();
    expect(generated?.spec).toEqual({ targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web' }, requiredPersistentTopology: { nodeTopologyKeys: [ZONE] } });
    expect(generated?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
    await w.update('web', (set) => ({ ...set, metadata: { ...set.metadata, annotations: { ...set.metadata.annotations, 'kruise.io/preferred-persistent-topology': 'kubernetes.io/hostname' } } }));
    await w.until(async () => (await w.state())?.spec.preferredPersistentTopology?.[0]?.weight === 100);
    await w.update('web', (set) => {
      const { 'kruise.io/auto-generate-persistent-pod-state': _auto, ...annotations } = set.metadata.annotations ?? {};
      return { ...set, metadata: { ...set.metadata, annotations } };
    });
    await w.until(async () => (await w.state()) === undefined);
  });

  it('a state whose workload is gone keeps no pod states', async () => {
    const w = await withSet(1);
    await w.createState(aPersistentPodState({ namespace: 'apps', name: 'other', target: 'missing' }));
    await w.until(async () => (await w.state('other'))?.status?.observedGeneration !== undefined);
    expect((await w.state('other'))?.status?.podStates).toBeUndefined();
  });
});
