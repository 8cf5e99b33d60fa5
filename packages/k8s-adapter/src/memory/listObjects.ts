import type { RequestDescription } from '../errors.js';
import type { ListOptions, ObjectList } from '../ports.js';
import { apiVersionOf } from '../resourceType.js';
import { badRequest } from './apiErrors.js';
import { deepClone, isJsonObject, type JsonObject, text } from './jsonValue.js';
import { buildObjectFilter } from './objectFilter.js';
import { resourceKey, type ResourceBehaviour } from './resourceRegistry.js';
import type { ClusterCore } from './writePipeline.js';

/** One page of a list: items, the collection's resourceVersion, and the token of the next page. */
export interface ListPage {
  readonly items: JsonObject[];
  readonly resourceVersion: string;
  /** Token of the next page, or `''` on the last. */
  readonly continue: string;
}

const keyOf = (object: JsonObject): string => {
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  return `${text(meta.namespace ?? '')}/${text(meta.name ?? '')}`;
};

/**
 * Returns one page of a list: the selected objects in key order (namespace, then name) after the
 * `continue` token, at most `limit` of them, with the store's current revision.
 */
export function listPage(core: ClusterCore, behaviour: ResourceBehaviour, request: RequestDescription, options: ListOptions & { continue?: string | undefined }): ListPage {
  const selected = buildObjectFilter(behaviour, request, options);
  let after = '';
  if (options.continue !== undefined && options.continue !== '') {
    try {
      after = (JSON.parse(Buffer.from(options.continue, 'base64url').toString()) as { start: string }).start;
    } catch {
      throw badRequest(request, 'continue key is not valid: illegal base64 data');
    }
  }
  const all = core.store.list(resourceKey(behaviour.type), behaviour.type.namespaced ? options.namespace : undefined).filter((o) => keyOf(o) > after && selected(o));
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : all.length;
  const items = all.slice(0, limit);
  const last = items.at(-1);
  const token = all.length > limit && last !== undefined ? Buffer.from(JSON.stringify({ start: keyOf(last) })).toString('base64url') : '';
  return { items: items.map((o) => deepClone(o)), resourceVersion: text(core.store.revision), continue: token };
}

/** Returns every selected object of a list, following pages of `limit` as the client does. */
export function listObjects<T>(core: ClusterCore, behaviour: ResourceBehaviour, request: RequestDescription, options: ListOptions): ObjectList<T> {
  const apiVersion = apiVersionOf(behaviour.type);
  const items: T[] = [];
  let page = listPage(core, behaviour, request, options);
  for (;;) {
    for (const item of page.items) items.push({ ...item, apiVersion, kind: behaviour.type.kind } as T);
    if (page.continue === '') return { items, resourceVersion: page.resourceVersion };
    page = listPage(core, behaviour, request, { ...options, continue: page.continue });
  }
}
