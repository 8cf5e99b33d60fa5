import { beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ApiStatusError, ConflictError, InvalidError, NotFoundError } from '../../src/errors.js';
import { Resources } from '../../src/resourceType.js';
import { CloneSets, TIMESTAMP, UID, cloneSet, newNamespace, pod, rejection, type ContractTarget } from './contractTarget.js';

/** Create, get, list, replace: identity, resourceVersion, generation, and the errors of each. */
export function crudContract(target: () => ContractTarget): void {
  describe('create, get, replace', () => {
    let ns: string;
    beforeAll(async () => {
      ns = await newNamespace(target().client);
    });

    it('assigns uid, creationTimestamp, resourceVersion and generation 1 on create', async () => {
      const { client } = target();
      const created = await client.create(CloneSets, cloneSet('ids', ns));
      expect(created.metadata.uid).toMatch(UID);
      expect(created.metadata.creationTimestamp).toMatch(TIMESTAMP);
      expect(created.metadata.resourceVersion).toMatch(/^[0-9]+$/);
      expect(created.metadata.generation).toBe(1);
      expect(created).toMatchObject({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet' });
      const got = await client.get(CloneSets, { name: 'ids', namespace: ns });
      expect(got).toEqual(created);
    });

    it('counts resourceVersions across kinds, increasing with every write', async () => {
      const { client } = target();
      const a = await client.create(Resources.ConfigMap, { metadata: { name: 'rv-a', namespace: ns }, data: { a: '1' } });
      const b = await client.create(CloneSets, cloneSet('rv-b', ns));
      const a2 = await client.patch(Resources.ConfigMap, { name: 'rv-a', namespace: ns }, { type: 'merge', body: { data: { a: '2' } } });
      const list = await client.list(Resources.ConfigMap, { namespace: ns });
      const rv = (x: { metadata: { resourceVersion?: string | undefined } }): number => Number(x.metadata.resourceVersion);
      expect(rv(b)).toBeGreaterThan(rv(a));
      expect(rv(a2)).toBeGreaterThan(rv(b));
      expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(rv(a2));
    });

    it('bumps generation on spec changes only, for custom resources and pods', async () => {
      const { client } = target();
      await client.create(CloneSets, cloneSet('gen', ns));
      const labelled = await client.patch(CloneSets, { name: 'gen', namespace: ns }, { type: 'merge', body: { metadata: { labels: { x: 'y' } } } });
      expect(labelled.metadata.generation).toBe(1);
      const scaled = await client.patch(CloneSets, { name: 'gen', namespace: ns }, { type: 'merge', body: { spec: { replicas: 2 } } });
      expect(scaled.metadata.generation).toBe(2);
      const created = await client.create(Resources.Pod, pod('gen', ns));
      expect(created.metadata.generation).toBe(1);
      const updated = await client.patch(Resources.Pod, { name: 'gen', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.26' }] });
      expect(updated.metadata.generation).toBe(2);
      const cm = await client.create(Resources.ConfigMap, { metadata: { name: 'gen', namespace: ns } });
      expect(cm.metadata.generation).toBeUndefined();
    });

    it('keeps the resourceVersion when a write changes nothing', async () => {
      const { client } = target();
      const cm = await client.create(Resources.ConfigMap, { metadata: { name: 'noop', namespace: ns }, data: { a: 'b' } });
      const patched = await client.patch(Resources.ConfigMap, { name: 'noop', namespace: ns }, { type: 'merge', body: { data: { a: 'b' } } });
      const replaced = await client.replace(Resources.ConfigMap, cm);
      expect([patched.metadata.resourceVersion, replaced.metadata.resourceVersion]).toEqual([cm.metadata.resourceVersion, cm.metadata.resourceVersion]);
    });

    it('refuses a replace with a stale resourceVersion (Conflict) and accepts one without', async () => {
      const { client } = target();
      const stale = await client.create(CloneSets, cloneSet('occ', ns));
      await client.patch(CloneSets, { name: 'occ', namespace: ns }, { type: 'merge', body: { spec: { replicas: 2 } } });
      const conflict = await rejection(client.replace(CloneSets, { ...stale, spec: { ...stale.spec, replicas: 3 } }));
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(conflict.status).toMatchObject({
        reason: 'Conflict',
        code: 409,
        message: `Operation cannot be fulfilled on clonesets.apps.kruise.io "occ": the object has been modified; please apply your changes to the latest version and try again`,
        details: { name: 'occ', group: 'apps.kruise.io', kind: 'clonesets' },
      });
      const { resourceVersion: _rv, ...meta } = stale.metadata;
      const unconditional = await rejection(client.replace(CloneSets, { ...stale, metadata: meta, spec: { ...stale.spec, replicas: 4 } }));
      expect(unconditional).toBeInstanceOf(InvalidError);
      expect(unconditional.status.message).toBe('clonesets.apps.kruise.io "occ" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update');
      const cm = await client.create(Resources.ConfigMap, { metadata: { name: 'occ', namespace: ns }, data: { a: '1' } });
      const { resourceVersion: _cmRv, ...cmMeta } = cm.metadata;
      const forced = await client.replace(Resources.ConfigMap, { metadata: cmMeta, data: { a: '2' } });
      expect(forced.data).toEqual({ a: '2' });
      const podConflict = await rejection(
        client.create(Resources.Pod, pod('occ', ns)).then(async (p) => {
          await client.patch(Resources.Pod, { name: 'occ', namespace: ns }, { type: 'merge', body: { metadata: { labels: { a: 'b' } } } });
          return client.replace(Resources.Pod, p);
        }),
      );
      expect(podConflict.status.message).toBe('Operation cannot be fulfilled on pods "occ": the object has been modified; please apply your changes to the latest version and try again');
    });

    it('answers AlreadyExists, NotFound (object, namespace) and 500 for a resourceVersion on create', async () => {
      const { client } = target();
      const created = await client.create(Resources.Pod, pod('dup', ns));
      const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...meta } = created.metadata;
      const exists = await rejection(client.create(Resources.Pod, { ...pod('dup', ns), metadata: meta }));
      expect(exists).toBeInstanceOf(AlreadyExistsError);
      expect(exists.status).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'pods "dup" already exists', details: { name: 'dup', kind: 'pods' } });
      const missing = await rejection(client.get(CloneSets, { name: 'nope', namespace: ns }));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing.status).toMatchObject({ reason: 'NotFound', code: 404, message: 'clonesets.apps.kruise.io "nope" not found', details: { name: 'nope', group: 'apps.kruise.io', kind: 'clonesets' } });
      const noNamespace = await rejection(client.create(Resources.Pod, pod('p', 'no-such-namespace')));
      expect(noNamespace.status).toMatchObject({ reason: 'NotFound', message: 'namespaces "no-such-namespace" not found', details: { name: 'no-such-namespace', kind: 'namespaces' } });
      const replaceMissing = await rejection(client.replace(Resources.ConfigMap, { metadata: { name: 'nope', namespace: ns } }));
      expect(replaceMissing.status.message).toBe('configmaps "nope" not found');
      const withVersion = await rejection(client.create(Resources.Pod, created));
      expect(withVersion).toBeInstanceOf(ApiStatusError);
      expect(withVersion.code).toBe(500);
      expect(withVersion.status.message).toBe('resourceVersion should not be set on objects to be created');
    });

    it('rejects invalid objects with the fields at fault', async () => {
      const { client } = target();
      const badPod = await rejection(client.create(Resources.Pod, { metadata: { name: 'Bad_Name', namespace: ns }, spec: { containers: [] } }));
      expect(badPod).toBeInstanceOf(InvalidError);
      expect((badPod.status.details?.causes ?? []).map((c) => c.field)).toEqual(expect.arrayContaining(['metadata.name', 'spec.containers']));
      const noImage = await rejection(client.create(Resources.Pod, { metadata: { name: 'noimg', namespace: ns }, spec: { containers: [{ name: 'a' }] } }));
      expect(noImage.status).toMatchObject({ message: 'Pod "noimg" is invalid: spec.containers[0].image: Required value', details: { causes: [{ reason: 'FieldValueRequired', field: 'spec.containers[0].image' }] } });
      const badLabel = await rejection(client.create(Resources.ConfigMap, { metadata: { name: 'bad', namespace: ns, labels: { 'a b': 'c' } } }));
      expect(badLabel.status.details?.causes).toEqual([expect.objectContaining({ reason: 'FieldValueInvalid', field: 'metadata.labels' })]);
      const noName = await rejection(client.create(Resources.ConfigMap, { metadata: { namespace: ns } }));
      expect(noName.status.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    });

    it('refuses pod spec changes other than images (Invalid, field spec)', async () => {
      const { client } = target();
      await client.create(Resources.Pod, pod('immutable', ns));
      const refused = await rejection(client.patch(Resources.Pod, { name: 'immutable', namespace: ns }, { type: 'merge', body: { spec: { restartPolicy: 'Never' } } }));
      expect(refused).toBeInstanceOf(InvalidError);
      expect(refused.status.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'spec' });
      expect(refused.status.message).toContain('Pod "immutable" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`');
    });

    it('generates names from generateName and validates without persisting on dryRun', async () => {
      const { client } = target();
      const generated = await client.create(Resources.ConfigMap, { metadata: { generateName: 'gen-', namespace: ns } });
      expect(generated.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const dry = await client.create(Resources.ConfigMap, { metadata: { name: 'dry', namespace: ns } }, { dryRun: true });
      expect(dry.metadata.uid).toMatch(UID);
      expect(dry.metadata.resourceVersion).toBeUndefined();
      await expect(client.get(Resources.ConfigMap, { name: 'dry', namespace: ns })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('applies the defaults of the apiserver to pods, and the namespace label to namespaces', async () => {
      const { client } = target();
      const created = await client.create(Resources.Pod, pod('defaults', ns, { containers: [{ name: 'app', image: 'busybox', ports: [{ containerPort: 80 }] }] }));
      expect(created.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', enableServiceLinks: true, priority: 0 });
      expect(created.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', resources: {}, ports: [{ containerPort: 80, protocol: 'TCP' }] });
      expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
      const namespace = await client.get(Resources.Namespace, { name: ns });
      expect(namespace.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': ns });
      expect(namespace.status).toEqual({ phase: 'Active' });
    });

    it('serves /version', async () => {
      const version = (await target().client.request('GET', '/version')) as { major: string; minor: string; gitVersion: string };
      expect(version).toMatchObject({ major: '1', minor: expect.stringMatching(/^[0-9]+$/) as unknown, gitVersion: expect.stringMatching(/^v1\./) as unknown });
    });
  });
}
