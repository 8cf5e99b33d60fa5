import type { PersistentVolumeClaim } from '@kruise-ts/core';
import { NotFoundError, Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, bindClaims, cloneSetManifest, createNamespace, getCloneSet, isReady, patchCloneSetSpec, podsOf, type PodObject } from './cloneSetManifest.js';
import { useCloneSetCluster } from './useCloneSetCluster.js';

const INSTANCE_ID = 'apps.kruise.io/cloneset-instance-id';
type PvcObject = PersistentVolumeClaim & KubeObject;

const settledAt = (n: number) => ({ replicas: n, readyReplicas: n, availableReplicas: n, updatedReplicas: n, updatedReadyReplicas: n, expectedUpdatedReplicas: n });
const idOf = (pod: PodObject): string => pod.metadata.labels?.[INSTANCE_ID] ?? '';

describe('CloneSet volumeClaimTemplates on a real apiserver', () => {
  // Without the StorageObjectInUseProtection admission plugin a deleted claim is gone at once, so
  // the test does not depend on kube-controller-manager's pvc-protection controller (which lifts
  // the `kubernetes.io/pvc-protection` finalizer once no pod uses the claim) being run by the harness.
  const env = useCloneSetCluster({ apiServerArgs: ['--disable-admission-plugins=StorageObjectInUseProtection'] });

  it('gives each pod its PVC, reuses it for a pod deleted by hand, deletes it on scale-down', async () => {
    const { client } = env.cluster;
    const ns = 'pvc';
    const name = 'db';
    await createNamespace(client, ns);
    const storage = bindClaims(client, ns);
    const pvcsOf = async (): Promise<PvcObject[]> => (await client.list(Resources.PersistentVolumeClaim, { namespace: ns })).items;
    const pvcUids = async (): Promise<Record<string, string>> => Object.fromEntries((await pvcsOf()).map((c) => [c.metadata.name ?? '', c.metadata.uid ?? '']));
    try {
      const manifest = cloneSetManifest(name, ns, {
        replicas: 3,
        scaleStrategy: { enablePVCReuse: true },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      });
      manifest.spec.template.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/var/lib/data' }];
      await client.create(Resources.CloneSet, manifest);
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status).toMatchObject(settledAt(3));
        expect((await podsOf(client, ns, name)).filter(isReady)).toHaveLength(3);
      }, LONG_WAIT);

      // Each pod has its own PVC `<template>-<cloneset>-<instance-id>`, mounted under the template's name.
      const cs = await getCloneSet(client, ns, name);
      const pods = await podsOf(client, ns, name);
      const claims = await pvcsOf();
      expect(claims.map((c) => c.metadata.name).sort()).toEqual(pods.map((p) => `data-${name}-${idOf(p)}`).sort());
      for (const pod of pods) {
        const claimName = `data-${name}-${idOf(pod)}`;
        expect(pod.metadata.name).toBe(`${name}-${idOf(pod)}`);
        expect(pod.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName } });
        expect(pod.spec.containers[0]?.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/data' });
        const claim = claims.find((c) => c.metadata.name === claimName);
        expect(claim?.metadata.labels).toEqual({ app: name, [INSTANCE_ID]: idOf(pod) });
        expect(claim?.metadata.ownerReferences).toEqual([
          { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name, uid: cs.metadata.uid, controller: true, blockOwnerDeletion: true },
        ]);
        expect(claim?.spec?.resources?.requests).toEqual({ storage: '1Gi' });
      }

      // A pod deleted by hand comes back with the same instance id, name and PVC.
      const uidsBefore = await pvcUids();
      const victim = pods[0]!;
      await client.delete(Resources.Pod, { name: victim.metadata.name ?? '', namespace: ns });
      await vi.waitFor(async () => {
        const now = await podsOf(client, ns, name);
        expect(now).toHaveLength(3);
        const back = now.find((p) => p.metadata.name === victim.metadata.name);
        expect(back?.metadata.uid).toBeDefined();
        expect(back?.metadata.uid).not.toBe(victim.metadata.uid);
        expect(back === undefined ? false : isReady(back)).toBe(true);
        expect((await getCloneSet(client, ns, name)).status).toMatchObject(settledAt(3));
      }, LONG_WAIT);
      const back = (await podsOf(client, ns, name)).find((p) => p.metadata.name === victim.metadata.name)!;
      expect(idOf(back)).toBe(idOf(victim));
      expect(back.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: `data-${name}-${idOf(victim)}` } });
      expect(await pvcUids()).toEqual(uidsBefore);

      // Scale-down 3 → 2: the removed pod's PVC is deleted with it; the others stay untouched.
      const three = await podsOf(client, ns, name);
      await patchCloneSetSpec(client, ns, name, { replicas: 2 });
      await vi.waitFor(async () => {
        const cloneSet = await getCloneSet(client, ns, name);
        expect(cloneSet.status?.observedGeneration).toBe(cloneSet.metadata.generation);
        expect(cloneSet.status).toMatchObject(settledAt(2));
        expect(await podsOf(client, ns, name)).toHaveLength(2);
        expect(await pvcsOf()).toHaveLength(2);
      }, LONG_WAIT);
      const two = await podsOf(client, ns, name);
      const removed = three.filter((p) => !two.some((q) => q.metadata.uid === p.metadata.uid));
      expect(removed).toHaveLength(1);
      const removedClaim = `data-${name}-${idOf(removed[0]!)}`;
      await expect(client.get(Resources.PersistentVolumeClaim, { name: removedClaim, namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
      const { [removedClaim]: _gone, ...others } = uidsBefore;
      expect(await pvcUids()).toEqual(others);
      expect(Object.keys(others).sort()).toEqual(two.map((p) => `data-${name}-${idOf(p)}`).sort());
    } finally {
      await storage.stop();
    }
  });
});
