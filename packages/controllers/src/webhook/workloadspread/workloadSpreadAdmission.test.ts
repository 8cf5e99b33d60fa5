import { aWorkloadSpread, aZoneSubset } from '@kruise-ts/core/testing';
import { KruiseResources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionContext, AdmissionRequest } from '../admissionTypes.js';
import { workloadSpreadValidatingWebhook } from './workloadSpreadAdmission.js';
import { workloadSpreadConverter } from './workloadSpreadConverter.js';

const context: AdmissionContext = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
let cluster: MemoryCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const request = (operation: 'CREATE' | 'UPDATE', object: unknown, oldObject?: unknown): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'apps.kruise.io', version: 'v1alpha1', kind: 'WorkloadSpread' },
  resource: { group: 'apps.kruise.io', version: 'v1alpha1', resource: 'workloadspreads' },
  namespace: 'default',
  operation,
  object,
  oldObject,
});

async function webhook() {
  cluster = await createMemoryCluster({ nodes: 0 });
  cluster.registerResource(KruiseResources.WorkloadSpread);
  return workloadSpreadValidatingWebhook({ client: cluster.client });
}

describe('workloadSpreadValidatingWebhook', () => {
  it('admits a valid WorkloadSpread and refuses duplicated subsets with the field path (422)', async () => {
    const hook = await webhook();
    expect((await hook.handle(request('CREATE', aWorkloadSpread()), context)).kind).toBe('allow');
    const denied = await hook.handle(request('CREATE', aWorkloadSpread({ subsets: [aZoneSubset('a', 1), aZoneSubset('a')] })), context);
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(denied.kind === 'deny' && denied.message).toContain('spec.subsets[1].name: Invalid value: "a": duplicated subset name a');
  });

  it('refuses a second WorkloadSpread on the same workload and a changed targetRef', async () => {
    const hook = await webhook();
    await (cluster as MemoryCluster).client.create(KruiseResources.WorkloadSpread, aWorkloadSpread({ name: 'ws-a' }) as never);
    const second = await hook.handle(request('CREATE', aWorkloadSpread({ name: 'ws-b' })), context);
    expect(second.kind === 'deny' && second.message).toContain('ws.spec.targetRef is in conflict with other WorkloadSpread ws-a');
    const moved = await hook.handle(request('UPDATE', aWorkloadSpread({ name: 'ws-a', targetRef: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'api' } }), aWorkloadSpread({ name: 'ws-a' })), context);
    expect(moved.kind === 'deny' && moved.message).toContain('change TargetReference is not permitted');
  });
});

describe('WorkloadSpread conversion webhook', () => {
  it('converts v1alpha1 to the stored v1beta1 (renamed node selectors) and back unchanged', () => {
    const alpha = aWorkloadSpread({ subsets: [aZoneSubset('zone-a', 2), aZoneSubset('zone-b')] }) as unknown as Record<string, unknown>;
    const up = workloadSpreadConverter.convert(alpha, 'apps.kruise.io/v1beta1');
    expect(up.kind).toBe('converted');
    const beta = up.kind === 'converted' ? (up.object as { apiVersion: string; spec: { subsets: Record<string, unknown>[] } }) : undefined;
    expect(beta?.apiVersion).toBe('apps.kruise.io/v1beta1');
    expect(beta?.spec.subsets.map((s) => Object.keys(s))).toEqual([
      ['name', 'maxReplicas', 'requiredNodeSelector'],
      ['name', 'requiredNodeSelector'],
    ]);
    const down = workloadSpreadConverter.convert(up.kind === 'converted' ? up.object : {}, 'apps.kruise.io/v1alpha1');
    expect(down).toEqual({ kind: 'converted', object: alpha });
  });

  it('fails an object its version cannot read, naming the field', () => {
    const bad = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'WorkloadSpread', spec: { subsets: [{ name: 'a', maxReplicas: 1.5 }] } };
    const outcome = workloadSpreadConverter.convert(bad, 'apps.kruise.io/v1alpha1');
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' ? outcome.message : '').toContain('spec.subsets[0].maxReplicas');
  });
});
