import { SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, SIDECARSET_HASH_ANNOTATION, SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION, buildSidecarSetRevision, computeSidecarSetHash, type SidecarSet } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionDecision, AdmissionRequest } from '../admissionTypes.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { sidecarSetMutatingWebhook, sidecarSetValidatingWebhook } from './sidecarSetAdmission.js';
import { sidecarSetConverter } from './sidecarSetConverter.js';
import { staticSidecarSetSource } from './sidecarSetSource.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

// An AdmissionReview request about a SidecarSet (v1beta1 CREATE unless told).
const request = (object: unknown, options: { operation?: AdmissionRequest['operation']; oldObject?: unknown; version?: string } = {}): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'apps.kruise.io', version: options.version ?? 'v1beta1', kind: 'SidecarSet' },
  resource: { group: 'apps.kruise.io', version: options.version ?? 'v1beta1', resource: 'sidecarsets' },
  operation: options.operation ?? 'CREATE',
  object,
  oldObject: options.oldObject,
});

function sidecarSet(name: string, spec: Partial<SidecarSet['spec']> = {}): SidecarSet & { apiVersion: string; kind: string } {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, containers: [{ name: 'fluentd', image: 'fluentd:1' }], ...spec } };
}

const message = (d: AdmissionDecision): string => (d.kind === 'deny' ? d.message : '');
const patched = (object: unknown, d: AdmissionDecision): Record<string, unknown> => applyJsonPatch(object, d.kind === 'allow' ? (d.patch ?? []) : []) as Record<string, unknown>;

describe('SidecarSet mutating webhook', () => {
  const mutate = (req: AdmissionRequest) => sidecarSetMutatingWebhook().handle(req, context);

  it('defaults a v1beta1 SidecarSet and sets both hash annotations', async () => {
    const object = sidecarSet('log');
    const result = patched(object, await mutate(request(object))) as SidecarSet;
    expect(result.spec.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 1, partition: 0 });
    expect(result.spec.containers?.[0]).toMatchObject({ name: 'fluentd', podInjectPolicy: 'BeforeAppContainer', upgradeStrategy: { upgradeType: 'ColdUpgrade' }, shareVolumePolicy: { type: 'disabled' }, imagePullPolicy: 'IfNotPresent' });
    expect(result.metadata?.annotations?.[SIDECARSET_HASH_ANNOTATION]).toBe(computeSidecarSetHash(result));
    expect(result.metadata?.annotations?.[SIDECARSET_HASH_WITHOUT_IMAGE_ANNOTATION]).toBeDefined();
  });

  it('answers a v1alpha1 SidecarSet in v1alpha1 (spec.namespace stays, no namespaceSelector appears)', async () => {
    const object = { ...sidecarSet('log'), apiVersion: 'apps.kruise.io/v1alpha1', spec: { ...sidecarSet('log').spec, namespace: 'apps' } };
    const result = patched(object, await mutate(request(object, { version: 'v1alpha1' })));
    expect(result.spec).toMatchObject({ namespace: 'apps', revisionHistoryLimit: 10 });
    expect(result.spec).not.toHaveProperty('namespaceSelector');
  });

  it('refuses an object it cannot read, naming the field', async () => {
    const decision = await mutate(request({ ...sidecarSet('log'), spec: { containers: 'fluentd' } }));
    expect(decision).toMatchObject({ kind: 'deny', code: 400 });
    expect(message(decision)).toContain('spec.containers');
  });
});

describe('SidecarSet validating webhook', () => {
  const validate = (req: AdmissionRequest, others: SidecarSet[] = [], revisions = [] as ReturnType<typeof buildSidecarSetRevision>[]) =>
    sidecarSetValidatingWebhook({ source: staticSidecarSetSource({ sidecarSets: others, revisions }) }).handle(req, context);

  it.each([
    ['no selector', { selector: undefined }, 'spec.selector: Required value: no selector defined for SidecarSet'],
    ['a volume mount without a SidecarSet volume', { containers: [{ name: 'fluentd', image: 'fluentd:1', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }] }, 'spec.containers[0].volumeMounts[0].name: Not found'],
    ['a negative maxUnavailable', { updateStrategy: { maxUnavailable: -1 } }, 'spec.updateStrategy.maxUnavailable: Invalid value: -1'],
  ])('refuses %s with code 422, naming the field', async (_story, spec, text) => {
    const decision = await validate(request(sidecarSet('log', spec)));
    expect(decision).toMatchObject({ kind: 'deny', code: 422, reason: 'Invalid' });
    expect(message(decision)).toContain(text);
  });

  it('refuses a SidecarSet injecting a container another one injects into the same pods, naming it', async () => {
    const decision = await validate(request(sidecarSet('log-b')), [sidecarSet('log-a')]);
    expect(message(decision)).toBe('spec.containers[0].name: container fluentd already exist in log-a');
    // Disjoint selectors do not conflict; neither does the SidecarSet with itself.
    expect(await validate(request(sidecarSet('log-b', { selector: { matchLabels: { app: 'api' } } })), [sidecarSet('log-a')])).toEqual({ kind: 'allow' });
    expect(await validate(request(sidecarSet('log-a')), [sidecarSet('log-a')])).toEqual({ kind: 'allow' });
  });

  it('on update refuses a new container and a changed upgradeType', async () => {
    const old = sidecarSet('log');
    const added = sidecarSet('log', { containers: [{ name: 'fluentd', image: 'fluentd:1' }, { name: 'exporter', image: 'exporter:1' }] });
    expect(message(await validate(request(added, { operation: 'UPDATE', oldObject: old }), [old]))).toContain('spec.containers[1].name: Invalid value: "exporter": container exporter is not found');
    const image = sidecarSet('log', { containers: [{ name: 'fluentd', image: 'fluentd:2' }] });
    expect(await validate(request(image, { operation: 'UPDATE', oldObject: old }), [old])).toEqual({ kind: 'allow' });
  });

  it('refuses a pinned injection revision that does not exist, accepts one that does', async () => {
    const pinned = sidecarSet('log', { injectionStrategy: { revision: { customVersion: 'v1' } } });
    expect(message(await validate(request(pinned)))).toContain('spec.injectionStrategy.revision: Invalid value: Cannot find specific ControllerRevision');
    const revision = buildSidecarSetRevision({ sidecarSet: sidecarSet('log', { customVersion: 'v1' }), namespace: 'kruise-system', revision: 1, collisionCount: 0 });
    expect(await validate(request(pinned), [], [revision])).toEqual({ kind: 'allow' });
  });
});

describe('canary SidecarSets in the validating webhook', () => {
  const validate = (req: AdmissionRequest, others: SidecarSet[]) => sidecarSetValidatingWebhook({ source: staticSidecarSetSource({ sidecarSets: others, revisions: [] }) }).handle(req, context);
  const canary = (base: string, spec: Partial<SidecarSet['spec']> = { updateStrategy: { type: 'NotUpdate' } }) => {
    const set = sidecarSet('log-canary', spec);
    return { ...set, metadata: { name: 'log-canary', annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: base } } };
  };

  it('admits a canary injecting the same container as its base (no conflict), refuses one without a base', async () => {
    expect(await validate(request(canary('log-a')), [sidecarSet('log-a')])).toEqual({ kind: 'allow' });
    expect(message(await validate(request(canary('log-x')), [sidecarSet('log-a')]))).toContain('metadata: Invalid value');
    expect(message(await validate(request(canary('log-x')), [sidecarSet('log-a')]))).toContain('fetch base sidecarSet[log-x] failed: sidecarsets.apps.kruise.io "log-x" not found');
  });

  it('refuses a canary with the default RollingUpdate and a changed base', async () => {
    expect(message(await validate(request(canary('log-a', {})), [sidecarSet('log-a')]))).toContain('RollingUpdate is not supported for canary sidecarSet');
    const changed = request(canary('log-b'), { operation: 'UPDATE', oldObject: canary('log-a') });
    expect(message(await validate(changed, [sidecarSet('log-a'), sidecarSet('log-b', { selector: { matchLabels: { app: 'api' } } })]))).toContain('annotations[apps.kruise.io/sidecarset-base] is immutable');
  });
});

describe('sidecarSetConverter', () => {
  it('converts v1alpha1 → v1beta1 → v1alpha1 without losing a field', () => {
    const alpha = { ...sidecarSet('log'), apiVersion: 'apps.kruise.io/v1alpha1', metadata: { name: 'log', labels: { 'apps.kruise.io/sidecarset-custom-version': 'v2' } }, spec: { ...sidecarSet('log').spec, namespace: 'apps' } };
    const up = sidecarSetConverter.convert(alpha, 'apps.kruise.io/v1beta1');
    expect(up).toMatchObject({ kind: 'converted', object: { apiVersion: 'apps.kruise.io/v1beta1', spec: { customVersion: 'v2', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } } } });
    const down = up.kind === 'converted' ? sidecarSetConverter.convert(up.object, 'apps.kruise.io/v1alpha1') : up;
    expect(down).toEqual({ kind: 'converted', object: alpha });
  });

  it('fails an unknown version or an unreadable object with a message', () => {
    expect(sidecarSetConverter.convert(sidecarSet('log'), 'apps.kruise.io/v2')).toMatchObject({ kind: 'failed', message: 'cannot convert a SidecarSet from apps.kruise.io/v1beta1 to apps.kruise.io/v2' });
    expect(sidecarSetConverter.convert({ ...sidecarSet('log'), spec: { containers: 3 } }, 'apps.kruise.io/v1alpha1')).toMatchObject({ kind: 'failed', message: expect.stringContaining('spec.containers') as unknown });
  });
});
