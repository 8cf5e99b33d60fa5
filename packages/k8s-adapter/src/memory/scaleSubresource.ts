import { deepClone, getPath, isJsonObject, setPath, type JsonObject } from './jsonValue.js';
import type { ScaleSubresource } from './resourceRegistry.js';
import { metaOf } from './writePipeline.js';

/**
 * Returns the `autoscaling/v1` Scale of an object: `spec.replicas` from `specReplicasPath`,
 * `status.replicas` from `statusReplicasPath` (0 when unset) and `status.selector` from
 * `labelSelectorPath` when set. A replica count of 0 is left out of `spec`, as the apiserver does.
 */
export function toScale(object: JsonObject, scale: ScaleSubresource): JsonObject {
  const meta = metaOf(object);
  const specReplicas = getPath(object, scale.specReplicasPath);
  const statusReplicas = getPath(object, scale.statusReplicasPath);
  const selector = scale.labelSelectorPath === undefined ? undefined : getPath(object, scale.labelSelectorPath);
  const metadata: JsonObject = {};
  for (const field of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (meta[field] !== undefined) metadata[field] = deepClone(meta[field]) ?? null;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: typeof specReplicas === 'number' && specReplicas !== 0 ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(typeof selector === 'string' ? { selector } : {}) },
  };
}

/**
 * Returns the object with the replica count of a written Scale set at `specReplicasPath`, and
 * the Scale's resourceVersion as the precondition of the write.
 */
export function fromScale(object: JsonObject, written: JsonObject, scale: ScaleSubresource): JsonObject {
  const result = deepClone(object);
  const spec = isJsonObject(written.spec) ? written.spec : {};
  setPath(result, scale.specReplicasPath, typeof spec.replicas === 'number' ? spec.replicas : 0);
  const version = isJsonObject(written.metadata) ? written.metadata.resourceVersion : undefined;
  if (typeof version === 'string' && version !== '') metaOf(result).resourceVersion = version;
  return result;
}
