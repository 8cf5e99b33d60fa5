import { NotFoundError, type KubeClient, type KubeObject, type ObjectKey, type ResourceType } from '@kruise-ts/k8s-adapter';

/**
 * Deletes the object at `key` if it is still the one with `uid` (a uid precondition: a newer object
 * of the same name is left alone, with a 409); an object already gone is not an error.
 */
export async function deleteIfPresent<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, key: ObjectKey, uid: string, signal: AbortSignal): Promise<void> {
  try {
    await client.delete(type, key, { preconditions: { uid }, signal });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
