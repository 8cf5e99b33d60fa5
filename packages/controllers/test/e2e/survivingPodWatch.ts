import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { isReady, type PodObject } from './cloneSetManifest.js';

/**
 * Watches the pods of CloneSet `name` through any fault: after an error (the apiserver went away,
 * 410) it relists and watches again. Records every pod name ever seen and, after each change, how
 * many of the `replicas` are not ready (missing ones count). With `counted`, only the pods it
 * accepts are counted, `replicas` being how many of them there should be (e.g. the pods present
 * before a scale-up, updated in place meanwhile). Shared by the chaos e2e files (issue 20).
 */
export function survivingPodWatch(client: KubeClient, namespace: string, name: string, replicas: number, counted: (podName: string) => boolean = () => true) {
  const labelSelector = `app=${name}`;
  const pods = new Map<string, PodObject>();
  const seen = new Set<string>();
  let maxUnavailable = 0;
  let relists = 0;
  const abort = new AbortController();
  const record = (): void => {
    const live = [...pods.values()].filter((p) => p.metadata.deletionTimestamp === undefined && counted(p.metadata.name ?? ''));
    const unavailable = live.filter((p) => !isReady(p)).length + Math.max(replicas - live.length, 0);
    maxUnavailable = Math.max(maxUnavailable, unavailable);
  };
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const listed = await client.list(Resources.Pod, { namespace, labelSelector });
        pods.clear();
        for (const p of listed.items) {
          pods.set(p.metadata.name ?? '', p);
          seen.add(p.metadata.name ?? '');
        }
        record();
        for await (const event of client.watch(Resources.Pod, { namespace, labelSelector, resourceVersion: listed.resourceVersion, signal: abort.signal })) {
          if (event.type === 'BOOKMARK') continue;
          const podName = event.object.metadata.name ?? '';
          seen.add(podName);
          if (event.type === 'DELETED') pods.delete(podName);
          else pods.set(podName, event.object);
          record();
        }
      } catch {
        if (abort.signal.aborted as boolean) return;
        relists++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  })();
  return {
    seen,
    maxUnavailable: () => maxUnavailable,
    relists: () => relists,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
