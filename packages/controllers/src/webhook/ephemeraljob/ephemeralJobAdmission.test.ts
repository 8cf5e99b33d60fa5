import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { kruiseAdmissionRequest } from '../testing/webhook.testkit.js';
import { ephemeralJobValidatingWebhook } from './ephemeralJobAdmission.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const job = (container: Record<string, unknown>) => ({
  apiVersion: 'apps.kruise.io/v1alpha1',
  kind: 'EphemeralJob',
  metadata: { name: 'debug', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1', ...container }] } },
});
const validate = async (object: unknown, operation: 'CREATE' | 'UPDATE' | 'DELETE' = 'CREATE') =>
  ephemeralJobValidatingWebhook().handle(kruiseAdmissionRequest('EphemeralJob', 'ephemeraljobs', object, { operation, version: 'v1alpha1' }), context);

describe('EphemeralJob validating webhook', () => {
  it('admits a valid job and DELETE; denies a forbidden field with 422 and its path; an unreadable object with 400', async () => {
    expect(await validate(job({}))).toMatchObject({ kind: 'allow' });
    expect(await validate(undefined, 'DELETE')).toMatchObject({ kind: 'allow' });
    const denied = await validate(job({ ports: [{ containerPort: 80 }] }), 'UPDATE');
    expect(denied).toMatchObject({ kind: 'deny', code: 422 });
    expect(denied.kind === 'deny' ? denied.message : '').toContain('spec.template.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container');
    expect(await validate({ ...job({}), spec: { selector: {} } })).toMatchObject({ kind: 'deny', code: 400 });
  });
});
