import { aPodProbeMarker } from '@kruise-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision } from '../admissionTypes.js';
import { kruiseAdmissionRequest } from '../testing/webhook.testkit.js';
import { podProbeMarkerValidatingWebhook } from './podProbeMarkerAdmission.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const request = (object: unknown, options: { operation?: 'CREATE' | 'UPDATE'; oldObject?: unknown } = {}) => kruiseAdmissionRequest('PodProbeMarker', 'podprobemarkers', object, { version: 'v1alpha1', ...options });
const outcome = async (d: AdmissionDecision | Promise<AdmissionDecision>): Promise<[string, number | undefined, string]> => {
  const decision = await d;
  return decision.kind === 'deny' ? ['deny', decision.code, decision.message] : [decision.kind, undefined, ''];
};

describe('podProbeMarkerValidatingWebhook', () => {
  it('allows a valid marker on CREATE', async () => {
    expect((await outcome(podProbeMarkerValidatingWebhook().handle(request(aPodProbeMarker()), context)))[0]).toBe('allow');
  });

  it('refuses with 400 naming the field: a native condition as probe name', async () => {
    const bad = aPodProbeMarker({ probes: [{ name: 'Ready', containerName: 'main', probe: { exec: { command: ['true'] } }, podConditionType: 'x' }] });
    const [kind, code, message] = await outcome(podProbeMarkerValidatingWebhook().handle(request(bad), context));
    expect([kind, code]).toEqual(['deny', 400]);
    expect(message).toContain('spec.probes[0].name');
  });

  it('refuses a changed selector on UPDATE, and every marker while PodProbeMarkerGate or KruiseDaemon is off (403)', async () => {
    const [, code, message] = await outcome(podProbeMarkerValidatingWebhook().handle(request(aPodProbeMarker({ matchLabels: { app: 'db' } }), { operation: 'UPDATE', oldObject: aPodProbeMarker() }), context));
    expect([code, message]).toEqual([400, expect.stringContaining('selector must be immutable')]);
    expect(await outcome(podProbeMarkerValidatingWebhook({ podProbeMarkerGate: false }).handle(request(aPodProbeMarker()), context))).toEqual(['deny', 403, 'feature-gate PodProbeMarkerGate is not enabled']);
    expect(await outcome(podProbeMarkerValidatingWebhook({ kruiseDaemon: false }).handle(request(aPodProbeMarker()), context))).toEqual(['deny', 403, 'feature-gate KruiseDaemon is not enabled']);
  });
});
