import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/pod.js';
import type { SidecarSet } from '../api/sidecarSet.js';
import { matchPodToSidecarSet, podInjectionSkipReason } from './matchSidecarSet.js';
import { selectSidecarSetPods } from './selectSidecarSetPods.js';
import { sidecarSet, webPod } from './sidecarset.testkit.js';

const pod = webPod('web-0', [{ name: 'app', image: 'app:1' }]);
const inNamespace = (p: Pod, namespace: string): Pod => ({ ...p, metadata: { ...p.metadata, namespace } });

describe('matchPodToSidecarSet', () => {
  it.each<[string, SidecarSet, Pod, Record<string, string> | undefined, string]>([
    ['selector matches', sidecarSet('s'), pod, undefined, 'matched'],
    ['selector does not match', sidecarSet('s', { selector: { matchLabels: { app: 'db' } } }), pod, undefined, 'selector-not-matched'],
    ['an empty selector matches nothing', sidecarSet('s', { selector: {} }), pod, undefined, 'no-selector'],
    ['namespace by name (v1alpha1 spec.namespace) without labels at hand', sidecarSet('s', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }), pod, undefined, 'matched'],
    ['an empty namespace counts as default', sidecarSet('s', { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }), inNamespace(pod, ''), undefined, 'matched'],
    ['namespace labels select', sidecarSet('s', { namespaceSelector: { matchLabels: { env: 'prod' } } }), pod, { env: 'prod' }, 'matched'],
    ['namespace labels do not select', sidecarSet('s', { namespaceSelector: { matchLabels: { env: 'prod' } } }), pod, { env: 'dev' }, 'namespace-not-selected'],
  ])('%s', (_story, ss, p, labels, expected) => {
    const match = matchPodToSidecarSet(p, ss, labels);
    expect(match.kind === 'matched' ? 'matched' : match.reason).toBe(expected);
  });

  it('skips terminating pods and the manager’s namespace', () => {
    expect(podInjectionSkipReason({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } }, {})).toBe('pod-not-active');
    expect(podInjectionSkipReason(pod, { 'control-plane': 'controller-manager' })).toBe('namespace-excluded');
    expect(podInjectionSkipReason(pod, { 'control-plane': 'other' })).toBeUndefined();
  });
});

describe('selectSidecarSetPods', () => {
  it('keeps active pods that name the SidecarSet and hold its containers', () => {
    const ss = sidecarSet('log', { containers: [{ name: 'fluentd', image: 'f:1' }] });
    const injected = webPod('a', [{ name: 'app' }, { name: 'fluentd', image: 'f:1' }], { annotations: { 'kruise.io/sidecarset-injected-list': 'other,log' } });
    const notListed = webPod('b', [{ name: 'app' }, { name: 'fluentd', image: 'f:1' }]);
    const removed = webPod('c', [{ name: 'app' }], { annotations: { 'kruise.io/sidecarset-injected-list': 'log' } });
    const elsewhere = inNamespace(injected, 'dev');
    const scoped = { ...ss, spec: { ...ss.spec, namespaceSelector: { matchLabels: { env: 'prod' } } } };
    expect(selectSidecarSetPods(ss, [injected, notListed, removed]).map((p) => p.metadata.name)).toEqual(['a']);
    expect(selectSidecarSetPods(scoped, [injected, elsewhere], { default: { env: 'prod' }, dev: { env: 'dev' } })).toEqual([injected]);
  });
});
