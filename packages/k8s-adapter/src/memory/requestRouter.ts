import { NotFoundError } from '../errors.js';
import type { DeleteOptions, JsonPatchOperation, KubeClient, Patch } from '../ports.js';
import { apiVersionOf, defineResource, type KubeObject, type ResourceType } from '../resourceType.js';

/** What `/version` answers: the Kubernetes version the memory cluster imitates. */
export const MEMORY_VERSION_INFO = {
  major: '1',
  minor: '36',
  gitVersion: 'v1.36.3-kruise-ts-memory',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'memory',
  compiler: 'memory',
  platform: 'memory',
} as const;

const PATCH_TYPES: Record<string, Patch['type']> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

interface ParsedPath {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

/**
 * Returns the resource a REST path names (`/api/v1/namespaces/ns/pods/name/status`,
 * `/apis/apps.kruise.io/v1beta1/clonesets`), or undefined for other paths. The kind is not known
 * from a path: the descriptor carries the plural, which is all the client needs.
 */
function parsePath(path: string): ParsedPath | undefined {
  const parts = path.split('?')[0]?.split('/').filter((p) => p !== '') ?? [];
  let group = '';
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] ?? '';
    rest = parts.slice(3);
  } else return undefined;
  const version = parts[0] === 'api' ? (parts[1] ?? 'v1') : (parts[2] ?? '');
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && ['status', 'finalize'].includes(rest[2] ?? ''))) {
    namespace = decodeURIComponent(rest[1] ?? '');
    rest = rest.slice(2);
  }
  const [plural = '', name, subresource] = rest;
  const type = defineResource({ group, version, kind: '', plural, namespaced: namespace !== undefined });
  return { type, namespace, name: name === undefined ? undefined : decodeURIComponent(name), subresource };
}

/**
 * Answers a raw request of the memory cluster: `/version`, `/readyz`, `/livez`, `/healthz`, and
 * REST paths of served resources (get, list, create, replace, patch by content type, delete).
 * Evictions are the memory client's own (a write of their own kind for the fault injector).
 */
export async function routeRequest(client: KubeClient, kindOf: (type: ResourceType) => string | undefined, verb: string, path: string, options: { body?: unknown; contentType?: string }): Promise<unknown> {
  const bare = path.split('?')[0] ?? path;
  if (verb === 'GET' && bare === '/version') return { ...MEMORY_VERSION_INFO };
  if (verb === 'GET' && ['/readyz', '/livez', '/healthz'].includes(bare)) return 'ok';
  const parsed = parsePath(path);
  if (parsed === undefined) throw new NotFoundError({ verb, path }, 404, { code: 404, message: '404 page not found\n' });
  const { type, namespace, name, subresource } = parsed;
  const key = { name: name ?? '', namespace };
  const body = options.body as KubeObject;
  const query = new URLSearchParams(path.split('?')[1] ?? '');
  if (verb === 'GET' && name === undefined) {
    const list = await client.list(type, { namespace, labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined });
    return { kind: `${kindOf(type) ?? ''}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: list.resourceVersion }, items: list.items };
  }
  if (verb === 'GET') return client.get(type, key, subresource === undefined ? {} : { subresource });
  if (verb === 'POST') return client.create(type, { ...body, metadata: { ...body.metadata, ...(namespace === undefined ? {} : { namespace }) } });
  if (verb === 'PUT') return client.replace(type, body, subresource === undefined ? {} : { subresource });
  if (verb === 'DELETE') {
    const deleteOptions: DeleteOptions = options.body ?? {};
    await client.delete(type, key, deleteOptions);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  }
  const patchType = PATCH_TYPES[options.contentType ?? 'application/merge-patch+json'] ?? 'merge';
  const patch: Patch =
    patchType === 'json'
      ? { type: 'json', operations: body as unknown as JsonPatchOperation[] }
      : patchType === 'apply'
        ? { type: 'apply', body, force: query.get('force') === 'true' }
        : { type: patchType, body: body as unknown as Record<string, unknown> };
  return client.patch(type, key, patch, subresource === undefined ? {} : { subresource });
}
