import { isJsonObject, type JsonObject, text } from './jsonValue.js';

/**
 * Applies the scheme defaults of a built-in object other than a pod (mutates it), before field
 * ownership is recorded: a namespace gets its name label, a PVC its volume mode, a secret its
 * type and `stringData` moved into `data`.
 */
export function decodeBuiltin(kind: string, object: JsonObject): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : (object.metadata = {});
  if (kind === 'Namespace') {
    metadata.labels = { ...(isJsonObject(metadata.labels) ? metadata.labels : {}), 'kubernetes.io/metadata.name': metadata.name ?? '' };
  } else if (kind === 'PersistentVolumeClaim') {
    const spec = isJsonObject(object.spec) ? object.spec : (object.spec = {});
    spec.volumeMode ??= 'Filesystem';
  } else if (kind === 'Secret') {
    object.type ??= 'Opaque';
    if (isJsonObject(object.stringData)) {
      const data = isJsonObject(object.data) ? object.data : {};
      for (const [k, v] of Object.entries(object.stringData)) data[k] = Buffer.from(text(v)).toString('base64');
      object.data = data;
      delete object.stringData;
    }
  }
}

/**
 * Applies the admission and strategy of a new built-in object other than a pod (mutates it): a
 * namespace gets the `kubernetes` finalizer and phase Active; a PVC the `pvc-protection`
 * finalizer and phase Pending; a node the `not-ready` taint until it is Ready.
 */
export function admitBuiltinCreate(kind: string, object: JsonObject): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : (object.metadata = {});
  if (kind === 'Namespace') {
    object.spec = { finalizers: ['kubernetes'] };
    object.status = { phase: 'Active' };
  } else if (kind === 'PersistentVolumeClaim') {
    const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
    if (!finalizers.includes('kubernetes.io/pvc-protection')) metadata.finalizers = [...finalizers, 'kubernetes.io/pvc-protection'];
    object.status = { phase: 'Pending' };
  } else if (kind === 'Node') {
    const spec = isJsonObject(object.spec) ? object.spec : (object.spec = {});
    const taints = Array.isArray(spec.taints) ? spec.taints : [];
    if (!taints.some((t) => isJsonObject(t) && t.key === 'node.kubernetes.io/not-ready')) spec.taints = [...taints, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
  }
}
