import { convertUnitedDeploymentToV1alpha1, withUnitedDeploymentDefaults, type UnitedDeployment } from '@kruise-ts/core';
import { aUnitedDeployment } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { unitedDeploymentMutatingWebhook, unitedDeploymentValidatingWebhook } from './unitedDeploymentAdmission.js';
import { unitedDeploymentConverter } from './unitedDeploymentConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

function request(object: unknown, options: { operation?: AdmissionRequest['operation']; oldObject?: unknown; version?: string } = {}): AdmissionRequest {
  const version = options.version ?? 'v1beta1';
  return {
    uid: 'u',
    kind: { group: 'apps.kruise.io', version, kind: 'UnitedDeployment' },
    resource: { group: 'apps.kruise.io', version, resource: 'uniteddeployments' },
    operation: options.operation ?? 'CREATE',
    namespace: 'default',
    object,
    oldObject: options.oldObject,
  };
}

const zones = [
  { name: 'zone-a', zone: 'zone-a', replicas: '20%' },
  { name: 'zone-b', zone: 'zone-b', replicas: 3 },
  { name: 'zone-c', zone: 'zone-c' },
] as const;
const ud = (over: Parameters<typeof aUnitedDeployment>[0] = {}): UnitedDeployment => aUnitedDeployment({ replicas: 10, subsets: zones, ...over });
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patchOf = (d: AdmissionDecision) => (d.kind === 'allow' ? d.patch : undefined);

describe('UnitedDeployment mutating webhook', () => {
  it('patches a v1beta1 object to OpenKruise’s defaults', async () => {
    const object = ud();
    const decision = await unitedDeploymentMutatingWebhook().handle(request(object), context);
    expect(applyJsonPatch(object, patchOf(decision) ?? [])).toEqual(withUnitedDeploymentDefaults(object));
  });

  it('defaults a v1alpha1 object in v1alpha1 terms, and returns no patch for a defaulted one', async () => {
    const stored = withUnitedDeploymentDefaults(ud());
    expect(await unitedDeploymentMutatingWebhook().handle(request(stored), context)).toEqual({ kind: 'allow' });
    const alpha = convertUnitedDeploymentToV1alpha1(ud());
    const decision = await unitedDeploymentMutatingWebhook().handle(request(alpha, { version: 'v1alpha1' }), context);
    expect((applyJsonPatch(alpha, patchOf(decision) ?? []) as UnitedDeployment).spec.updateStrategy).toEqual({ type: 'Manual', manualUpdate: {} });
  });
});

describe('UnitedDeployment validating webhook', () => {
  it('admits the three-zone example and denies bad subsets, naming the field', async () => {
    expect(await unitedDeploymentValidatingWebhook().handle(request(ud()), context)).toEqual({ kind: 'allow' });
    const bad = ud({ subsets: [{ name: 'a', replicas: 6 }, { name: 'a', replicas: 6 }] });
    const decision = await unitedDeploymentValidatingWebhook().handle(request(bad), context);
    expect(decision).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(decision)).toContain('spec.topology.subsets[1].name: Invalid value: "a": duplicated subset name a');
    expect(message(decision)).toContain('spec.topology.subsets: Invalid value: 12: if replicas of all subsets are provided');
  });

  it('denies moving a subset to other nodes on UPDATE', async () => {
    const next = ud({ subsets: [{ ...zones[0], zone: 'zone-x' }, zones[1], zones[2]] });
    const decision = await unitedDeploymentValidatingWebhook().handle(request(next, { operation: 'UPDATE', oldObject: ud() }), context);
    expect(message(decision)).toBe('spec.topology.subsets[0].nodeSelectorTerm: Forbidden: may not be changed in an update');
  });
});

describe('UnitedDeployment conversion', () => {
  it('serves the v1alpha1 status maps from the stored v1beta1 status', () => {
    const stored = { ...ud(), status: { replicas: 10, updatedRevision: 'web-5f', subsetStatuses: [{ name: 'zone-a', replicas: 2, partition: 1 }] } };
    const converted = unitedDeploymentConverter.convert(stored, 'apps.kruise.io/v1alpha1');
    expect(converted).toMatchObject({ kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1alpha1', status: { subsetReplicas: { 'zone-a': 2 }, updateStatus: { updatedRevision: 'web-5f', currentPartitions: { 'zone-a': 1 } } } } });
  });
});
