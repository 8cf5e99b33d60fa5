import type { DeleteOptions, KubeClient, ObjectKey, Patch, PatchOptions, WriteOptions } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';

/** A write refused because this replica no longer leads (see {@link fenceWrites}). */
export class NotLeaderError extends Error {
  readonly _tag = 'NotLeaderError';
  constructor(readonly operation: string) {
    super(`${operation}: refused, this replica no longer holds the leader lease`);
    this.name = 'NotLeaderError';
  }
}

/**
 * Returns `client` with every write (create, replace, patch, delete, and `request` other than GET)
 * checked against `leading()` just before it is sent; when it answers false the write is not sent
 * and fails with a {@link NotLeaderError}. Reads and watches pass through. With `leading` the
 * elector's `isLeader()` (which steps down once the last renewal is renewDeadline old), a leader
 * that was frozen past its lease cannot write a single object on waking, whatever timer of its
 * work queues fires first — no split brain (issue 20).
 *
 * @example leading() true → `patch(Pod, web-0, …)` is sent; the process frozen 18 s, then resumed →
 *   leading() false → the patch rejects with NotLeaderError('patch pods web-0') and nothing reaches the apiserver
 */
export function fenceWrites(client: KubeClient, leading: () => boolean): KubeClient;
export function fenceWrites<C extends Partial<KubeClient>>(client: C, leading: () => boolean): C;
export function fenceWrites(client: Partial<KubeClient>, leading: () => boolean): Partial<KubeClient> {
  const check = (operation: string): void => {
    if (!leading()) throw new NotLeaderError(operation);
  };
  const fenced: Partial<KubeClient> = { ...client };
  const create = client.create?.bind(client);
  const replace = client.replace?.bind(client);
  const patch = client.patch?.bind(client);
  const remove = client.delete?.bind(client);
  const request = client.request?.bind(client);
  if (create !== undefined) {
    fenced.create = async <T extends KubeObject>(type: ResourceType<T>, object: T, options?: WriteOptions): Promise<T> => {
      check(`create ${type.plural} ${object.metadata.name ?? object.metadata.generateName ?? ''}`);
      return create(type, object, options);
    };
  }
  if (replace !== undefined) {
    fenced.replace = async <T extends KubeObject>(type: ResourceType<T>, object: T, options?: WriteOptions & { subresource?: string }): Promise<T> => {
      check(`replace ${type.plural} ${object.metadata.name ?? ''}`);
      return replace(type, object, options);
    };
  }
  if (patch !== undefined) {
    fenced.patch = async <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, body: Patch, options?: PatchOptions): Promise<T> => {
      check(`patch ${type.plural} ${key.name}`);
      return patch(type, key, body, options);
    };
  }
  if (remove !== undefined) {
    fenced.delete = async <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: DeleteOptions): Promise<void> => {
      check(`delete ${type.plural} ${key.name}`);
      return remove(type, key, options);
    };
  }
  if (request !== undefined) {
    fenced.request = async (verb, path, options) => {
      if (verb !== 'GET') check(`${verb} ${path}`);
      return request(verb, path, options);
    };
  }
  return fenced;
}
