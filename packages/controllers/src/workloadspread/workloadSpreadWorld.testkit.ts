import { MATCHED_WORKLOADSPREAD_ANNOTATION, type Pod, type WorkloadSpread } from '@kruise-ts/core';
import { aWorkloadSpread, type WorkloadSpreadOptions } from '@kruise-ts/core/testing';
import { AdmissionDeniedError, admitAsWebhooks } from '../testing/admitAsWebhooks.js';
import { createLogger } from '../runtime/logger.js';
import { KruiseResources, Resources, createSharedInformerFactory, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { createBuiltinWebhooks } from '../webhook/createBuiltinWebhooks.js';
import type { WebhookRegistry } from '../webhook/webhookRegistry.js';
import type { WorkloadWorld } from '../workload/workloadWorld.testkit.js';
import { createWorkloadSpreadController } from './createWorkloadSpreadController.js';

/**
 * Returns `client` with pod writes going through the manager's pod webhooks, as the apiserver
 * sends them (the memory cluster runs no webhooks): a pod CREATE through the mutating ones (the
 * WorkloadSpread subset injected), a pod DELETE first through the validating one (the slot
 * released); a refusal throws an {@link AdmissionDeniedError}.
 */
export function admittingPodClient(client: KubeClient, webhooks: WebhookRegistry): KubeClient {
  const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
  const validating = webhooks.webhooks.find((w) => w.name === 'vpod.kb.io');
  return {
    get: (type, key, options) => client.get(type, key, options),
    list: (type, options) => client.list(type, options),
    replace: (type, object, options) => client.replace(type, object, options),
    patch: (type, key, patch, options) => client.patch(type, key, patch, options),
    watch: (type, options) => client.watch(type, options),
    request: (verb, path, options) => client.request(verb, path, options),
    async create(type, object, options) {
      const admitted = type === (Resources.Pod as unknown) ? await admitAsWebhooks(webhooks, type, 'CREATE', object) : object;
      return client.create(type, admitted, options);
    },
    async delete(type, key, options) {
      if (type === (Resources.Pod as unknown) && validating !== undefined) {
        const old = await client.get(type, key);
        const request = { uid: 'test', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, name: key.name, namespace: key.namespace, operation: 'DELETE' as const, oldObject: old };
        const decision = await validating.handle(request, context);
        if (decision.kind === 'deny') throw new AdmissionDeniedError(validating.name, decision.message, decision.causes ?? []);
      }
      return client.delete(type, key, options);
    },
  };
}

/** The manager's webhooks over a world's cluster (the WorkloadSpread gate on, as by default). */
export function worldWebhooks<W extends KubeObject>(w: WorkloadWorld<W>): WebhookRegistry {
  return createBuiltinWebhooks({ client: w.cluster.client, managerNamespace: 'kruise-system', clock: w.cluster.clock });
}

/** Returns the subset a pod's `apps.kruise.io/matched-workloadspread` annotation names (undefined without one). */
export const subsetOf = (pod: Pod): string | undefined => {
  const text = pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION];
  return text === undefined ? undefined : (JSON.parse(text) as { subset?: string }).subset;
};

/** Returns how many of `pods` each subset holds, e.g. `{ 'zone-a': 2, 'zone-b': 2 }`. */
export const countBySubset = (pods: readonly Pod[]): Record<string, number> =>
  pods.reduce<Record<string, number>>((counts, pod) => {
    const subset = subsetOf(pod) ?? 'none';
    counts[subset] = (counts[subset] ?? 0) + 1;
    return counts;
  }, {});

/**
 * Creates WorkloadSpread `web-ws` (namespace `apps`, the builder's three zones unless told) in a
 * workload world, starts the WorkloadSpread controller on its cluster and waits for the first
 * status (one entry per subset: the pod webhook picks subsets from it); returns a reader of the
 * WorkloadSpread and the function that stops the controller.
 */
export async function startSpread<W extends KubeObject>(w: WorkloadWorld<W>, options: WorkloadSpreadOptions = {}): Promise<{ read: () => Promise<WorkloadSpread & KubeObject>; stop: () => Promise<void> }> {
  w.cluster.registerResource(KruiseResources.WorkloadSpread);
  const spread = aWorkloadSpread({ namespace: 'apps', ...options });
  await w.user.create(KruiseResources.WorkloadSpread, spread as never);
  const informers = createSharedInformerFactory(w.cluster.client, { clock: w.cluster.clock });
  const running = createWorkloadSpreadController({ client: w.cluster.client, clock: w.cluster.clock, informers, events: { emit: () => undefined }, namespace: 'apps' });
  const abort = new AbortController();
  const started = running.controller.start(abort.signal);
  const read = () => w.user.get(KruiseResources.WorkloadSpread, { namespace: 'apps', name: spread.metadata?.name ?? '' });
  await w.until(async () => (await read()).status?.subsetStatuses?.length === spread.spec.subsets.length);
  return {
    read,
    async stop() {
      abort.abort();
      await running.stop();
      await started.catch(() => undefined);
    },
  };
}
