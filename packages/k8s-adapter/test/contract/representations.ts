import { Resources, type KubeObject } from '../../src/resourceType.js';
import { CloneSets, cloneSet, eventually, pod, type ContractTarget } from './contractTarget.js';
import { normalized } from './normalized.js';

/** Namespace the representation objects are written in. */
export const REPRESENTATION_NAMESPACE = 'representation';

/**
 * Writes the objects whose full JSON the contract compares (a running pod, a config map written by
 * three managers, a CloneSet through its status and scale subresources, a namespace, a PVC) and
 * returns them normalized (see `normalized`). `test/contract/recordRepresentations.ts` records the
 * real apiserver's answer into `fixtures/representations.json`.
 */
export async function writeRepresentations(target: ContractTarget): Promise<Record<string, unknown>> {
  const { client } = target;
  const ns = REPRESENTATION_NAMESPACE;
  await client.create(Resources.Namespace, { metadata: { name: ns } }, { fieldManager: 'creator' });
  const spec = {
    nodeName: target.nodeName,
    readinessGates: [{ conditionType: 'example.com/gate' }],
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m' } }, env: [{ name: 'A', value: '1' }] }],
  };
  await client.create(Resources.Pod, pod('rep', ns, spec, { labels: { app: 'rep' } }), { fieldManager: 'creator' });
  const running = await eventually(target, async () => {
    const current = await client.get(Resources.Pod, { name: 'rep', namespace: ns });
    if (current.status?.phase !== 'Running') throw new Error('not running yet');
    return current;
  });
  await client.create(Resources.ConfigMap, { metadata: { name: 'rep', namespace: ns, labels: { a: '1' }, finalizers: ['example.com/f'] }, data: { a: '1', b: '2' } }, { fieldManager: 'creator' });
  await client.patch(Resources.ConfigMap, { name: 'rep', namespace: ns }, { type: 'merge', body: { data: { b: '3', c: '4' }, metadata: { annotations: { x: 'y' } } } }, { fieldManager: 'editor' });
  const applied = { data: { d: '5' }, metadata: { labels: { z: 'z' } } } as unknown as KubeObject;
  const configMap = await client.patch(Resources.ConfigMap, { name: 'rep', namespace: ns }, { type: 'apply', body: applied }, { fieldManager: 'applier' });
  await client.create(CloneSets, cloneSet('rep', ns), { fieldManager: 'creator' });
  await client.patch(CloneSets, { name: 'rep', namespace: ns }, { type: 'merge', body: { status: { replicas: 1, labelSelector: 'app=rep' } } }, { subresource: 'status', fieldManager: 'controller' });
  await client.patch(CloneSets, { name: 'rep', namespace: ns }, { type: 'merge', body: { spec: { replicas: 2 } } }, { subresource: 'scale', fieldManager: 'scaler' });
  const pvc = { metadata: { name: 'rep', namespace: ns }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  await client.create(Resources.PersistentVolumeClaim, pvc, { fieldManager: 'creator' });
  return normalized({
    pod: running,
    configMap,
    cloneSet: await client.get(CloneSets, { name: 'rep', namespace: ns }),
    namespace: await client.get(Resources.Namespace, { name: ns }),
    persistentVolumeClaim: await client.get(Resources.PersistentVolumeClaim, { name: 'rep', namespace: ns }),
  });
}
