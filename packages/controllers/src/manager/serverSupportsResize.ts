import type { KubeClient } from '@kruise-ts/k8s-adapter';

/**
 * Returns whether the apiserver serves the `pods/resize` subresource (Kubernetes >= 1.32, as
 * OpenKruise's `ShouldUpdateResourceByResize` decides), from `/version`. Unknown → false.
 */
export async function serverSupportsResize(client: KubeClient): Promise<boolean> {
  try {
    const version = (await client.request('GET', '/version')) as { major?: string; minor?: string };
    const major = Number.parseInt(version.major ?? '', 10);
    const minor = Number.parseInt(version.minor ?? '', 10);
    return major > 1 || (major === 1 && minor >= 32);
  } catch {
    return false;
  }
}
