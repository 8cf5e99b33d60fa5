import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { evictPod } from '../../src/client/evictPod.js';
import { NotFoundError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { Jobs, TIMESTAMP, eventually, newNamespace, pod, runningPod, type ContractTarget } from './contractTarget.js';

/**
 * The image digests every contract target is started with (`startTestCluster({ imageDigests })`,
 * `createMemoryCluster({ kubelet: { imageDigests } })`): two tags of one image, as a registry
 * would resolve them. `registry.example.com/web:1.1` is left unmapped.
 */
export const CONTRACT_IMAGE_DIGESTS = {
  'registry.example.com/web:1.0': `sha256:${'a1'.repeat(32)}`,
  'registry.example.com/web:stable': `sha256:${'a1'.repeat(32)}`,
} as const;

const imageId = (image: string): string => `${image.replace(/:[^:/]*$/, '')}@sha256:${createHash('sha256').update(image).digest('hex')}`;
const POD_IP = /^10\.(6[4-9]|7[0-9])\.[0-9]{1,3}\.[0-9]{1,3}$/;

/** The simulated nodes and kubelet (kwok on the real cluster), and scheduling. */
export function kubeletContract(target: () => ContractTarget): void {
  describe('nodes and kubelet', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });
    const running = (t: ContractTarget, name: string) => runningPod(t, ns, name);
    const condition = (p: { status?: { conditions?: { type: string; status: string }[] | undefined } | undefined }, type: string) => p.status?.conditions?.find((c) => c.type === type);

    it('nodes are Ready, with addresses and capacity', async () => {
      const t = target();
      const node = await t.client.get(Resources.Node, { name: t.nodeName });
      expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': t.nodeName, type: 'kwok' });
      expect(condition(node, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      expect(node.status?.allocatable).toEqual({ cpu: '32', memory: '256Gi', pods: '1k' });
      expect((node.status?.addresses as { type: string; address: string }[]).map((a) => a.type)).toEqual(['InternalIP', 'Hostname']);
    });

    it('a pod bound to a node becomes Running and Ready, with container statuses and IPs', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('run', ns, { nodeName: t.nodeName, containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] }));
      const current = await running(t, 'run');
      const node = await client.get(Resources.Node, { name: t.nodeName });
      const internalIp = (node.status?.addresses as { type: string; address: string }[]).find((a) => a.type === 'InternalIP')?.address;
      expect(current.status?.hostIP).toBe(internalIp);
      expect(current.status?.podIP).toMatch(POD_IP);
      expect(current.status?.startTime).toMatch(TIMESTAMP);
      expect(current.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodScheduled=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']);
      expect(current.status?.containerStatuses?.map((c) => ({ name: c.name, image: c.image, imageID: c.imageID, restartCount: c.restartCount, ready: c.ready, started: c.started }))).toEqual([
        { name: 'app', image: 'nginx:1.25', imageID: imageId('nginx:1.25'), restartCount: 0, ready: true, started: true },
        { name: 'side', image: 'busybox', imageID: imageId('busybox'), restartCount: 0, ready: true, started: true },
      ]);
      expect(current.metadata.labels?.['topology.kubernetes.io/zone']).toBe(node.metadata.labels?.['topology.kubernetes.io/zone']);
    });

    it('Ready waits for every readiness gate, and follows them', async () => {
      const t = target();
      const { client } = t;
      const key = { name: 'gated', namespace: ns };
      await client.create(Resources.Pod, pod('gated', ns, { nodeName: t.nodeName, readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] }));
      await running(t, 'gated');
      const notReady = condition(await client.get(Resources.Pod, key), 'Ready');
      expect(notReady).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "example.com/b" is not "True"' });
      const setGates = (status: string) =>
        client.patch(Resources.Pod, key, { type: 'strategic', body: { status: { conditions: ['example.com/a', 'example.com/b'].map((type) => ({ type, status })) } } }, { subresource: 'status' });
      await setGates('True');
      await eventually(t, async () => {
        const ready = condition(await client.get(Resources.Pod, key), 'Ready');
        expect(ready?.status).toBe('True');
        expect(ready).not.toHaveProperty('reason');
      });
      await setGates('False');
      await eventually(t, async () => {
        expect(condition(await client.get(Resources.Pod, key), 'Ready')?.status).toBe('False');
      });
    });

    it('an in-place image change restarts only that container, keeping uid and IP', async () => {
      const t = target();
      const { client } = t;
      const key = { name: 'inplace', namespace: ns };
      await client.create(Resources.Pod, pod('inplace', ns, { nodeName: t.nodeName, containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'side', image: 'busybox:1.36' }] }));
      const before = await running(t, 'inplace');
      await client.patch(Resources.Pod, key, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }] });
      const after = await eventually(t, async () => {
        const current = await client.get(Resources.Pod, key);
        expect(current.status?.containerStatuses?.[0]?.image).toBe('nginx:1.26');
        return current;
      });
      expect(after.status?.containerStatuses?.[0]).toMatchObject({ imageID: imageId('nginx:1.26'), restartCount: 1, ready: true });
      expect(after.status?.containerStatuses?.[0]?.containerID).not.toBe(before.status?.containerStatuses?.[0]?.containerID);
      expect(after.status?.containerStatuses?.[1]).toEqual(before.status?.containerStatuses?.[1]);
      expect([after.metadata.uid, after.status?.podIP]).toEqual([before.metadata.uid, before.status?.podIP]);
      expect(condition(after, 'Ready')?.status).toBe('True');
    });

    it('imageID is the digest the image reference maps to: two tags of one digest share it, an unmapped tag does not', async () => {
      const t = target();
      const { client } = t;
      const key = { name: 'digests', namespace: ns };
      const app = async () => (await client.get(Resources.Pod, key)).status?.containerStatuses?.[0];
      const setImage = (image: string) => client.patch(Resources.Pod, key, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: image }] });
      await client.create(Resources.Pod, pod('digests', ns, { nodeName: t.nodeName, containers: [{ name: 'app', image: 'registry.example.com/web:1.0' }] }));
      await running(t, 'digests');
      const digest = CONTRACT_IMAGE_DIGESTS['registry.example.com/web:1.0'];
      expect(await app()).toMatchObject({ image: 'registry.example.com/web:1.0', imageID: `registry.example.com/web@${digest}`, restartCount: 0 });

      await setImage('registry.example.com/web:stable');
      const stable = await eventually(t, async () => {
        const status = await app();
        expect(status?.image).toBe('registry.example.com/web:stable');
        return status;
      });
      // The container restarts (its image reference changed) on the same content.
      expect(stable).toMatchObject({ imageID: `registry.example.com/web@${digest}`, restartCount: 1 });

      await setImage('registry.example.com/web:1.1');
      const unmapped = await eventually(t, async () => {
        const status = await app();
        expect(status?.image).toBe('registry.example.com/web:1.1');
        return status;
      });
      expect(unmapped).toMatchObject({ imageID: imageId('registry.example.com/web:1.1'), restartCount: 2 });
      expect(unmapped?.imageID).not.toBe(stable?.imageID);
    });

    it('container status resources follow a resize', async () => {
      const t = target();
      const { client } = t;
      const key = { name: 'resize', namespace: ns };
      await client.create(Resources.Pod, pod('resize', ns, { nodeName: t.nodeName, containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }] }));
      await running(t, 'resize');
      await client.patch(Resources.Pod, key, { type: 'strategic', body: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] } } }, { subresource: 'resize' });
      await eventually(t, async () => {
        const status = (await client.get(Resources.Pod, key)).status?.containerStatuses?.[0];
        expect(status).toMatchObject({ resources: { requests: { cpu: '200m' } }, restartCount: 0 });
      });
    });

    it('a pod of a Job runs to completion', async () => {
      const t = target();
      const { client } = t;
      const job = await client.create(Jobs, {
        metadata: { name: 'job', namespace: ns },
        spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36' }] } } },
      });
      const ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'job', uid: job.metadata.uid ?? '' }];
      await client.create(Resources.Pod, pod('job-pod', ns, { nodeName: t.nodeName, restartPolicy: 'Never' }, { ownerReferences }));
      await eventually(t, async () => {
        const current = await client.get(Resources.Pod, { name: 'job-pod', namespace: ns });
        expect(current.status?.phase).toBe('Succeeded');
        expect(current.status?.containerStatuses?.[0]?.state).toMatchObject({ terminated: { exitCode: 0, reason: 'Completed' } });
        expect(condition(current, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      });
    });

    it('an unscheduled pod is scheduled on a node matching its nodeSelector, then runs', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('scheduled', ns, { nodeSelector: { 'kubernetes.io/hostname': t.nodeName } }));
      const current = await running(t, 'scheduled');
      expect(current.spec.nodeName).toBe(t.nodeName);
      expect(condition(current, 'PodScheduled')?.status).toBe('True');
    });

    it('evicting a pod (pods/eviction, no disruption budget) deletes it', async () => {
      const t = target();
      const { client } = t;
      await client.create(Resources.Pod, pod('evicted', ns, { nodeName: t.nodeName }));
      await running(t, 'evicted');
      await evictPod(client, { name: 'evicted', namespace: ns });
      await eventually(t, async () => {
        await expect(client.get(Resources.Pod, { name: 'evicted', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
      });
      await expect(evictPod(client, { name: 'evicted', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
