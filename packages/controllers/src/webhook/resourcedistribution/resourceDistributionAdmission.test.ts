import { aDistributedSecret, aResourceDistribution } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { kruiseAdmissionRequest, type KruiseAdmissionRequestOptions } from '../testing/webhook.testkit.js';
import { resourceDistributionValidatingWebhook } from './resourceDistributionAdmission.js';
import { resourceDistributionConverter } from './resourceDistributionConverter.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const request = (object: unknown, options: KruiseAdmissionRequestOptions = {}): AdmissionRequest => kruiseAdmissionRequest('ResourceDistribution', 'resourcedistributions', object, options);
const validate = async (req: AdmissionRequest, gate = true) => resourceDistributionValidatingWebhook({ featureGates: { ResourceDistributionGate: gate } }).handle(req, context);
const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');

describe('ResourceDistribution validating webhook', () => {
  it('admits a Secret to team=a and denies a Deployment with code 422 and the path', async () => {
    expect(await validate(request(aResourceDistribution({ targets: { namespaceSelector: { matchLabels: { team: 'a' } } } })))).toEqual({ kind: 'allow' });
    const denied = await validate(request(aResourceDistribution({ resource: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } } })));
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(message(denied)).toBe('spec.resource: Invalid value: "apps/v1, Kind=Deployment": unknown or unsupported resource GroupKind, only support [/Secret /ConfigMap]');
  });

  it('refuses everything with code 403 while ResourceDistributionGate is off (OpenKruise’s default)', async () => {
    const denied = await validate(request(aResourceDistribution()), false);
    expect(denied).toMatchObject({ kind: 'deny', code: 403, message: 'feature-gate ResourceDistributionGate is not enabled' });
  });

  it('on UPDATE refuses a renamed resource and admits new data', async () => {
    const old = aResourceDistribution();
    const renamed = await validate(request(aResourceDistribution({ resource: aDistributedSecret({ name: 'other' }) }), { operation: 'UPDATE', oldObject: old }));
    expect(message(renamed)).toBe('spec.resource: Invalid value: "null": resource apiVersion, kind, and name are immutable');
    expect(await validate(request(aResourceDistribution({ resource: aDistributedSecret({ data: { password: 'bmV3' } }) }), { operation: 'UPDATE', oldObject: old }))).toEqual({ kind: 'allow' });
  });

  it('denies an object that does not parse with code 400 naming the field', async () => {
    const decision = await validate(request({ ...aResourceDistribution(), spec: { resource: {}, targets: { allNamespaces: 'yes' } } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(decision)).toContain('spec.targets.allNamespaces');
  });
});

describe('ResourceDistribution conversion', () => {
  it('converts v1beta1 to v1alpha1 and back, changing only the apiVersion', () => {
    const beta = aResourceDistribution({ targets: { allNamespaces: true } });
    const down = resourceDistributionConverter.convert(beta, 'apps.kruise.io/v1alpha1');
    expect(down).toEqual({ kind: 'converted', object: { ...beta, apiVersion: 'apps.kruise.io/v1alpha1' } });
    const up = down.kind === 'converted' ? resourceDistributionConverter.convert(down.object, 'apps.kruise.io/v1beta1') : down;
    expect(up).toEqual({ kind: 'converted', object: beta });
  });
});
