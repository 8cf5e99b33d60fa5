import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { SIDECARSET_BASE_ANNOTATION, SIDECARSET_CANARY_ANNOTATION, type SidecarSet } from '../api/sidecarSet.js';
import { formatTime } from '../shared/podState.js';
import { pod1, podWithStaragent, sidecarSet1, sidecarSet3, sidecarSetWithStaragent, sidecarSetWithTransferEnv } from './fixtures.testkit.js';
import { podHotUpgradeWorkInfo } from './hotUpgrade.js';
import { injectSidecars, type InjectSidecarsOptions, type SidecarInjection } from './injectSidecars.js';
import { podSidecarSetHash, podSidecarSetHashWithoutImage } from './podSidecarSetHashes.js';
import { NOW } from './sidecarset.testkit.js';

const options: InjectSidecarsOptions = { now: NOW };
const names = (containers: readonly Container[] | undefined) => (containers ?? []).map((c) => c.name);

function injected(result: SidecarInjection): Pod {
  if (result.kind !== 'injected') throw new Error(`expected an injection, got ${JSON.stringify(result)}`);
  return result.pod;
}

const inject = (pod: Pod, sets: readonly SidecarSet[], opts: Partial<InjectSidecarsOptions> = {}) => injectSidecars(pod, sets, {}, { ...options, ...opts });

describe('injectSidecars (OpenKruise sidecarset_test.go)', () => {
  it('TestPodHasNoMatchedSidecarSet and TestInjectionStrategyPaused: nothing injected', () => {
    const other = { ...pod1, metadata: { ...pod1.metadata, labels: { app: 'doesnt-match' } } };
    expect(inject(other, [sidecarSet1])).toEqual({ kind: 'skipped', reason: 'no-matching-sidecarset', unmatched: [{ sidecarSet: 'sidecarset1', reason: 'selector-not-matched' }] });
    const paused = { ...sidecarSet1, spec: { ...sidecarSet1.spec, injectionStrategy: { paused: true } } };
    expect(inject(pod1, [paused])).toMatchObject({ kind: 'skipped', unmatched: [{ reason: 'injection-paused' }] });
  });

  it('TestSidecarSetPodInjectPolicy: before/after the app, init containers after, sorted, IS_INJECTED', () => {
    const pod = injected(inject(pod1, [sidecarSet1]));
    expect(names(pod.spec.containers)).toEqual(['dns-f', 'nginx', 'log-agent']);
    expect(names(pod.spec.initContainers)).toEqual(['init-0', 'init-1', 'init-2']);
    expect(pod.spec.initContainers?.slice(1).map((c) => c.env)).toEqual([[{ name: 'IS_INJECTED', value: 'true' }], [{ name: 'IS_INJECTED', value: 'true' }]]);
    expect(pod.spec.containers[0]).not.toHaveProperty('podInjectPolicy');
  });

  it('TestMergeSidecarSecrets: duplicates dropped, the pod first', () => {
    const secrets = (ss: string[], own: string[] | undefined) => {
      const set = { ...sidecarSet1, spec: { ...sidecarSet1.spec, imagePullSecrets: ss.map((name) => ({ name })) } };
      const pod = { ...pod1, spec: { ...pod1.spec, ...(own && { imagePullSecrets: own.map((name) => ({ name })) }) } };
      return injected(inject(pod, [set])).spec.imagePullSecrets?.map((s) => s.name);
    };
    expect(secrets(['s0', 's1', 's2'], ['s2', 's3', 's3'])).toEqual(['s2', 's3', 's0', 's1']);
    expect(secrets(['s0', 's1', 's2'], ['s3', 's4', 's5'])).toHaveLength(6);
    expect(secrets(['s0', 's1', 's2'], undefined)).toHaveLength(3);
    expect(secrets([], ['s3', 's4', 's5'])).toHaveLength(3);
  });

  it('TestSidecarVolumesAppend: only the mounted SidecarSet volume is added, after the pod volumes', () => {
    expect(injected(inject(pod1, [sidecarSetWithTransferEnv])).spec.volumes?.map((v) => v.name)).toEqual(['volume-a', 'volume-b', 'volume-1']);
  });

  it('TestSidecarSetTransferEnv: IS_INJECTED then the transferred env', () => {
    const set = { ...sidecarSetWithTransferEnv, spec: { ...sidecarSetWithTransferEnv.spec, initContainers: sidecarSetWithTransferEnv.spec.initContainers?.map((c) => ({ ...c, podInjectPolicy: undefined })) } };
    const pod = injected(inject(pod1, [set]));
    const expected = [{ name: 'IS_INJECTED', value: 'true' }, { name: 'hello2', value: 'world2' }];
    expect(pod.spec.initContainers?.[1]?.env).toEqual(expected);
    expect(pod.spec.containers[0]?.env).toEqual(expected);
  });

  it('TestSidecarSetHashInject and TestSidecarSetNameInject: hash records and the sorted injected list', () => {
    const unmatched = { ...sidecarSet1, spec: { ...sidecarSet1.spec, selector: { matchLabels: { app: 'doesnt-match' } } } };
    const pod = injected(inject(pod1, [unmatched, sidecarSetWithTransferEnv, sidecarSet3]));
    expect(podSidecarSetHash(pod.metadata, 'sidecarset2')).toBe('c4k2dbb95d');
    expect(podSidecarSetHash(pod.metadata, 'sidecarset3')).toBe('gm967682cm');
    expect(injected(inject(pod1, [sidecarSet3, sidecarSet1])).metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('sidecarset1,sidecarset3');
  });

  it('TestPodVolumeMountsAppend: shared mounts (and subPathExpr envs) in init containers and containers', () => {
    const pod = { ...podWithStaragent, spec: { ...podWithStaragent.spec, containers: podWithStaragent.spec.containers.map((c) => ({
      ...c,
      volumeMounts: [...(c.volumeMounts ?? []), { name: 'volume-expansion', mountPath: '/e/expansion', subPathExpr: 'foo/$(POD_NAME)/$(OD_NAME)/conf' }],
      env: [...(c.env ?? []), { name: 'POD_NAME', value: 'bar' }, { name: 'OD_NAME', value: 'od_name' }],
    })) } };
    const out = injected(inject(pod, [sidecarSetWithStaragent]));
    const mounts = (c: Container | undefined) => (c?.volumeMounts ?? []).map((m) => m.mountPath).sort();
    expect(mounts(out.spec.initContainers?.[0])).toEqual(['/a/b', '/e/expansion', '/e/f', '/g/h/i', '/j/k/l', '/staragent']);
    expect(mounts(out.spec.containers[1])).toEqual(['/a/b', '/a/b/c', '/d/e/f', '/e/expansion', '/e/f', '/staragent']);
    expect(names(out.spec.containers[1]?.env as Container[])).toEqual(['IS_INJECTED', 'POD_NAME', 'OD_NAME']);
  });

  it('TestInjectInitContainer: native sidecars in the sidecar list, hot-upgrade init twins, annotations', () => {
    const base: SidecarSet = { metadata: { name: '', annotations: {} }, spec: { selector: { matchLabels: { app: 'suxing-test' } }, initContainers: [{ name: 'init-1', image: 'dns-e-image:1.0', restartPolicy: 'Always', volumeMounts: [{ name: 'volume-1', mountPath: '/v' }] }], volumes: [{ name: 'volume-1' }] } };
    const one: SidecarSet = { ...base, metadata: { name: 'sidecarset-1', annotations: { 'kruise.io/sidecarset-hash': 'sidecarset-1-hash', 'kruise.io/sidecarset-hash-without-image': 'sidecarset-1-without-image-hash' } } };
    const hotInit = { name: 'hot-init', image: 'dns-e-image:1.0', restartPolicy: 'Always', upgradeStrategy: { upgradeType: 'HotUpgrade' as const, hotUpgradeEmptyImage: 'empty:v1' } };
    const two: SidecarSet = { metadata: { name: 'sidecarset-2', annotations: { 'kruise.io/sidecarset-hash': 'sidecarset-2-hash', 'kruise.io/sidecarset-hash-without-image': 'sidecarset-2-without-image-hash' } }, spec: { ...base.spec, initContainers: [hotInit] } };
    const pod = injected(inject(pod1, [one, two]));
    const at = formatTime(NOW);
    expect(pod.metadata.annotations).toEqual({
      'kruise.io/sidecarset-hash': `{"sidecarset-1":{"updateTimestamp":"${at}","hash":"sidecarset-1-hash","sidecarSetName":"sidecarset-1","sidecarList":["init-1"]},"sidecarset-2":{"updateTimestamp":"${at}","hash":"sidecarset-2-hash","sidecarSetName":"sidecarset-2","sidecarList":["hot-init"]}}`,
      'kruise.io/sidecarset-hash-without-image': `{"sidecarset-1":{"updateTimestamp":"${at}","hash":"sidecarset-1-without-image-hash","sidecarSetName":"sidecarset-1","sidecarList":["init-1"]},"sidecarset-2":{"updateTimestamp":"${at}","hash":"sidecarset-2-without-image-hash","sidecarSetName":"sidecarset-2","sidecarList":["hot-init"]}}`,
      'kruise.io/sidecarset-injected-list': 'sidecarset-1,sidecarset-2',
      'kruise.io/sidecarset-working-hotupgrade-container': '{"hot-init":"hot-init-1"}',
      'version.sidecarset.kruise.io/hot-init-1': '1',
      'versionalt.sidecarset.kruise.io/hot-init-1': '0',
      'version.sidecarset.kruise.io/hot-init-2': '0',
      'versionalt.sidecarset.kruise.io/hot-init-2': '1',
    });
    expect(names(pod.spec.initContainers)).toEqual(['init-0', 'hot-init-1', 'hot-init-2', 'init-1']);
    expect(pod.spec.volumes?.map((v) => v.name)).toEqual(['volume-a', 'volume-b', 'volume-1']);
  });

  it('TestInjectHotUpgradeSidecar: working twin with the image, idle twin with the empty image', () => {
    const hot = { ...sidecarSet1, metadata: { ...sidecarSet1.metadata, annotations: { 'kruise.io/sidecarset-hash': 'c4k2dbb95d', 'kruise.io/sidecarset-hash-without-image': 'without-c4k2dbb95d' } } };
    const [dns, log] = sidecarSet1.spec.containers ?? [];
    const set = { ...hot, spec: { ...hot.spec, containers: [{ ...dns, name: 'dns-f', upgradeStrategy: { upgradeType: 'HotUpgrade' as const, hotUpgradeEmptyImage: 'busy:hotupgrade-empty' } }, ...(log ? [log] : [])] } };
    const pod = injected(inject(pod1, [set]));
    expect(pod.spec.containers.map((c) => [c.name, c.image])).toEqual([['dns-f-1', 'dns-f-image:1.0'], ['dns-f-2', 'busy:hotupgrade-empty'], ['nginx', 'nginx:1.15.1'], ['log-agent', 'log-agent-image:1.0']]);
    expect(podSidecarSetHashWithoutImage(pod.metadata, 'sidecarset1')).toBe('without-c4k2dbb95d');
    expect(podHotUpgradeWorkInfo(pod)).toEqual({ 'dns-f': 'dns-f-1' });
    expect(pod.spec.containers[0]?.env?.slice(-2)).toEqual([
      { name: 'SIDECARSET_VERSION', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['version.sidecarset.kruise.io/dns-f-1']" } } },
      { name: 'SIDECARSET_VERSION_ALT', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['versionalt.sidecarset.kruise.io/dns-f-1']" } } },
    ]);
  });

  it('EnableSortSidecarContainerByName sorts the injected containers by name', () => {
    const set = { ...sidecarSet1, spec: { ...sidecarSet1.spec, containers: (sidecarSet1.spec.containers ?? []).map((c) => ({ ...c, podInjectPolicy: 'AfterAppContainer' as const })).reverse() } };
    expect(names(injected(inject(pod1, [set])).spec.containers)).toEqual(['nginx', 'log-agent', 'dns-f']);
    expect(names(injected(inject(pod1, [set], { featureGates: { EnableSortSidecarContainerByName: true } })).spec.containers)).toEqual(['nginx', 'dns-f', 'log-agent']);
  });
});

describe('injectSidecars: kruise-ts rules', () => {
  it('leaves pods of excluded namespaces, finished pods and updates alone', () => {
    expect(injectSidecars(pod1, [sidecarSet1], { 'control-plane': 'controller-manager' }, options)).toMatchObject({ kind: 'skipped', reason: 'namespace-excluded' });
    expect(inject({ ...pod1, status: { phase: 'Succeeded' } }, [sidecarSet1])).toMatchObject({ reason: 'pod-not-active' });
    expect(inject(pod1, [sidecarSet1], { oldPod: pod1 })).toMatchObject({ reason: 'pod-update' });
  });

  it('shares the service-account token mount as OpenKruise does, unless told not to', () => {
    const token = { name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
    const pod = { ...pod1, spec: { ...pod1.spec, containers: pod1.spec.containers.map((c) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), token] })) } };
    const shared = (share: boolean) => injected(inject(pod, [sidecarSet3], { shareServiceAccountToken: share })).spec.containers.find((c) => c.name === 'dns-f')?.volumeMounts?.map((m) => m.mountPath);
    expect(shared(false)).toEqual(['/a/b/c', '/d/e/f', '/a/b', '/e/f']);
    expect(shared(true)).toEqual(['/a/b/c', '/d/e/f', '/a/b', '/e/f', token.mountPath]);
    const byDefault = injected(inject(pod, [sidecarSet3], {})).spec.containers.find((c) => c.name === 'dns-f')?.volumeMounts?.map((m) => m.mountPath);
    expect(byDefault).toEqual(shared(true));
  });

  it('keeps the pod volume when a SidecarSet volume has the same name', () => {
    const set = { ...sidecarSet3, spec: { ...sidecarSet3.spec, volumes: [{ name: 'volume-1', emptyDir: {} }, { name: 'volume-2' }] } };
    const pod = { ...pod1, spec: { ...pod1.spec, volumes: [{ name: 'volume-1', hostPath: { path: '/data' } }] } };
    expect(injected(inject(pod, [set])).spec.volumes).toEqual([{ name: 'volume-1', hostPath: { path: '/data' } }, { name: 'volume-2' }]);
  });

  it('refuses the pod when a pinned revision is missing or the hash annotation is unreadable', () => {
    const pinned = { ...sidecarSet1, spec: { ...sidecarSet1.spec, injectionStrategy: { revision: { revisionName: 'sidecarset1-gone' } } } };
    expect(inject(pod1, [pinned])).toMatchObject({ kind: 'rejected', reason: 'revision-not-found', sidecarSet: 'sidecarset1' });
    const broken = { ...pod1, metadata: { ...pod1.metadata, annotations: { 'kruise.io/sidecarset-hash': '[' } } };
    expect(inject(broken, [sidecarSet1])).toMatchObject({ kind: 'rejected', reason: 'invalid-hash-annotation' });
  });

  it('patches metadata even when there is nothing to inject', () => {
    const onlyMetadata: SidecarSet = { metadata: { name: 'meta' }, spec: { selector: { matchLabels: { app: 'suxing-test' } }, patchPodMetadata: [{ annotations: { team: 'a' } }] } };
    expect(inject(pod1, [onlyMetadata])).toMatchObject({ kind: 'metadata-patched', pod: { metadata: { annotations: { team: 'a' } } } });
  });
});

describe('canary SidecarSets (apps.kruise.io/sidecarset-canary / -base)', () => {
  const base: SidecarSet = { metadata: { name: 'log' }, spec: { selector: { matchLabels: { app: 'suxing-test' } }, containers: [{ name: 'log-agent', image: 'log-agent:1', podInjectPolicy: 'AfterAppContainer' }] } };
  const canary: SidecarSet = {
    metadata: { name: 'log-canary', annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'true', [SIDECARSET_BASE_ANNOTATION]: 'log' } },
    spec: { selector: { matchLabels: { app: 'suxing-test', canary: 'true' } }, containers: [{ name: 'log-agent', image: 'log-agent:2', podInjectPolicy: 'AfterAppContainer' }], updateStrategy: { type: 'NotUpdate' } },
  };
  const canaryPod: Pod = { ...pod1, metadata: { ...pod1.metadata, labels: { ...pod1.metadata.labels, canary: 'true' } } };
  const agent = (pod: Pod) => pod.spec.containers.find((c) => c.name === 'log-agent')?.image;

  it('a pod the canary selects gets the canary containers instead of the base ones', () => {
    const result = inject(canaryPod, [base, canary]);
    expect(result).toMatchObject({ kind: 'injected', sidecarSets: ['log-canary'] });
    const pod = injected(result);
    expect(agent(pod)).toBe('log-agent:2');
    expect(pod.spec.containers.filter((c) => c.name === 'log-agent')).toHaveLength(1);
    expect(pod.metadata.annotations?.['kruise.io/sidecarset-injected-list']).toBe('log-canary');
  });

  it('a pod the canary does not select gets the base; a paused canary leaves its pods to the base', () => {
    expect(agent(injected(inject(pod1, [base, canary])))).toBe('log-agent:1');
    const paused = { ...canary, spec: { ...canary.spec, injectionStrategy: { paused: true } } };
    expect(agent(injected(inject(canaryPod, [base, paused])))).toBe('log-agent:1');
  });

  it('a SidecarSet whose canary annotation is not "true" is not a canary', () => {
    const notCanary = { ...canary, metadata: { ...canary.metadata, annotations: { [SIDECARSET_CANARY_ANNOTATION]: 'false', [SIDECARSET_BASE_ANNOTATION]: 'log' } } };
    expect(inject(canaryPod, [base, notCanary])).toMatchObject({ kind: 'injected', sidecarSets: ['log', 'log-canary'] });
  });
});

describe('resourcesPolicy at injection', () => {
  const sized: SidecarSet = {
    metadata: { name: 'sized' },
    spec: {
      selector: { matchLabels: { app: 'suxing-test' } },
      containers: [
        {
          name: 'log-agent',
          image: 'log-agent:1',
          podInjectPolicy: 'AfterAppContainer',
          resourcesPolicy: { targetContainersMode: 'sum', targetContainersNameRegex: '.*', resourcesExpr: { limits: { cpu: 'max(cpu*50%, 50m)', memory: '200Mi' }, requests: { cpu: 'cpu*50%' } } },
        },
      ],
    },
  };
  const appPod: Pod = {
    ...pod1,
    spec: { containers: [{ name: 'nginx', image: 'nginx:1', resources: { limits: { cpu: '600m', memory: '1Gi' }, requests: { cpu: '200m' } } }, { name: 'log-agent', image: 'old:0', resources: { limits: { cpu: '8' } } }] },
  };

  it('sizes the sidecar from the app containers, never from a container of the SidecarSet', () => {
    const pod = injected(inject(appPod, [sized]));
    expect(pod.spec.containers.find((c) => c.name === 'log-agent')?.resources).toEqual({ limits: { cpu: '300m', memory: '200Mi' }, requests: { cpu: '100m' } });
    expect(pod.spec.containers.find((c) => c.name === 'log-agent')).not.toHaveProperty('resourcesPolicy');
  });

  it('refuses the pod when no container matches the regex', () => {
    const none = { ...sized, spec: { ...sized.spec, containers: sized.spec.containers?.map((c) => ({ ...c, resourcesPolicy: { ...c.resourcesPolicy, targetContainersNameRegex: '^db$' } })) } };
    expect(inject(appPod, [none])).toEqual({ kind: 'rejected', reason: 'resources-policy-failed', sidecarSet: 'sized', message: 'container log-agent: no containers match the regex pattern "^db$"' });
  });
});
