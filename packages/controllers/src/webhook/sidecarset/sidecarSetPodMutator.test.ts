import { SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, SIDECARSET_INJECTED_LIST_ANNOTATION, withSidecarSetDefaults, withSidecarSetHashAnnotations, type Pod, type SidecarSet } from '@kruise-ts/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionRequest } from '../admissionTypes.js';
import { createPodMutatingWebhook } from '../pod/podMutatingWebhook.js';
import { applyJsonPatch } from '../testing/webhook.testkit.js';
import { createSidecarSetPodMutator } from './sidecarSetPodMutator.js';
import { staticSidecarSetSource } from './sidecarSetSource.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };
const NOW = Date.parse('2025-01-01T00:00:00Z');

const stored = (name: string, spec: Partial<SidecarSet['spec']>): SidecarSet =>
  withSidecarSetHashAnnotations(withSidecarSetDefaults({ metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } }));
const log = stored('log', { containers: [{ name: 'fluentd', image: 'fluentd:1', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }], volumes: [{ name: 'logs', emptyDir: {} }] });

// A pod as a CREATE request carries it: no namespace in the object, the namespace in the request.
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } };
const request = (object: unknown, namespace = 'apps'): AdmissionRequest => ({ uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, operation: 'CREATE', namespace, object });

function webhook(sidecarSets: SidecarSet[], namespaces: Record<string, Record<string, string>> = {}) {
  const mutator = createSidecarSetPodMutator({ source: staticSidecarSetSource({ sidecarSets, namespaces }), clock: { now: () => NOW }, random: () => 0 });
  return createPodMutatingWebhook({ managerNamespace: 'kruise-system', mutators: [mutator] });
}

describe('SidecarSet injection on pod CREATE', () => {
  it('injects the sidecar before the app with its volume and annotations, the app container untouched, no namespace added', async () => {
    const decision = await webhook([log]).handle(request(pod), context);
    const result = applyJsonPatch(pod, decision.kind === 'allow' ? (decision.patch ?? []) : []) as Pod;
    expect(result.spec.containers.map((c) => c.name)).toEqual(['fluentd', 'app']);
    expect(result.spec.containers[1]).toEqual(pod.spec.containers[0]);
    expect(result.spec.containers[0]).toMatchObject({ image: 'fluentd:1', volumeMounts: [{ name: 'logs', mountPath: '/logs' }], env: [{ name: 'IS_INJECTED', value: 'true' }] });
    expect(result.spec.volumes).toEqual([{ name: 'logs', emptyDir: {} }]);
    expect(result.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe('log');
    expect(result.metadata).not.toHaveProperty('namespace');
  });

  it('leaves alone pods it does not select, pods of control-plane namespaces, and pods while the SidecarSet is paused', async () => {
    expect(await webhook([log]).handle(request({ ...pod, metadata: { labels: { app: 'api' } } }), context)).toEqual({ kind: 'allow' });
    expect(await webhook([log], { infra: { 'control-plane': 'controller-manager' } }).handle(request(pod, 'infra'), context)).toEqual({ kind: 'allow' });
    const paused = { ...log, spec: { ...log.spec, injectionStrategy: { paused: true } } };
    expect(await webhook([paused]).handle(request(pod), context)).toEqual({ kind: 'allow' });
  });

  it('selects namespaces by the namespace labels of the request namespace', async () => {
    const prodOnly = { ...log, spec: { ...log.spec, namespaceSelector: { matchLabels: { env: 'prod' } } } };
    const handle = (namespace: string) => webhook([prodOnly], { prod: { env: 'prod' }, dev: { env: 'dev' } }).handle(request(pod, namespace), context);
    expect((await handle('prod')).kind === 'allow' && ((await handle('prod')) as { patch?: unknown[] }).patch?.length).toBeGreaterThan(0);
    expect(await handle('dev')).toEqual({ kind: 'allow' });
  });

  it('refuses a pod when the revision the SidecarSet pins does not exist, naming the SidecarSet', async () => {
    const pinned = { ...log, spec: { ...log.spec, injectionStrategy: { revision: { revisionName: 'log-gone' } } } };
    expect(await webhook([pinned]).handle(request(pod), context)).toMatchObject({ kind: 'deny', code: 400, message: 'sidecarset log: controllerrevisions "log-gone" not found' });
  });

  it('gives a pod a canary SidecarSet selects the canary sidecar instead of its base, and sizes a sidecar by its resourcesPolicy', async () => {
    const canary = stored('log-canary', { selector: { matchLabels: { app: 'web', track: 'canary' } }, containers: [{ name: 'fluentd', image: 'fluentd:2' }], updateStrategy: { type: 'NotUpdate' } });
    const marked = { ...canary, metadata: { ...canary.metadata, annotations: { ...canary.metadata?.annotations, [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: 'log' } } };
    const canaryPod = { ...pod, metadata: { ...pod.metadata, labels: { app: 'web', track: 'canary' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { limits: { cpu: '2' } } }] } };
    const decision = await webhook([log, marked]).handle(request(canaryPod), context);
    const result = applyJsonPatch(canaryPod, decision.kind === 'allow' ? (decision.patch ?? []) : []) as Pod;
    expect(result.spec.containers.map((c) => `${c.name}=${c.image ?? ''}`)).toEqual(['fluentd=fluentd:2', 'app=nginx:1.25']);
    expect(result.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe('log-canary');

    const sized = stored('sized', { containers: [{ name: 'agent', image: 'agent:1', resourcesPolicy: { targetContainersMode: 'max', targetContainersNameRegex: '^app$', resourcesExpr: { limits: { cpu: 'cpu*25%' } } } }] });
    const sizedDecision = await webhook([sized]).handle(request(canaryPod), context);
    const sizedPod = applyJsonPatch(canaryPod, sizedDecision.kind === 'allow' ? (sizedDecision.patch ?? []) : []) as Pod;
    expect(sizedPod.spec.containers.find((c) => c.name === 'agent')?.resources).toEqual({ limits: { cpu: '500m' } });
    const unmatched = { ...sized, spec: { ...sized.spec, containers: sized.spec.containers?.map((c) => ({ ...c, resourcesPolicy: { ...c.resourcesPolicy, targetContainersNameRegex: '^db$' } })) } };
    expect(await webhook([unmatched]).handle(request(canaryPod), context)).toMatchObject({ kind: 'deny', code: 400, message: 'sidecarset sized: container agent: no containers match the regex pattern "^db$"' });
  });
});
