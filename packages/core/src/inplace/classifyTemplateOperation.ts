import type { PodTemplateSpec } from '../api/pod.js';
import { parseQuantity } from '../shared/quantity.js';
import type { JsonPatchOperation } from './diffJson.js';
import { QOS_RESOURCES } from './podQosClass.js';

/** Why one template change cannot be applied in place. */
export type DisallowedChangeReason = 'spec-changed' | 'resources-not-in-place';

/** What one JSON-patch operation on a pod template means for an in-place update. */
export type TemplateOperationClass =
  | { readonly kind: 'metadata' }
  | { readonly kind: 'image'; readonly container: string; readonly image: string }
  | { readonly kind: 'resource'; readonly container: string; readonly field: 'limits' | 'requests'; readonly resource: string; readonly quantity: string }
  | { readonly kind: 'disallowed'; readonly reason: DisallowedChangeReason };

const IMAGE_PATH = /^\/spec\/containers\/(\d+)\/image$/;
const RESOURCES_PATH = /^\/spec\/containers\/(\d+)\/resources(\/.*)?$/;
const RESIZABLE_PATH = /^\/(limits|requests)\/([^/]+)$/;

/**
 * Returns what a JSON-patch operation on a pod template (paths relative to the template) allows:
 * anything under `/metadata` is a metadata change; `replace` of `/spec/containers/<i>/image` is
 * an image change of the OLD template's container `i`; with vertical scaling, `replace` of a cpu or
 * memory request or limit with a readable quantity is a resource change; anything else is
 * disallowed (`resources-not-in-place` for other changes under `resources`, `spec-changed`
 * otherwise).
 *
 * @example classifyTemplateOperation({ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' }, old, false)
 *   // { kind: 'image', container: 'app', image: 'nginx:2' }
 */
export function classifyTemplateOperation(operation: JsonPatchOperation, oldTemplate: PodTemplateSpec, verticalScaling: boolean): TemplateOperationClass {
  const { path } = operation;
  if (path === '/metadata' || path.startsWith('/metadata/')) return { kind: 'metadata' };
  const image = IMAGE_PATH.exec(path);
  if (image) {
    const container = oldTemplate.spec.containers[Number(image[1])];
    if (operation.op !== 'replace' || typeof operation.value !== 'string' || !container) return disallowed('spec-changed');
    return { kind: 'image', container: container.name, image: operation.value };
  }
  const resources = RESOURCES_PATH.exec(path);
  if (resources) return classifyResourceOperation(operation, oldTemplate, Number(resources[1]), resources[2] ?? '', verticalScaling);
  return disallowed('spec-changed');
}

function classifyResourceOperation(operation: JsonPatchOperation, oldTemplate: PodTemplateSpec, index: number, rest: string, verticalScaling: boolean): TemplateOperationClass {
  const container = oldTemplate.spec.containers[index];
  const target = RESIZABLE_PATH.exec(rest);
  if (!verticalScaling || operation.op !== 'replace' || !container || !target) return disallowed('resources-not-in-place');
  const [, field, resource = ''] = target;
  if (!(QOS_RESOURCES as readonly string[]).includes(resource)) return disallowed('resources-not-in-place');
  const value = operation.value;
  if ((typeof value !== 'string' && typeof value !== 'number') || parseQuantity(value).kind === 'invalid') return disallowed('resources-not-in-place');
  return { kind: 'resource', container: container.name, field: field === 'limits' ? 'limits' : 'requests', resource, quantity: String(value) };
}

function disallowed(reason: DisallowedChangeReason): TemplateOperationClass {
  return { kind: 'disallowed', reason };
}
