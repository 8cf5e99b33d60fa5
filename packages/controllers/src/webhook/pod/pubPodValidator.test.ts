import { PUB_RELATED_ANNOTATION, type Pod, type PodUnavailableBudgetStatus } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget, type PodUnavailableBudgetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, NotFoundError, Resources, createCachedReader, createMemoryCluster, createSharedInformerFactory, type KubeClient, type KubeObject, type KubeReader, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { countReads } from '../testing/countReads.testkit.js';
import { createBudgetPods } from '../testing/budgetPods.testkit.js';
import { pubPodValidator, type PubGates } from './pubPodValidator.js';

const REFUSED = 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative';
const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const POD_KIND = { group: '', version: 'v1', kind: 'Pod' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** A memory cluster with 5 running pods of budget web-pub (annotated) in namespace apps, and the budget with `status`. */
async function scene(status: PodUnavailableBudgetStatus, pub: PodUnavailableBudgetOptions = {}) {
  cluster = await createMemoryCluster({ nodes: 1 });
  cluster.registerResource(KruiseResources.PodUnavailableBudget);
  const user = cluster.clientFor('kubectl');
  await createBudgetPods(user);
  await cluster.clock.advance(5000);
  await cluster.settle();
  const created = await user.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1, ...pub }) as never);
  await user.replace(KruiseResources.PodUnavailableBudget, { ...created, status }, { subresource: 'status' });
  return { cluster, user };
}

const budget = async () => (await (cluster as MemoryCluster).client.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' })).status;
const pod = async (name: string) => (cluster as MemoryCluster).client.get(Resources.Pod, { namespace: 'apps', name });

const deleteRequest = (old: Pod, dryRun = false): AdmissionRequest => ({ uid: 'u', kind: POD_KIND, resource: PODS, name: old.metadata.name, namespace: 'apps', operation: 'DELETE', oldObject: old, dryRun });
const evictRequest = (name: string): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'policy', version: 'v1', kind: 'Eviction' },
  resource: PODS,
  subResource: 'eviction',
  name,
  namespace: 'apps',
  operation: 'CREATE',
  object: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'apps' } },
});
const updateRequest = (old: Pod, next: Pod, subResource?: string): AdmissionRequest => ({ uid: 'u', kind: POD_KIND, resource: PODS, subResource, name: old.metadata.name, namespace: 'apps', operation: 'UPDATE', object: next, oldObject: old });
const withImage = (p: Pod, image: string): Pod => ({ ...p, spec: { ...p.spec, containers: p.spec.containers.map((c) => ({ ...c, image })) } });

const validator = (gates: PubGates = {}) => pubPodValidator({ client: (cluster as MemoryCluster).client, clock: (cluster as MemoryCluster).clock, featureGates: gates });
const OPEN = { unavailableAllowed: 1, desiredAvailable: 4, currentAvailable: 5, totalReplicas: 5 };

describe('pubPodValidator', () => {
  it('a delete takes the one allowed disruption; the next is refused with 429 and OpenKruise\'s message', async () => {
    await scene(OPEN);
    expect(await validator().validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toEqual(['web-0']);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(await validator().validate(deleteRequest(await pod('web-1')), context)).toEqual({ kind: 'deny', code: 429, reason: 'TooManyRequests', message: REFUSED });
    // The first pod again (a retried delete) passes: it is recorded.
    expect(await validator().validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
  });

  it('an eviction reads the pod and is refused the same way', async () => {
    await scene(OPEN);
    expect(await validator().validate(evictRequest('web-2'), context)).toEqual({ kind: 'allow' });
    expect(await validator().validate(evictRequest('web-3'), context)).toMatchObject({ kind: 'deny', code: 429, message: REFUSED });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toEqual(['web-2']);
  });

  it('a dry-run delete is decided but not recorded', async () => {
    await scene(OPEN);
    expect(await validator().validate(deleteRequest(await pod('web-0'), true), context)).toEqual({ kind: 'allow' });
    expect(await budget()).toMatchObject({ unavailableAllowed: 1 });
  });

  it.each<[string, (p: Pod) => Pod]>([
    ['pub.kruise.io/no-protect', (p) => ({ ...p, metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, 'pub.kruise.io/no-protect': 'true' } } })],
    ['a not-ready pod', (p) => ({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } })],
    ['an unavailable-pod.kruise.io/ label', (p) => ({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, 'unavailable-pod.kruise.io/x': 'true' } } })],
    ['no related-pub annotation', (p) => ({ ...p, metadata: { ...p.metadata, annotations: {} } })],
  ])('exempt with the budget spent: %s', async (_story, change) => {
    await scene({ ...OPEN, unavailableAllowed: 0 });
    expect(await validator().validate(deleteRequest(change(await pod('web-0'))), context)).toEqual({ kind: 'allow' });
  });

  it('PodUnavailableBudgetDeleteGate off: deletes pass', async () => {
    await scene({ ...OPEN, unavailableAllowed: 0 });
    expect(await validator({ PodUnavailableBudgetDeleteGate: false }).validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
  });

  it('in-place updates are checked only with PodUnavailableBudgetUpdateGate, and recorded as unavailable', async () => {
    await scene(OPEN);
    const old = await pod('web-0');
    expect(await validator().validate(updateRequest(old, withImage(old, 'nginx:2')), context)).toEqual({ kind: 'allow' });
    expect(await budget()).toMatchObject({ unavailableAllowed: 1 });
    const gated = validator({ PodUnavailableBudgetUpdateGate: true });
    expect(await gated.validate(updateRequest(old, withImage(old, 'nginx:2')), context)).toEqual({ kind: 'allow' });
    expect(Object.keys((await budget())?.unavailablePods ?? {})).toEqual(['web-0']);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    const other = await pod('web-1');
    expect(await gated.validate(updateRequest(other, withImage(other, 'nginx:2')), context)).toMatchObject({ kind: 'deny', code: 429 });
    // A label change is not a disruption; a resize is (UPDATE protects RESIZE without native resize).
    expect(await gated.validate(updateRequest(other, { ...other, metadata: { ...other.metadata, labels: { ...other.metadata.labels, x: 'y' } } }), context)).toEqual({ kind: 'allow' });
    expect(await gated.validate(updateRequest(other, withImage(other, 'nginx:3'), 'resize'), context)).toMatchObject({ kind: 'deny', code: 429 });
  });

  it('an operation the budget does not protect passes', async () => {
    await scene({ ...OPEN, unavailableAllowed: 0 }, { protectOperations: ['EVICT'] });
    expect(await validator().validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(await validator().validate(evictRequest('web-0'), context)).toMatchObject({ kind: 'deny', code: 429 });
  });

  it('a 409 on the status write re-reads and decides again', async () => {
    const { cluster: c } = await scene({ ...OPEN, unavailableAllowed: 2 });
    c.faults.failWrites({ resource: 'podunavailablebudgets', subresource: 'status', error: 'conflict', times: 2 });
    expect(await validator().validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(await budget()).toMatchObject({ unavailableAllowed: 1 });
  });

  it('gives up after 4 conflicts with a 429', async () => {
    const { cluster: c } = await scene(OPEN);
    c.faults.failWrites({ resource: 'podunavailablebudgets', subresource: 'status', error: 'conflict', times: 4 });
    expect(await validator().validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'deny', code: 429, reason: 'TooManyRequests', message: "Timeout: couldn't update PodUnavailableBudget web-pub due to conflicts" });
  });

  it('10 concurrent deletes with 3 allowed: exactly 3 pass, even with another writer changing the budget meanwhile', async () => {
    const { user } = await scene({ ...OPEN, unavailableAllowed: 3, desiredAvailable: 2 });
    for (let i = 5; i < 10; i++) {
      const extra = aPod({ name: `web-${i}`, namespace: 'apps', labels: { app: 'web' }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
      await user.create(Resources.Pod, { metadata: extra.metadata, spec: { containers: extra.spec.containers } });
    }
    await (cluster as MemoryCluster).clock.advance(5000);
    await (cluster as MemoryCluster).settle();
    const pods = await Promise.all(Array.from({ length: 10 }, (_, i) => pod(`web-${i}`)));
    // Another writer (the controller) touches the status in the middle: the validators' writes conflict and retry.
    const touch = (async () => {
      const current = await user.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' });
      await user.replace(KruiseResources.PodUnavailableBudget, { ...current, status: { ...current.status, totalReplicas: 10 } }, { subresource: 'status' }).catch(() => undefined);
    })();
    const results = await Promise.all(pods.map(async (p) => validator().validate(deleteRequest(p), context)));
    await touch;
    expect(results.filter((r) => r.kind === 'allow')).toHaveLength(3);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toHaveLength(3);
  });
});

/** A reader whose cache holds `budget` as it was, whatever the apiserver has since (a watch that lags). */
function staleReader(client: KubeClient, budget: KubeObject | undefined): KubeReader {
  const notFound = new NotFoundError({ verb: 'GET', path: 'cache' }, 404, { reason: 'NotFound' });
  return {
    get: (type, key, options) => (type.plural === 'podunavailablebudgets' ? (budget === undefined ? Promise.reject(notFound) : Promise.resolve(budget as never)) : client.get(type, key, options)),
    list: (type, options) => client.list(type, options),
  };
}

describe('pubPodValidator reading a cache (the manager’s informers)', () => {
  const cachedBudget = async () => (cluster as MemoryCluster).client.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' });

  it('cache hit: the budget and the evicted pod come from the informers; only the status write reaches the apiserver', async () => {
    const { cluster: c } = await scene({ ...OPEN, unavailableAllowed: 2 });
    const { client, reads: gets } = countReads(c.client);
    const informers = createSharedInformerFactory(c.client);
    const reader = createCachedReader({ client, informers });
    const cached = pubPodValidator({ client, reader, clock: c.clock });
    // Warm the cache as the manager's informers are warm: once synced, no GET at all.
    await vi.waitFor(async () => {
      gets.length = 0;
      await reader.get(KruiseResources.PodUnavailableBudget, { namespace: 'apps', name: 'web-pub' });
      await reader.get(Resources.Pod, { namespace: 'apps', name: 'web-1' });
      expect(gets).toEqual([]);
    });
    expect(await cached.validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(await cached.validate(evictRequest('web-1'), context)).toEqual({ kind: 'allow' });
    expect(gets).toEqual([]);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(Object.keys((await budget())?.disruptedPods ?? {}).sort()).toEqual(['web-0', 'web-1']);
    reader.stop();
    informers.stopAll();
  });

  it('stale cache: two concurrent deletes against a cached budget with unavailableAllowed 1 → exactly one allowed', async () => {
    const { cluster: c } = await scene(OPEN);
    const { client, reads: gets } = countReads(c.client);
    const snapshot = await cachedBudget();
    const cached = pubPodValidator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    const results = await Promise.all([cached.validate(deleteRequest(await pod('web-0')), context), cached.validate(deleteRequest(await pod('web-1')), context)]);
    expect(results.filter((r) => r.kind === 'allow')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'deny')).toEqual([{ kind: 'deny', code: 429, reason: 'TooManyRequests', message: REFUSED }]);
    // The second decided on the copy the first wrote, not on the stale cache: no conflict; its
    // refusal confirmed on the apiserver's copy (one GET).
    expect(gets.filter((g) => g.startsWith('get podunavailablebudgets'))).toEqual(['get podunavailablebudgets/web-pub']);
    // Later requests still see this process's write while the cache lags.
    expect(await cached.validate(deleteRequest(await pod('web-2')), context)).toMatchObject({ kind: 'deny', code: 429 });
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toHaveLength(1);
  });

  it('conflict → re-read: another writer took the budget after the cache saw it; the write conflicts, the apiserver copy refuses', async () => {
    const { cluster: c, user } = await scene(OPEN);
    const { client, reads: gets } = countReads(c.client);
    const snapshot = await cachedBudget();
    await user.replace(KruiseResources.PodUnavailableBudget, { ...snapshot, status: { ...OPEN, unavailableAllowed: 0 } }, { subresource: 'status' });
    const cached = pubPodValidator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    expect(await cached.validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'deny', code: 429, reason: 'TooManyRequests', message: REFUSED });
    expect(gets).toEqual(['get podunavailablebudgets/web-pub']);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toEqual([]);
  });

  it('conflict → re-read that still allows: decided again on the apiserver copy and written over it', async () => {
    const { cluster: c, user } = await scene(OPEN);
    const { client, reads: gets } = countReads(c.client);
    const snapshot = await cachedBudget();
    await user.replace(KruiseResources.PodUnavailableBudget, { ...snapshot, status: { ...OPEN, unavailableAllowed: 2, totalReplicas: 6 } }, { subresource: 'status' });
    const cached = pubPodValidator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    expect(await cached.validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(gets).toEqual(['get podunavailablebudgets/web-pub']);
    expect(await budget()).toMatchObject({ unavailableAllowed: 1, totalReplicas: 6 });
  });

  it('cache miss: a budget the cache does not hold is no budget (OpenKruise’s GetPubForPod); an evicted pod it does not hold is read from the apiserver', async () => {
    const { cluster: c } = await scene({ ...OPEN, unavailableAllowed: 0 });
    const { client, reads: gets } = countReads(c.client);
    const missing = pubPodValidator({ client, reader: staleReader(client, undefined), clock: c.clock });
    expect(await missing.validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(gets).toEqual([]);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
    expect(Object.keys((await budget())?.disruptedPods ?? {})).toEqual([]);
    const noPods: KubeReader = { get: (type, key, options) => (type.plural === 'pods' ? Promise.reject(new NotFoundError({ verb: 'GET', path: 'cache' }, 404, {})) : client.get(type, key, options)), list: (type, options) => client.list(type, options) };
    const podMiss = pubPodValidator({ client, reader: noPods, clock: c.clock });
    expect(await podMiss.validate(evictRequest('web-1'), context)).toMatchObject({ kind: 'deny', code: 429 });
    expect(gets.filter((g) => g.startsWith('get pods/'))).toEqual(['get pods/web-1']);
  });

  it('a cache that has not seen the controller raise unavailableAllowed does not refuse: the refusal is checked on the apiserver copy', async () => {
    const { cluster: c, user } = await scene({ ...OPEN, unavailableAllowed: 0 });
    const { client, reads: gets } = countReads(c.client);
    const snapshot = await cachedBudget();
    await user.replace(KruiseResources.PodUnavailableBudget, { ...snapshot, status: { ...OPEN, unavailableAllowed: 1 } }, { subresource: 'status' });
    const cached = pubPodValidator({ client, reader: staleReader(client, snapshot), clock: c.clock });
    expect(await cached.validate(deleteRequest(await pod('web-0')), context)).toEqual({ kind: 'allow' });
    expect(gets).toEqual(['get podunavailablebudgets/web-pub']);
    expect(await budget()).toMatchObject({ unavailableAllowed: 0 });
  });
});
