import { PUB_RELATED_ANNOTATION } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, NotFoundError, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type KubeReader, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countRequests } from '../webhook/testing/countReads.testkit.js';
import { pubDisruptionCheck } from './disruptionCheck.js';

// PodUnavailableBudgetUpdateGate's check before an in-place update, as the CloneSet and Advanced
// StatefulSet controllers call it: what it asks the apiserver per pod.

const signal = new AbortController().signal;
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function scene(unavailableAllowed: number) {
  const c = await createMemoryCluster({ nodes: 1 });
  cluster = c;
  c.registerResource(KruiseResources.PodUnavailableBudget);
  await c.client.create(Resources.Namespace, { metadata: { name: 'apps' } });
  const refs = [];
  for (const name of ['web-0', 'web-1']) {
    const pod = aPod({ name, namespace: 'apps', labels: { app: 'web' }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
    const created = await c.client.create(Resources.Pod, { metadata: pod.metadata, spec: { containers: pod.spec.containers } });
    refs.push({ name, namespace: 'apps', uid: created.metadata.uid ?? '' });
  }
  await c.clock.advance(5000);
  await c.settle();
  const pub = await c.client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 }) as never);
  await c.client.replace(KruiseResources.PodUnavailableBudget, { ...pub, status: { unavailableAllowed, desiredAvailable: 1, currentAvailable: 2, totalReplicas: 2 } }, { subresource: 'status' });
  return { c, refs, ...countRequests(c.client) };
}

describe('pubDisruptionCheck', () => {
  it.each<[string, boolean, number, string, string[]]>([
    ['apiserver reads (before the cache): an allowed update', false, 1, 'allow', ['get pods/web-0', 'get podunavailablebudgets/web-pub', 'get podunavailablebudgets/web-pub', 'replace podunavailablebudgets/web-pub/status']],
    ['the controller’s cache: an allowed update costs the status write only', true, 1, 'allow', ['replace podunavailablebudgets/web-pub/status']],
    ['the controller’s cache: a refusal is confirmed on the apiserver copy (one GET)', true, 0, 'refused', ['get podunavailablebudgets/web-pub']],
  ])('%s', async (_story, cache, allowed, verdict, requests) => {
    const { c, refs, client, requests: seen } = await scene(allowed);
    const informers = createSharedInformerFactory(client);
    const reader = cache ? createCachedReader({ client, informers }) : undefined;
    if (reader !== undefined) {
      await vi.waitFor(async () => {
        seen.length = 0;
        await reader.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' });
        await reader.get(Resources.Pod, { namespace: 'apps', name: 'web-0' });
        expect(seen).toEqual([]);
      });
    }
    const check = pubDisruptionCheck({ client, clock: c.clock, reader });
    expect((await check(refs[0] as (typeof refs)[number], signal)).kind).toBe(verdict);
    expect(seen).toEqual(requests);
    const budget = await c.client.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' });
    expect(Object.keys(budget.status?.unavailablePods ?? {})).toEqual(verdict === 'allow' ? ['web-0'] : []);
    reader?.stop();
    informers.stopAll();
  });

  it('a pod the cache does not hold is read from the apiserver; a pod replaced since (another uid) is not checked', async () => {
    const { c, refs, client, requests } = await scene(1);
    const notFound = new NotFoundError({ verb: 'GET', path: 'cache' }, 404, { reason: 'NotFound' });
    // A cache that holds the budget but not the pods yet (created a moment ago).
    const budgetOnly: KubeReader = { get: (type, key, options) => (type.plural === 'pods' ? Promise.reject(notFound) : c.client.get(type, key, options)), list: (type, options) => c.client.list(type, options) };
    const check = pubDisruptionCheck({ client, clock: c.clock, reader: budgetOnly });
    expect((await check({ ...(refs[1] as (typeof refs)[number]), uid: 'another' }, signal)).kind).toBe('allow');
    expect(requests).toEqual(['get pods/web-1']);
    requests.length = 0;
    expect((await check(refs[1] as (typeof refs)[number], signal)).kind).toBe('allow');
    expect(requests).toEqual(['get pods/web-1', 'replace podunavailablebudgets/web-pub/status']);
  });
});
