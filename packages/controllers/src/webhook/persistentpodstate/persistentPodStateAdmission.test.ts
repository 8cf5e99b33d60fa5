import { aPersistentPodState } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision } from '../admissionTypes.js';
import { kruiseAdmissionRequest } from '../testing/webhook.testkit.js';
import { persistentPodStateConverter, persistentPodStateValidatingWebhook } from './persistentPodStateAdmission.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');

describe('PersistentPodState validating webhook', () => {
  const webhook = persistentPodStateValidatingWebhook({ source: () => Promise.resolve([aPersistentPodState({ name: 'first' })]) });

  it('admits a state for a set no other state follows', async () => {
    expect(await webhook.handle(kruiseAdmissionRequest('PersistentPodState', 'persistentpodstates', aPersistentPodState({ name: 'db', target: 'db' })), context)).toEqual({ kind: 'allow' });
  });

  it('denies a second state for the same set, and one without topology, with code 422 and the paths', async () => {
    const second = await webhook.handle(kruiseAdmissionRequest('PersistentPodState', 'persistentpodstates', aPersistentPodState({ name: 'second' })), context);
    expect(second).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(second)).toBe('spec.targetReference: Invalid value: targetReference is in conflict with other PersistentPodState first');
    const bare = await webhook.handle(kruiseAdmissionRequest('PersistentPodState', 'persistentpodstates', aPersistentPodState({ name: 'first', required: [] })), context);
    expect(message(bare)).toBe('spec: Invalid value: TopologyConstraint and TopologyPreference cannot be empty at the same time');
  });

  it('denies a changed targetRef on UPDATE', async () => {
    const decision = await webhook.handle(kruiseAdmissionRequest('PersistentPodState', 'persistentpodstates', aPersistentPodState({ name: 'first', target: 'other' }), { operation: 'UPDATE', oldObject: aPersistentPodState({ name: 'first' }) }), context);
    expect(message(decision)).toBe('spec.targetRef: Required value: targetRef cannot be modified');
  });
});

describe('PersistentPodState conversion', () => {
  it('changes only the apiVersion', () => {
    const beta = aPersistentPodState();
    expect(persistentPodStateConverter.convert(beta, 'apps.kruise.io/v1alpha1')).toEqual({ kind: 'converted', object: { ...beta, apiVersion: 'apps.kruise.io/v1alpha1' } });
  });
});
