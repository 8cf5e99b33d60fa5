import type { RequestDescription } from '../errors.js';
import { badRequest } from './apiErrors.js';
import { parseFieldSelector } from './fieldSelector.js';
import { isJsonObject, type JsonObject } from './jsonValue.js';
import { SelectorParseError, parseLabelSelector } from './labelSelectorString.js';
import type { ResourceBehaviour } from './resourceRegistry.js';

/** Which objects a list or watch selects. */
export interface SelectionOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
}

/**
 * Returns a predicate selecting the objects of a list or watch by namespace, label selector and
 * field selector; a selector that cannot be parsed (or an unsupported field label) fails with
 * the apiserver's 400 BadRequest.
 */
export function buildObjectFilter(behaviour: ResourceBehaviour, request: RequestDescription, options: SelectionOptions): (object: JsonObject) => boolean {
  try {
    const labels = parseLabelSelector(options.labelSelector ?? '');
    const fields = parseFieldSelector(options.fieldSelector ?? '', ['metadata.name', 'metadata.namespace', ...behaviour.fieldLabels]);
    const namespace = behaviour.type.namespaced ? options.namespace : undefined;
    return (object) => {
      const meta = isJsonObject(object.metadata) ? object.metadata : {};
      if (namespace !== undefined && meta.namespace !== namespace) return false;
      return labels(isJsonObject(meta.labels) ? (meta.labels as Record<string, string>) : undefined) && fields(object);
    };
  } catch (error) {
    if (error instanceof SelectorParseError) throw badRequest(request, error.message);
    throw error;
  }
}
