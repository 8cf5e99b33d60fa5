import { describe, expect, it } from 'vitest';
import { AUDIT_POLICY, parseAuditLog } from './auditLog.js';

const line = (overrides: Record<string, unknown>): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    stage: 'ResponseComplete',
    verb: 'patch',
    user: { username: 'manager-a', groups: ['system:masters'] },
    userAgent: 'kruise-ts-manager/dev',
    objectRef: { resource: 'pods', subresource: 'status', namespace: 'ns', name: 'web-x' },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: '2026-12-02T05:40:01.000250Z',
    ...overrides,
  });

describe('parseAuditLog', () => {
  it.each([
    ['a status patch', line({ requestURI: '/api/v1/namespaces/ns/pods/web-x/status' }), { verb: 'patch', user: 'manager-a', resource: 'pods/status', namespace: 'ns', name: 'web-x', code: 200, receivedAt: 1796190001000.25, dryRun: false }],
    ['a dry-run create (a clock probe)', line({ verb: 'create', requestURI: '/api/v1/namespaces/ns/events?dryRun=All', objectRef: { resource: 'events', namespace: 'ns' }, responseStatus: { code: 201 } }), { verb: 'create', resource: 'events', name: '', code: 201, dryRun: true }],
    ['dryRun=None is no dry run', line({ requestURI: '/api/v1/namespaces/ns/pods/web-x/status?dryRun=None&fieldManager=m' }), { dryRun: false }],
    ['a conflict on a cluster-scoped create without microseconds', line({ verb: 'create', objectRef: { resource: 'nodes', name: 'n1' }, responseStatus: { code: 409 }, requestReceivedTimestamp: '2026-12-02T05:40:01Z' }), { verb: 'create', resource: 'nodes', namespace: '', name: 'n1', code: 409, receivedAt: 1796190001000 }],
  ])('%s', (_name, text, expected) => {
    expect(parseAuditLog(text)).toEqual([expect.objectContaining(expected)]);
  });

  it('keeps completed requests only and skips a torn line', () => {
    const text = [line({ stage: 'RequestReceived' }), line({ objectRef: { resource: 'pods', name: 'a' } }), '{"stage":"ResponseComp', line({ stage: 'Panic', objectRef: { resource: 'pods', name: 'b' }, responseStatus: { code: 500 } }), ''].join('\n');
    expect(parseAuditLog(text).map((e) => [e.name, e.code])).toEqual([['a', 200], ['b', 500]]);
  });

  it('the policy logs writes only', () => {
    expect(AUDIT_POLICY).toContain('verbs: ["create", "update", "patch", "delete", "deletecollection"]');
    expect(AUDIT_POLICY.trimEnd().endsWith('- level: None')).toBe(true);
  });
});
