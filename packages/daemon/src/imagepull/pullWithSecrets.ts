import type { ImageRuntime, PullImageOptions } from '../cri/imageRuntime.js';
import { lookupRegistryAuths, parseDockerKeyring, type PullSecret } from '../secrets/dockerKeyring.js';
import { parseImageRepository } from '../secrets/parseImageRepository.js';

/**
 * Pulls `image` as OpenKruise's CRI image service does: with each credential of `secrets` that
 * matches the image's registry (most specific first) until one works; anonymously only when no
 * credential matches. Resolves to the runtime's image reference; when every credential fails,
 * rejects with one error listing each failure.
 *
 * @example
 * await pullWithSecrets(runtime, '127.0.0.1:5000/app:1', [dockerconfigjsonFor127001], options) // pulled with its user
 */
export async function pullWithSecrets(runtime: ImageRuntime, image: string, secrets: readonly PullSecret[], options: Omit<PullImageOptions, 'auth'>): Promise<string> {
  const auths = secrets.length === 0 ? [] : lookupRegistryAuths(parseDockerKeyring(secrets), parseImageRepository(image));
  if (auths.length === 0) return runtime.pullImage(image, options);
  const failures: string[] = [];
  for (const auth of auths) {
    try {
      return await runtime.pullImage(image, { ...options, auth });
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      if (options.signal?.aborted === true) break;
    }
  }
  throw new Error(failures.length === 1 ? (failures[0] ?? '') : `[${failures.join(', ')}]`);
}
