import { describe, expect, it } from 'vitest';
import { parseFeatureGates } from '../manager/featureGates.js';
import { parseManagerFlags } from '../manager/managerFlags.js';
import { resolveWebhookSettings } from './resolveWebhookSettings.js';
import { createWebhookRegistry } from './webhookRegistry.js';

function resolve(argv: string[]) {
  const parsed = parseManagerFlags(argv, {});
  if (parsed.kind !== 'ok') throw new Error(parsed.problems.join('; '));
  const gates = parseFeatureGates(parsed.flags['feature-gates']);
  if (gates.kind !== 'ok') throw new Error(gates.problems.join('; '));
  return resolveWebhookSettings(parsed.flags, gates.gates);
}

describe('resolveWebhookSettings', () => {
  it('serves on :9876 behind the Service with certificates in kruise-system/kruise-ts-webhook-certs by default', () => {
    expect(resolve([])).toEqual({
      kind: 'ok',
      settings: {
        listen: { host: '0.0.0.0', port: 9876 },
        clientConfig: { kind: 'service', namespace: 'kruise-system', name: 'kruise-ts-webhook-service', port: 443 },
        certificates: { kind: 'secret', namespace: 'kruise-system', name: 'kruise-ts-webhook-certs' },
        podFailurePolicy: 'Ignore',
        overrides: { failurePolicies: {}, excludedNamespaces: [] },
        namespace: 'kruise-system',
        serviceName: 'kruise-ts-webhook-service',
      },
    });
  });

  it.each([
    ['webhooks off', ['--no-enable-webhooks'], { kind: 'ok', settings: undefined }],
    ['by URL for tests', ['--webhook-url=https://127.0.0.1:9876/', '--webhook-host=127.0.0.1'], { kind: 'ok', settings: { clientConfig: { kind: 'url', baseUrl: 'https://127.0.0.1:9876' }, listen: { host: '127.0.0.1', port: 9876 } } }],
    ['external certificates', ['--feature-gates=EnableExternalCerts=true', '--webhook-cert-dir=/certs'], { kind: 'ok', settings: { certificates: { kind: 'directory', path: '/certs' } } }],
    ['a pod webhook that fails closed', ['--pod-webhook-failure-policy=Fail'], { kind: 'ok', settings: { podFailurePolicy: 'Fail' } }],
    [
      'the chart\'s per-webhook policies and excluded namespaces (a Helm range leaves a trailing comma)',
      ['--webhook-failure-policies=vcloneset.kb.io=Ignore, mpod.kb.io=Fail,', '--webhook-excluded-namespaces=team-a,,team-b,team-a'],
      { kind: 'ok', settings: { overrides: { failurePolicies: { 'vcloneset.kb.io': 'Ignore', 'mpod.kb.io': 'Fail' }, excludedNamespaces: ['team-a', 'team-b'] } } },
    ],
    ['the chart\'s webhookConfiguration.timeoutSeconds', ['--webhook-timeout-seconds=30'], { kind: 'ok', settings: { overrides: { timeoutSeconds: 30 } } }],
  ])('%s', (_story, argv, expected) => {
    expect(resolve(argv)).toMatchObject(expected);
  });

  it.each([
    [['--webhook-url=http://127.0.0.1:9876'], '--webhook-url: the apiserver calls webhooks over https only'],
    [['--webhook-url=nope'], '--webhook-url: must be a URL'],
    [['--webhook-port=70000'], '--webhook-port: must be a port 1..65535'],
    [['--pod-webhook-failure-policy=Maybe'], '--pod-webhook-failure-policy: must be Fail or Ignore'],
    [['--webhook-cert-dir=/certs'], 'external certificates need --feature-gates=EnableExternalCerts=true'],
    [['--feature-gates=EnableExternalCerts=true'], '--webhook-cert-dir: required with the EnableExternalCerts feature gate'],
    [['--webhook-secret-name=Bad_Name'], '--webhook-secret-name: must be a DNS label'],
    [['--webhook-failure-policies=vcloneset.kb.io'], '--webhook-failure-policies: "vcloneset.kb.io" must be <webhook name>=Fail|Ignore'],
    [['--webhook-failure-policies=vnothing.kb.io=Fail'], '--webhook-failure-policies: no webhook named "vnothing.kb.io" (known: mcloneset.kb.io, mpod.kb.io'],
    [['--webhook-failure-policies=vcloneset.kb.io=fail'], '--webhook-failure-policies: vcloneset.kb.io must be Fail or Ignore, got "fail"'],
    [['--webhook-excluded-namespaces=ok,Not_OK'], '--webhook-excluded-namespaces: "Not_OK" is not a namespace name'],
    [['--webhook-timeout-seconds=31'], '--webhook-timeout-seconds: must be a whole number of seconds 1..30 (0: each webhook\'s own), got 31'],
    [['--webhook-timeout-seconds=2.5'], '--webhook-timeout-seconds: must be a whole number of seconds 1..30'],
  ])('refuses %j', (argv, problem) => {
    const result = resolve(argv);
    expect(result.kind === 'invalid' && result.problems.join('\n')).toContain(problem);
  });
});

describe('createWebhookRegistry', () => {
  const handle = () => ({ kind: 'allow' }) as const;
  const base = { name: 'a.test', path: '/a', type: 'validating', rules: [], failurePolicy: 'Fail', timeoutSeconds: 10, handle } as const;
  it('refuses a taken path or name, /convert, a malformed path and a timeout outside 1..30', () => {
    const registry = createWebhookRegistry().admission(base);
    expect(() => registry.admission({ ...base, name: 'b.test' })).toThrow('path /a is already served by a.test');
    expect(() => registry.admission({ ...base, path: '/b' })).toThrow('name already registered');
    expect(() => registry.admission({ ...base, name: 'c', path: '/convert' })).toThrow('must be an absolute URL path other than /convert');
    expect(() => registry.admission({ ...base, name: 'd', path: 'no-slash' })).toThrow('must be an absolute URL path');
    expect(() => registry.admission({ ...base, name: 'e', path: '/e', timeoutSeconds: 31 })).toThrow('timeoutSeconds must be 1..30');
    expect(registry.webhookAt('/a')?.name).toBe('a.test');
  });
});
