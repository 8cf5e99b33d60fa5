import { PUB_RELATED_ANNOTATION } from '@kruise-ts/core';
import { aPod } from '@kruise-ts/core/testing';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';

/**
 * Creates namespace `apps` and `count` pods `web-0`… labelled `app: web` and annotated as pods of
 * budget `web-pub` (OpenKruise's PUB-related annotation), through `user`: the scene of the PUB
 * webhook tests.
 *
 * @example await createBudgetPods(cluster.clientFor('kubectl')) → pods apps/web-0 … apps/web-4
 */
export async function createBudgetPods(user: KubeClient, count = 5): Promise<void> {
  await user.create(Resources.Namespace, { metadata: { name: 'apps' } });
  for (let i = 0; i < count; i++) {
    const pod = aPod({ name: `web-${String(i)}`, namespace: 'apps', labels: { app: 'web' }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
    await user.create(Resources.Pod, { metadata: pod.metadata, spec: { containers: pod.spec.containers } });
  }
}
