import { Agent } from 'node:https';
import { PUB_RELATED_ANNOTATION } from '@kruise-ts/core';
import { aPod, aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.js';
import { cloneSetMutatingWebhook, cloneSetValidatingWebhook } from './cloneset/cloneSetAdmission.js';
import { cloneSetConverter } from './cloneset/cloneSetConverter.js';
import { createWebhookServer, type WebhookServer } from './createWebhookServer.js';
import { deletionProtectionWebhook } from './deletionprotection/deletionProtectionWebhook.js';
import { launchPriorityPodMutator } from './pod/launchPriorityPodMutator.js';
import { createPodMutatingWebhook } from './pod/podMutatingWebhook.js';
import { createPodValidatingWebhook } from './pod/podValidatingWebhook.js';
import { pubPodValidator } from './pod/pubPodValidator.js';
import { podUnavailableBudgetValidatingWebhook } from './podunavailablebudget/podUnavailableBudgetAdmission.js';
import { podUnavailableBudgetConverter } from './podunavailablebudget/podUnavailableBudgetConverter.js';
import { admissionReview, loopbackCertificates, sendRequest, type SendOptions } from './testing/webhook.testkit.js';
import { createWebhookRegistry } from './webhookRegistry.js';

const LIMIT = 32 * 1024;
// With the pod policies: PodUnavailableBudget on pod deletes, evictions, updates and resizes
// (/validate-pod), budget validation, deletion protection.
const PATHS = ['/mutate-apps-kruise-io-cloneset', '/validate-apps-kruise-io-cloneset', '/mutate-pod', '/convert', '/validate-pod', '/validate-policy-kruise-io-podunavailablebudget', '/validate-deletion-protection'] as const;

type Json = Record<string, unknown>;

/** Asserts the answer is a 4xx, or a 200 carrying a well-formed review for `path`. */
function expectWellFormed(path: string, status: number, text: string): void {
  expect(status === 200 || (status >= 400 && status < 500), `status ${String(status)}: ${text}`).toBe(true);
  if (status !== 200) {
    expect(text.length).toBeGreaterThan(0);
    return;
  }
  const body = JSON.parse(text) as { kind: string; response: Json };
  if (path === '/convert') {
    expect(body.kind).toBe('ConversionReview');
    const result = body.response.result as { status: string; message?: string };
    expect(['Success', 'Failure']).toContain(result.status);
    if (result.status === 'Failure') expect(result.message).toMatch(/\S/);
    return;
  }
  expect(body.kind).toBe('AdmissionReview');
  expect(typeof body.response.uid).toBe('string');
  expect(typeof body.response.allowed).toBe('boolean');
  if (body.response.allowed === false) expect((body.response.status as { message?: string }).message).toMatch(/\S/);
  if (body.response.patch !== undefined) expect(body.response.patchType).toBe('JSONPatch');
}

const kinds = fc.record({
  group: fc.constantFrom('', 'apps', 'apps.kruise.io', 'policy.kruise.io', 'apiextensions.k8s.io', 'x'),
  version: fc.constantFrom('v1', 'v1alpha1', 'v1beta1', 'v9'),
  kind: fc.constantFrom('CloneSet', 'Pod', 'Deployment', 'Nope', 'PodUnavailableBudget', 'Namespace', 'CustomResourceDefinition'),
});
const resourceOf = (k: { group: string; version: string; kind: string }) => ({ group: k.group, version: k.version, resource: `${k.kind.toLowerCase()}s` });

/** Pods of the budget web-pub (some ready, some not, some protected from deletion), with an arbitrary spec now and then. */
const budgetPods = fc
  .record({ i: fc.nat(4), phase: fc.constantFrom('ready', 'not-ready', 'pending', 'terminating' as const), protect: fc.constantFrom(undefined, 'Always', 'Cascading', 'x'), spec: fc.option(fc.anything(), { nil: undefined }) })
  .map(({ i, phase, protect, spec }) => {
    const pod = aPod({ name: `web-${String(i)}`, phase, labels: { app: 'web', ...(protect === undefined ? {} : { 'policy.kruise.io/delete-protection': protect }) }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
    return spec === undefined ? pod : { ...pod, spec };
  });

/** A review with random but typed envelope and an arbitrary (often unparseable) object. */
const reviews = fc.record({
  uid: fc.string({ minLength: 1, maxLength: 20 }),
  kind: kinds,
  subResource: fc.constantFrom(undefined, 'eviction', 'resize', 'status'),
  name: fc.constantFrom(undefined, 'web-0', 'web-1', 'nope'),
  operation: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'),
  object: fc.oneof(fc.anything(), budgetPods, fc.record({ apiVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1', 'policy.kruise.io/v1beta1', 'v1'), kind: fc.constantFrom('CloneSet', 'Pod', 'PodUnavailableBudget'), metadata: fc.anything(), spec: fc.anything() })),
  oldObject: fc.option(fc.oneof(fc.anything(), budgetPods), { nil: undefined }),
  dryRun: fc.option(fc.boolean(), { nil: undefined }),
}).map((r) => admissionReview({ ...r, resource: resourceOf(r.kind) }));

const conversions = fc
  .record({ uid: fc.string({ minLength: 1 }), desiredAPIVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1', 'v1', 'bad'), objects: fc.array(fc.oneof(fc.anything(), fc.record({ apiVersion: fc.constantFrom('apps.kruise.io/v1alpha1', 'apps.kruise.io/v1beta1'), kind: fc.constant('CloneSet'), spec: fc.anything() })), { maxLength: 3 }) })
  .map((request) => JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request }));

const bodies = fc.oneof(
  { weight: 3, arbitrary: reviews },
  { weight: 2, arbitrary: conversions },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: fc.tuple(reviews, fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.integer({ min: LIMIT + 1, max: 3 * LIMIT }).map((n) => `{"a":"${'x'.repeat(n)}"}`) },
);

/** Pod operations on the budget's pods, sent to /validate-pod (the budget path, reached often enough to be spent). */
const podPolicyRequests = fc
  .record({
    uid: fc.string({ minLength: 1, maxLength: 20 }),
    operation: fc.constantFrom('DELETE', 'CREATE', 'UPDATE'),
    subResource: fc.constantFrom(undefined, 'eviction', 'resize'),
    old: budgetPods,
    next: budgetPods,
    dryRun: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ old, next, ...r }) => ({
    path: '/validate-pod',
    method: 'POST',
    contentType: 'application/json',
    body: admissionReview({ ...r, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, name: old.metadata.name, oldObject: old, ...(r.operation === 'DELETE' ? {} : { object: next }) }),
  }));

/** Pod CREATEs asking for container launch priority (Ordered, or KRUISE_CONTAINER_PRIORITY values of any text), sent to /mutate-pod. */
const launchPriorityRequests = fc
  .record({
    uid: fc.string({ minLength: 1, maxLength: 20 }),
    ordered: fc.constantFrom(undefined, 'Ordered', 'ordered', ''),
    name: fc.constantFrom<string | undefined>('app-0', undefined),
    priorities: fc.array(fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), fc.string({ maxLength: 6 }), fc.constantFrom('99999999999999999999', '+3', '-0')), { nil: undefined }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ uid, ordered, name, priorities }) => {
    const containers = priorities.map((p, i) => ({ name: `c${String(i)}`, image: 'busybox', ...(p === undefined ? {} : { env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: p }] }) }));
    const metadata = { ...(name === undefined ? { generateName: 'app-' } : { name }), namespace: 'apps', ...(ordered === undefined ? {} : { annotations: { 'apps.kruise.io/container-launch-priority': ordered } }) };
    return {
      path: '/mutate-pod',
      method: 'POST',
      contentType: 'application/json',
      body: admissionReview({ uid, operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, object: { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers } } }),
    };
  });

const generalRequests = fc.record({
  path: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: fc.webPath().map((p) => `/${p.replace(/^\/+/, '')}`) }),
  method: fc.oneof({ weight: 9, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
  contentType: fc.oneof({ weight: 9, arbitrary: fc.constantFrom<string | null>('application/json', 'application/json; charset=utf-8') }, { weight: 1, arbitrary: fc.constantFrom<string | null>('text/plain', 'application/xml', '', null, 'application/jsonx') }),
  body: bodies,
});

const requests = fc.oneof({ weight: 9, arbitrary: generalRequests }, { weight: 1, arbitrary: podPolicyRequests }, { weight: 1, arbitrary: launchPriorityRequests });

describe('webhook server under a few thousand generated bodies', () => {
  const certs = loopbackCertificates();
  const failures: unknown[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => failures.push(JSON.parse(line)) } });
  const registry = createWebhookRegistry()
    .admission(cloneSetMutatingWebhook())
    .admission(cloneSetValidatingWebhook())
    .admission(createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [{ name: 'label', mutate: (pod) => ({ kind: 'mutated', pod: { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, fuzz: 'yes' } } } }) }, launchPriorityPodMutator()] }))
    .conversion(cloneSetConverter);
  let server: WebhookServer;
  let cluster: MemoryCluster;
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: certs.caPem });
  beforeAll(async () => {
    // The pod policies read and write a memory cluster: budget web-pub (one disruption allowed) over pods web-0..2.
    cluster = await createMemoryCluster({ nodes: 1 });
    cluster.registerResource(KruiseResources.PodUnavailableBudget);
    for (let i = 0; i < 3; i++) {
      const pod = aPod({ name: `web-${String(i)}`, labels: { app: 'web' }, annotations: { [PUB_RELATED_ANNOTATION]: 'web-pub' } });
      await cluster.client.create(Resources.Pod, { metadata: pod.metadata, spec: pod.spec });
    }
    const pub = await cluster.client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ maxUnavailable: 1 }) as never);
    await cluster.client.replace(KruiseResources.PodUnavailableBudget, { ...pub, status: { unavailableAllowed: 1, desiredAvailable: 2, currentAvailable: 3, totalReplicas: 3 } }, { subresource: 'status' });
    const featureGates = { PodUnavailableBudgetUpdateGate: true, ResourcesDeletionProtection: true, DeletionProtectionForCRDCascadingGate: true };
    registry
      .admission(createPodValidatingWebhook({ managerNamespace: 'kruise-system', validators: [pubPodValidator({ client: cluster.client, clock: cluster.clock, featureGates })] }))
      .admission(podUnavailableBudgetValidatingWebhook({ client: cluster.client }))
      .admission(deletionProtectionWebhook({ client: cluster.client, featureGates }))
      .conversion(podUnavailableBudgetConverter);
    server = await createWebhookServer({ host: '127.0.0.1', port: 0, certificate: certs.serving, registry, logger, maxBodyBytes: LIMIT, handlerTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
    await cluster.close();
  });

  it('answers every request with a 4xx or a well-formed review, never a 5xx, crash or hang', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async ({ path, method, contentType, body }) => {
        const options: SendOptions = { method, contentType, agent, timeoutMs: 5_000, ...(method === 'GET' ? {} : { body }) };
        const res = await sendRequest(`${server.url}${path}`, certs.caPem, options);
        expectWellFormed(path, res.status, res.text);
      }),
      { numRuns: 3_000, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    );
    expect(failures).toEqual([]);
    // The budget path ran: some delete, eviction or update took web-pub's one disruption.
    const budget = await cluster.client.get(KruiseResources.PodUnavailableBudget, { namespace: 'default', name: 'web-pub' });
    expect(budget.status?.unavailableAllowed).toBe(0);
  }, 120_000);

  it('still answers afterwards, and survives a body of 20 MiB', async () => {
    await sendRequest(`${server.url}/validate-apps-kruise-io-cloneset`, certs.caPem, { body: Buffer.alloc(20 * 1024 * 1024, 0x20) }).then(
      (res) => {
        expect(res.status).toBe(413);
      },
      (error: unknown) => {
        expect(String(error)).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      },
    );
    const res = await sendRequest(`${server.url}/validate-apps-kruise-io-cloneset`, certs.caPem, { body: admissionReview({ uid: 'after', object: { spec: { replicas: -1 } } }) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response: { uid: 'after', allowed: false } });
  });
});
