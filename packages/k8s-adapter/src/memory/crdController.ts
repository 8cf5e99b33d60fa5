import type { KubeClient } from '../ports.js';
import { defineResource, Resources } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import { isJsonObject, type JsonObject } from './jsonValue.js';
import type { StoredEvent } from './memoryStore.js';
import { formatTime } from './objectValidation.js';
import type { ScaleSubresource } from './resourceRegistry.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** Returns the version a CRD stores (else its first served one) with its subresources. */
function storedVersion(spec: JsonObject): { name: string; subresources: JsonObject } | undefined {
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonObject) : [];
  const version = versions.find((v) => v.storage === true) ?? versions.find((v) => v.served === true) ?? versions[0];
  if (version === undefined) return undefined;
  return { name: str(version.name), subresources: isJsonObject(version.subresources) ? version.subresources : {} };
}

/**
 * Returns the stop function of the CRD controller, which it starts (the apiserver's apiextensions part): a
 * CustomResourceDefinition written through the client gets its kind served (with the status and
 * scale subresources of its stored version) and becomes NamesAccepted and Established, so
 * `installCrds` works on the memory cluster as on a real one.
 */
export function startCrdController(core: ClusterCore, client: KubeClient, work: BackgroundWork, register: (type: ReturnType<typeof defineResource>, options: { statusSubresource: boolean; scale?: ScaleSubresource }) => void): () => void {
  async function establish(name: string): Promise<void> {
    const crd = core.store.get('apiextensions.k8s.io/customresourcedefinitions', undefined, name);
    const spec = crd === undefined || !isJsonObject(crd.spec) ? undefined : crd.spec;
    const names = spec !== undefined && isJsonObject(spec.names) ? spec.names : undefined;
    const version = spec === undefined ? undefined : storedVersion(spec);
    if (spec === undefined || names === undefined || version === undefined) return;
    const scale = isJsonObject(version.subresources.scale) ? version.subresources.scale : undefined;
    register(defineResource({ group: str(spec.group), version: version.name, kind: str(names.kind), plural: str(names.plural), namespaced: spec.scope !== 'Cluster' }), {
      statusSubresource: version.subresources.status !== undefined,
      ...(scale === undefined
        ? {}
        : { scale: { specReplicasPath: str(scale.specReplicasPath), statusReplicasPath: str(scale.statusReplicasPath), labelSelectorPath: typeof scale.labelSelectorPath === 'string' ? scale.labelSelectorPath : undefined } }),
    });
    const now = formatTime(core.clock.now());
    const condition = (type: string, reason: string, message: string): JsonObject => ({ type, status: 'True', lastTransitionTime: now, reason, message });
    const status = {
      conditions: [condition('NamesAccepted', 'NoConflicts', 'no conflicts found'), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
      acceptedNames: names,
      storedVersions: [version.name],
    };
    await client.patch(Resources.CustomResourceDefinition, { name }, { type: 'merge', body: { status } }, { subresource: 'status', fieldManager: 'kube-apiserver' });
  }

  const onEvent = (event: StoredEvent): void => {
    if (event.resource !== 'apiextensions.k8s.io/customresourcedefinitions' || event.type === 'DELETED') return;
    const status = event.object.status;
    const conditions = isJsonObject(status) && Array.isArray(status.conditions) ? status.conditions : [];
    const established = conditions.some((c) => isJsonObject(c) && c.type === 'Established' && c.status === 'True');
    const previous = event.previous === undefined ? undefined : JSON.stringify(event.previous.spec);
    if (!established || previous !== JSON.stringify(event.object.spec)) {
      const name = str(metaOf(event.object).name);
      work.enqueue(`crd/${name}`, () => establish(name));
    }
  };
  return core.store.subscribe(onEvent);
}
