import type { PersistentVolumeClaim } from '@kruise-ts/core';
import { Resources, type KubeObject } from '@kruise-ts/k8s-adapter';
import { describe, expect, it, vi } from 'vitest';
import { LONG_WAIT, bindClaims, cloneSetManifest, createNamespace, getCloneSet, isReady, isTerminating, podsOf, type PodObject } from './cloneSetManifest.js';
import { pokeAndSettle, useCloneSetCluster } from './useCloneSetCluster.js';
import { watchCloneSetPods } from './watchCloneSetPods.js';

const INSTANCE_ID = 'apps.kruise.io/cloneset-instance-id';
type PvcObject = PersistentVolumeClaim & KubeObject;
const claimOf = (pod: PodObject): string | undefined => pod.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName;

// Unlike cloneSetPvc.test.ts, the StorageObjectInUseProtection admission plugin is on: a deleted
// claim keeps the `kubernetes.io/pvc-protection` finalizer (it is Terminating) until no pod uses
// it, as on a real cluster; kube-controller-manager's pvc-protection controller lifts it.
// `bindClaims` plays the PV binder (the cluster has no provisioner).
describe('CloneSet volumeClaimTemplates change on a real apiserver (PVC protection on)', () => {
  const env = useCloneSetCluster({ featureGates: 'RecreatePodWhenChangeVCTInCloneSetGate=true' });

  it('a new image with a bigger claim template (enablePVCReuse, RecreatePodWhenChangeVCTInCloneSetGate): pods and claims recreated, none left Pending; every pod Ready on a live claim of the new size', async () => {
    const { client } = env.cluster;
    const ns = 'vct';
    const name = 'db';
    const replicas = 3;
    await createNamespace(client, ns);
    const storage = bindClaims(client, ns);
    const pvcsOf = async (): Promise<PvcObject[]> => (await client.list(Resources.PersistentVolumeClaim, { namespace: ns })).items;
    try {
      const manifest = cloneSetManifest(name, ns, {
        replicas,
        scaleStrategy: { enablePVCReuse: true },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', maxUnavailable: 1 } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      });
      manifest.spec.template.spec.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/var/lib/data' }];
      await client.create(Resources.CloneSet, manifest);
      await vi.waitFor(async () => {
        const cs = await getCloneSet(client, ns, name);
        expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
        expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas });
      }, LONG_WAIT);
      const before = await podsOf(client, ns, name);
      const claimsBefore = await pvcsOf();
      expect(claimsBefore).toHaveLength(replicas);

      // Every pod event: no live pod may mount a claim that is being deleted (it would stay Pending).
      const watch = await watchCloneSetPods(client, ns, name);
      const onDoomedClaim: string[] = [];
      const terminatingClaims = new Set<string>();
      const pvcAbort = new AbortController();
      let sawTerminatingWithNewPod = false;
      const pvcWatch = (async () => {
        for await (const event of client.watch(Resources.PersistentVolumeClaim, { namespace: ns, signal: pvcAbort.signal })) {
          if (event.type === 'BOOKMARK') continue;
          const claim = event.object.metadata.name ?? '';
          if (event.type === 'DELETED') terminatingClaims.delete(claim);
          else if (event.object.metadata.deletionTimestamp !== undefined) terminatingClaims.add(claim);
          const newPods = [...watch.pods.values()].filter((p) => !before.some((b) => b.metadata.uid === p.metadata.uid) && !isTerminating(p));
          if (terminatingClaims.size > 0 && newPods.length > 0) sawTerminatingWithNewPod = true;
        }
      })().catch(() => undefined);
      watch.onChange((pods) => {
        for (const pod of pods.values()) {
          const claim = claimOf(pod);
          if (!isTerminating(pod) && !before.some((b) => b.metadata.uid === pod.metadata.uid) && claim !== undefined && terminatingClaims.has(claim)) onDoomedClaim.push(`${pod.metadata.name ?? ''} → ${claim}`);
        }
      });
      try {
        await client.patch(Resources.CloneSet, { name, namespace: ns }, {
          type: 'json',
          operations: [
            { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' },
            { op: 'replace', path: '/spec/volumeClaimTemplates/0/spec/resources/requests/storage', value: '2Gi' },
          ],
        });
        await vi.waitFor(async () => {
          const cs = await getCloneSet(client, ns, name);
          expect(cs.status?.observedGeneration).toBe(cs.metadata.generation);
          expect(cs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, updatedAvailableReplicas: replicas });
          expect(cs.status?.currentRevision).toBe(cs.status?.updateRevision);
          const pods = await podsOf(client, ns, name);
          expect(pods).toHaveLength(replicas);
          expect(pods.filter(isReady)).toHaveLength(replicas);
          // Old claims gone for good (the pvc-protection finalizer lifted once their pods went).
          expect((await pvcsOf()).map((c) => c.metadata.uid).filter((uid) => claimsBefore.some((c) => c.metadata.uid === uid))).toEqual([]);
        }, LONG_WAIT);
        // Two more passes and nothing queued: the picture below is the final one.
        await pokeAndSettle(client, env.signals, ns, name);
      } finally {
        pvcAbort.abort();
        await pvcWatch;
        await watch.stop();
      }

      const after = await podsOf(client, ns, name);
      const claims = await pvcsOf();
      // Every pod is new (a claim template change cannot be made in place), on the new image, and
      // mounts a live, bound claim of the new size named after its instance id.
      expect(after.filter((p) => before.some((b) => b.metadata.uid === p.metadata.uid))).toEqual([]);
      expect(claims).toHaveLength(replicas);
      for (const pod of after) {
        expect(pod.spec.containers[0]?.image).toBe('nginx:1.26');
        expect(pod.status?.phase).toBe('Running');
        const claim = claims.find((c) => c.metadata.name === claimOf(pod));
        expect(claimOf(pod)).toBe(`data-${name}-${pod.metadata.labels?.[INSTANCE_ID] ?? ''}`);
        expect(claim?.metadata.deletionTimestamp).toBeUndefined();
        expect(claim?.status?.phase).toBe('Bound');
        expect(claim?.spec?.resources?.requests).toEqual({ storage: '2Gi' });
      }
      expect(onDoomedClaim).toEqual([]);
      // Old claims were seen terminating (the pvc-protection finalizer on) while new pods ran.
      expect(sawTerminatingWithNewPod).toBe(true);
    } finally {
      await storage.stop();
    }
  });
});
