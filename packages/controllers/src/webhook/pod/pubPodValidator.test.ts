import { PUB_RELATED_ANNOTATION, type Pod, type PodUnavailableBudgetStatus } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget, type PodUnavailableBudgetOptions } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
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
  await user.create(Resources.Namespace, { metadata: { name: 'apps' } });
  for (let i = 0; i < 5; i++) {
    const pod = aPod({ name: `web-${i}`, namespace: 'apps', labels: { app: 'web' }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
    await user.create(Resources.Pod, { metadata: pod.metadata, spec: { containers: pod.spec.containers } });
  }
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
