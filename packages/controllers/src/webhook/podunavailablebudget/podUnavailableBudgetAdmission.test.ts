import { aPodUnavailableBudget } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { podUnavailableBudgetValidatingWebhook } from './podUnavailableBudgetAdmission.js';
import { podUnavailableBudgetConverter } from './podUnavailableBudgetConverter.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const request = (object: unknown, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: unknown): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'policy.kruise.io', version: 'v1beta1', kind: 'PodUnavailableBudget' },
  resource: { group: 'policy.kruise.io', version: 'v1beta1', resource: 'podunavailablebudgets' },
  name: 'web-pub',
  namespace: 'apps',
  operation,
  object,
  oldObject,
});

async function webhook() {
  cluster = await createMemoryCluster({ nodes: 0 });
  cluster.registerResource(KruiseResources.PodUnavailableBudget);
  return podUnavailableBudgetValidatingWebhook({ client: cluster.client });
}

describe('vpodunavailablebudget.kb.io', () => {
  it('admits a valid budget', async () => {
    expect(await (await webhook()).handle(request(aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 })), context)).toEqual({ kind: 'allow' });
  });

  it('refuses both budgets with the field path (422)', async () => {
    expect(await (await webhook()).handle(request(aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1, minAvailable: 1 })), context)).toMatchObject({
      kind: 'deny',
      code: 422,
      message: 'spec.maxUnavailable, minAvailable: Required value: maxUnavailable and minAvailable are mutually exclusive',
    });
  });

  it('refuses a selector change on update', async () => {
    const old = aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1 });
    const next = aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 1, matchLabels: { app: 'api' } });
    expect(await (await webhook()).handle(request(next, 'UPDATE', old), context)).toMatchObject({ kind: 'deny', message: 'spec.selector, targetRef: Required value: selector and targetRef cannot be modified' });
  });

  it('refuses a budget overlapping another of the namespace', async () => {
    const hook = await webhook();
    await (cluster as MemoryCluster).client.create(Resources.Namespace, { metadata: { name: 'apps' } });
    await (cluster as MemoryCluster).client.create(KruiseResources.PodUnavailableBudget, aPodUnavailableBudget({ name: 'other', namespace: 'apps', maxUnavailable: 1 }) as never);
    expect(await hook.handle(request(aPodUnavailableBudget({ namespace: 'apps', maxUnavailable: 2 })), context)).toMatchObject({
      kind: 'deny',
      message: 'spec.selector: Invalid value: pub.spec.selector is in conflict with other PodUnavailableBudget other',
    });
  });
});

describe('PodUnavailableBudget conversion', () => {
  it('v1beta1 → v1alpha1 moves protectOperations into the annotation', () => {
    const beta = aPodUnavailableBudget({ maxUnavailable: 1, protectOperations: ['DELETE', 'EVICT'] });
    const result = podUnavailableBudgetConverter.convert(beta, 'policy.kruise.io/v1alpha1');
    expect(result).toMatchObject({ kind: 'converted', object: { apiVersion: 'policy.kruise.io/v1alpha1', metadata: { annotations: { 'kruise.io/pub-protect-operations': 'DELETE,EVICT' } } } });
  });
});
