import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cascadingCountNeeded, decideDeletionProtection, type DeletionProtectionInput } from './decideDeletionProtection.js';

const base: DeletionProtectionInput = { kind: 'workload', labels: {}, deleting: false, enabled: true, crdCascading: false };
const label = (value: string) => ({ 'policy.kruise.io/delete-protection': value });
const P = 'forbidden by ResourcesProtectionDeletion for policy.kruise.io/delete-protection=';

describe('decideDeletionProtection', () => {
  it.each<[string, Partial<DeletionProtectionInput>, string | undefined]>([
    ['an unlabelled workload', {}, undefined],
    ['Always refuses a workload', { labels: label('Always') }, `${P}Always`],
    ['Always refuses a namespace', { kind: 'namespace', labels: label('Always') }, `${P}Always`],
    ['Always refuses a Service', { kind: 'service', labels: label('Always') }, `${P}Always`],
    ['Cascading does not apply to an Ingress', { kind: 'ingress', labels: label('Cascading') }, undefined],
    ['Cascading workload with replicas 3', { labels: label('Cascading'), replicas: 3 }, `${P}Cascading and replicas 3>0`],
    ['Cascading workload scaled to 0', { labels: label('Cascading'), replicas: 0 }, undefined],
    ['Cascading workload without replicas (a DaemonSet)', { labels: label('Cascading') }, undefined],
    ['Cascading namespace with 2 active pods', { kind: 'namespace', labels: label('Cascading'), activePods: 2, boundPvcs: 1 }, `${P}Cascading and active pods 2>0`],
    ['Cascading namespace with a Bound PVC', { kind: 'namespace', labels: label('Cascading'), activePods: 0, boundPvcs: 1 }, `${P}Cascading and "Bound" status pvc 1>0`],
    ['Cascading empty namespace', { kind: 'namespace', labels: label('Cascading'), activePods: 0, boundPvcs: 0 }, undefined],
    ['Cascading CRD without its gate', { kind: 'crd', labels: label('Cascading'), activeCustomResources: 0 }, 'feature-gate DeletionProtectionForCRDCascadingGate is not enabled'],
    ['Cascading CRD with 4 resources', { kind: 'crd', labels: label('Cascading'), crdCascading: true, activeCustomResources: 4 }, `${P}Cascading and active CRs 4>0`],
    ['Cascading CRD without resources', { kind: 'crd', labels: label('Cascading'), crdCascading: true, activeCustomResources: 0 }, undefined],
    ['an unknown value', { labels: label('Sometimes'), replicas: 3 }, undefined],
    ['gate off', { enabled: false, labels: label('Always') }, undefined],
    ['already being deleted', { deleting: true, labels: label('Always') }, undefined],
  ])('%s', (_story, change, message) => {
    const decision = decideDeletionProtection({ ...base, ...change });
    expect(decision.kind === 'deny' ? decision.message : undefined).toBe(message);
  });

  it('counts only for Cascading namespaces and CRDs (with the gate)', () => {
    expect(cascadingCountNeeded({ ...base, kind: 'namespace', labels: label('Cascading') })).toBe('namespace-contents');
    expect(cascadingCountNeeded({ ...base, kind: 'crd', labels: label('Cascading'), crdCascading: true })).toBe('custom-resources');
    expect(cascadingCountNeeded({ ...base, kind: 'crd', labels: label('Cascading') })).toBe('none');
    expect(cascadingCountNeeded({ ...base, kind: 'namespace', labels: label('Always') })).toBe('none');
  });

  it('property: without the label nothing is ever refused; with Always everything is (gate on, not deleting)', () => {
    fc.assert(
      fc.property(fc.constantFrom<DeletionProtectionInput['kind']>('workload', 'service', 'ingress', 'namespace', 'crd'), fc.nat(5), fc.nat(5), fc.boolean(), (kind, replicas, count, crdCascading) => {
        const counts = { replicas, activePods: count, boundPvcs: count, activeCustomResources: count, crdCascading };
        expect(decideDeletionProtection({ ...base, ...counts, kind, labels: {} }).kind).toBe('allow');
        expect(decideDeletionProtection({ ...base, ...counts, kind, labels: label('Always') }).kind).toBe('deny');
      }),
    );
  });
});
