import { describe, expect, it } from 'vitest';
import { simulateWorkloadEffects } from './simulateWorkloadEffects.js';
import { effectObjectName, type OwnedObject, type WorkloadEffect } from './workloadEffect.js';

const child: OwnedObject = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', metadata: { generateName: 'web-zone-a-', namespace: 'default' }, spec: { replicas: 2 } };
const ref = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web-zone-a-0', namespace: 'default', uid: 'uid-web-zone-a-0' };

describe('owned-object effects', () => {
  it('create, patch and delete an owned object in the simulated world', () => {
    const effects: WorkloadEffect[] = [{ kind: 'create-owned', reason: 'subset-created', object: child }];
    const created = simulateWorkloadEffects({ pods: [], pvcs: [], revisions: [] }, effects, 0);
    expect(created.owned?.map((o) => o.metadata.name)).toEqual(['web-zone-a-0']);
    const patched = simulateWorkloadEffects(created, [{ kind: 'patch-owned', reason: 'subset-scaled', target: ref, operations: [{ op: 'replace', path: '/spec/replicas', value: 3 }] }], 0);
    expect(patched.owned?.[0]?.spec).toEqual({ replicas: 3 });
    expect(simulateWorkloadEffects(patched, [{ kind: 'delete-owned', reason: 'subset-removed', target: ref }], 0).owned).toEqual([]);
  });

  it('names the object an owned effect writes (the generateName of a new one)', () => {
    expect(effectObjectName({ kind: 'create-owned', reason: 'subset-created', object: child })).toBe('web-zone-a-');
    expect(effectObjectName({ kind: 'delete-owned', reason: 'subset-removed', target: ref })).toBe('web-zone-a-0');
  });
});
