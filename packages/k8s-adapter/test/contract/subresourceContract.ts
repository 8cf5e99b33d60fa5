import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidError, NotFoundError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, cloneSet, newNamespace, pod, rejection, type ContractTarget } from './contractTarget.js';

interface Scale {
  metadata: { name: string; resourceVersion: string };
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

/** The status, scale and resize subresources. */
export function subresourceContract(target: () => ContractTarget): void {
  describe('subresources', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });

    it('status of a custom resource: main writes ignore it, /status writes touch only it', async () => {
      const { client } = target();
      const created = await client.create(CloneSets, { ...cloneSet('st', ns), status: { replicas: 7 } });
      expect(created.status).toBeUndefined();
      const ignored = await client.patch(CloneSets, { name: 'st', namespace: ns }, { type: 'merge', body: { status: { replicas: 9 } } });
      expect(ignored.status).toBeUndefined();
      expect(ignored.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      const status = await client.patch(CloneSets, { name: 'st', namespace: ns }, { type: 'merge', body: { spec: { replicas: 5 }, metadata: { labels: { x: 'y' } }, status: { replicas: 2 } } }, { subresource: 'status' });
      expect(status.status).toEqual({ replicas: 2 });
      expect(status.spec.replicas).toBe(1);
      expect(status.metadata.labels).toEqual({ app: 'st' });
      expect(status.metadata.generation).toBe(1);
      const viaStatus = await client.get(CloneSets, { name: 'st', namespace: ns }, { subresource: 'status' });
      expect(viaStatus).toEqual(status);
      const replaced = await client.replace(CloneSets, { ...status, status: { replicas: 3 } }, { subresource: 'status' });
      expect(replaced.status).toEqual({ replicas: 3 });
    });

    it('status of a pod: /status writes conditions, main writes cannot', async () => {
      const { client } = target();
      await client.create(Resources.Pod, pod('st', ns, { schedulerName: 'none' }));
      const ignored = await client.patch(Resources.Pod, { name: 'st', namespace: ns }, { type: 'merge', body: { status: { phase: 'Failed' } } });
      expect(ignored.status?.phase).toBe('Pending');
      const written = await client.patch(Resources.Pod, { name: 'st', namespace: ns }, { type: 'strategic', body: { status: { conditions: [{ type: 'example.com/gate', status: 'True' }] } } }, { subresource: 'status' });
      expect(written.status?.conditions).toEqual([expect.objectContaining({ type: 'example.com/gate', status: 'True' })]);
      expect(written.metadata.generation).toBe(1);
      // pods/status keeps new labels and annotations (kruise-daemon reports runtime-containers-meta this way), never spec.
      const meta = await client.patch(Resources.Pod, { name: 'st', namespace: ns }, { type: 'merge', body: { metadata: { annotations: { 'example.com/meta': 'v1' } }, spec: { activeDeadlineSeconds: 5 } } }, { subresource: 'status' });
      expect(meta.metadata.annotations?.['example.com/meta']).toBe('v1');
      expect(meta.spec.activeDeadlineSeconds).toBeUndefined();
    });

    it('scale of a custom resource: read, patch and replace spec.replicas', async () => {
      const { client } = target();
      await client.create(CloneSets, cloneSet('sc', ns));
      await client.patch(CloneSets, { name: 'sc', namespace: ns }, { type: 'merge', body: { status: { replicas: 1, labelSelector: 'app=sc' } } }, { subresource: 'status' });
      const scale = (await client.get(CloneSets, { name: 'sc', namespace: ns }, { subresource: 'scale' })) as unknown as Scale;
      expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc', namespace: ns }, spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=sc' } });
      const patched = (await client.patch(CloneSets, { name: 'sc', namespace: ns }, { type: 'merge', body: { spec: { replicas: 4 } } }, { subresource: 'scale' })) as unknown as Scale;
      expect(patched.spec.replicas).toBe(4);
      const object = await client.get(CloneSets, { name: 'sc', namespace: ns });
      expect(object.spec.replicas).toBe(4);
      expect(object.metadata.generation).toBe(2);
      expect(object.metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
      const stale = await rejection(client.replace(CloneSets, { ...scale, spec: { replicas: 2 } }, { subresource: 'scale' }));
      expect(stale).toBeInstanceOf(ConflictError);
      const replaced = (await client.replace(CloneSets, { ...patched, spec: { replicas: 0 } }, { subresource: 'scale' })) as unknown as Scale;
      expect(replaced.spec).toEqual({});
      expect((await client.get(CloneSets, { name: 'sc', namespace: ns })).spec.replicas).toBe(0);
    });

    it('answers NotFound for a subresource the kind does not have', async () => {
      const { client } = target();
      await client.create(Resources.ConfigMap, { metadata: { name: 'nosub', namespace: ns } });
      for (const subresource of ['status', 'scale']) {
        const error = await rejection(client.get(Resources.ConfigMap, { name: 'nosub', namespace: ns }, { subresource }));
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.status.message).toBe('the server could not find the requested resource');
      }
    });

    it('resize changes container resources, which a main-resource write may not', async () => {
      const { client } = target();
      await client.create(Resources.Pod, pod('rs', ns, { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '100m' } } }] }));
      const body = { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] } };
      const refused = await rejection(client.patch(Resources.Pod, { name: 'rs', namespace: ns }, { type: 'strategic', body }));
      expect(refused).toBeInstanceOf(InvalidError);
      const resized = await client.patch(Resources.Pod, { name: 'rs', namespace: ns }, { type: 'strategic', body }, { subresource: 'resize' });
      expect(resized.spec.containers[0]?.resources).toEqual({ requests: { cpu: '200m' } });
      expect(resized.metadata.generation).toBe(2);
    });
  });
}
