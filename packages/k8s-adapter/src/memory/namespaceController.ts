import { NotFoundError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { Resources } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import { finalizersOf } from './deletion.js';
import { deepClone, isJsonObject, type JsonObject, text } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { resourceKey } from './resourceRegistry.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const ignoreMissing = (error: unknown): void => {
  if (!(error instanceof NotFoundError)) throw error;
};

/**
 * Returns the stop function of the namespace and PVC protection controllers, which it starts:
 * a Terminating namespace has all its objects deleted, and is removed once none is left; a
 * deleted PVC loses its `kubernetes.io/pvc-protection` finalizer once no running pod mounts it.
 */
export function startNamespaceController(core: ClusterCore, client: KubeClient, work: BackgroundWork): () => void {
  const namespaced = () => core.registry.all().filter((b) => b.type.namespaced);

  async function sweep(namespace: string): Promise<void> {
    const ns = core.store.get('/namespaces', undefined, namespace);
    if (ns === undefined || metaOf(ns).deletionTimestamp === undefined) return;
    let remaining = 0;
    for (const behaviour of namespaced()) {
      for (const object of core.store.list(resourceKey(behaviour.type), namespace)) {
        remaining++;
        const meta = metaOf(object);
        if (meta.deletionTimestamp !== undefined) continue;
        await client.delete(behaviour.type, { name: text(meta.name), namespace }, { propagationPolicy: 'Background' }).catch(ignoreMissing);
      }
    }
    if (remaining > 0) return;
    const latest = core.store.get('/namespaces', undefined, namespace);
    if (latest === undefined) return;
    const finalized = deepClone(latest);
    finalized.spec = { ...(isJsonObject(finalized.spec) ? finalized.spec : {}), finalizers: [] };
    core.store.commit('/namespaces', 'MODIFIED', finalized, latest);
    if (finalizersOf(finalized).length === 0) core.store.commit('/namespaces', 'DELETED', core.store.get('/namespaces', undefined, namespace) ?? finalized, finalized);
  }

  const mounts = (pod: JsonObject, claim: string): boolean => {
    const volumes = isJsonObject(pod.spec) && Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    return volumes.some((v) => isJsonObject(v) && isJsonObject(v.persistentVolumeClaim) && v.persistentVolumeClaim.claimName === claim);
  };
  async function releaseClaims(namespace: string): Promise<void> {
    const pods = core.store.list('/pods', namespace).filter((p) => !(isJsonObject(p.status) && ['Succeeded', 'Failed'].includes(text(p.status.phase))));
    for (const pvc of core.store.list('/persistentvolumeclaims', namespace)) {
      const meta = metaOf(pvc);
      const name = text(meta.name);
      if (meta.deletionTimestamp === undefined || !finalizersOf(pvc).includes(PVC_PROTECTION) || pods.some((p) => mounts(p, name))) continue;
      const finalizers = finalizersOf(pvc).filter((f) => f !== PVC_PROTECTION);
      await client
        .patch(Resources.PersistentVolumeClaim, { name, namespace }, { type: 'merge', body: { metadata: { finalizers: finalizers.length === 0 ? null : finalizers } } }, { fieldManager: 'kube-controller-manager' })
        .catch(ignoreMissing);
    }
  }

  const onEvent = (event: StoredEvent): void => {
    const meta = metaOf(event.object);
    if (event.resource === '/namespaces') {
      if (event.type !== 'DELETED' && meta.deletionTimestamp !== undefined) work.enqueue(`ns/${text(meta.name)}`, () => sweep(text(meta.name)));
      return;
    }
    if (typeof meta.namespace !== 'string') return;
    const namespace = meta.namespace;
    if (event.resource === '/pods' || event.resource === '/persistentvolumeclaims') work.enqueue(`pvc/${namespace}`, () => releaseClaims(namespace));
    const ns = core.store.get('/namespaces', undefined, namespace);
    if (ns !== undefined && metaOf(ns).deletionTimestamp !== undefined) work.enqueue(`ns/${namespace}`, () => sweep(namespace));
  };
  return core.store.subscribe(onEvent);
}
