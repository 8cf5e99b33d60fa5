import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INJECTED_PERSISTENT_POD_STATE_ANNOTATION, type PersistentPodState } from '../api/persistentPodState.js';
import type { Pod } from '../api/pod.js';
import { validatePersistentPodState } from '../api/validatePersistentPodState.js';
import { aPersistentPodState } from '../testing/persistentPodStateBuilder.js';
import { aPod } from '../testing/podBuilder.js';
import { computePersistentPodStateStatus, isInReplicas, type PersistentPodStateWorkload } from './computePersistentPodStateStatus.js';
import { injectPersistentPodState } from './injectPersistentPodState.js';
import { planGeneratedPersistentPodState } from './planGeneratedPersistentPodState.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const nodes: Record<string, Record<string, string>> = {
  n1: { [ZONE]: 'zone-a', [HOST]: 'n1' },
  n2: { [ZONE]: 'zone-b', [HOST]: 'n2' },
  n3: { [ZONE]: 'zone-c', [HOST]: 'n3' },
};
const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true };
const podOf = (name: string, node: string, options: { ready?: boolean; annotations?: Record<string, string> } = {}): Pod => {
  const pod = aPod({ name, node, phase: options.ready === false ? 'not-ready' : 'ready', annotations: options.annotations ?? {} });
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [owner] } };
};
const workload = (replicas: number, reserved: number[] = []): PersistentPodStateWorkload => ({ replicas, reserveOrdinals: new Set(reserved), deleting: false });
const status = (pps: PersistentPodState, pods: Pod[], w: PersistentPodStateWorkload | undefined = workload(3)) => computePersistentPodStateStatus({ pps, workload: w, pods, nodeLabels: (n) => nodes[n] });

describe('computePersistentPodStateStatus', () => {
  it('records the node and its topology labels of each Ready pod, and the chosen annotations', () => {
    const pps = aPersistentPodState({ preferred: [HOST], annotations: ['ip'], generation: 2 });
    const result = status(pps, [podOf('web-0', 'n1', { annotations: { ip: '10.0.0.1', other: 'x' } }), podOf('web-1', 'n2'), podOf('web-2', 'n3', { ready: false })]);
    expect(result).toEqual({
      observedGeneration: 2,
      podStates: {
        'web-0': { nodeName: 'n1', nodeTopologyLabels: { [HOST]: 'n1', [ZONE]: 'zone-a' }, annotations: { ip: '10.0.0.1' } },
        'web-1': { nodeName: 'n2', nodeTopologyLabels: { [HOST]: 'n2', [ZONE]: 'zone-b' }, annotations: {} },
      },
    });
  });

  it.each<[string, 'WhenScaled' | 'WhenDeleted' | undefined, string[]]>([
    ['WhenScaled (default) forgets web-2 once scaled to 2 and gone', undefined, ['web-0', 'web-1']],
    ['WhenDeleted keeps it', 'WhenDeleted', ['web-0', 'web-1', 'web-2']],
  ])('%s', (_, retention, kept) => {
    const recorded = { nodeName: 'n3', nodeTopologyLabels: { [ZONE]: 'zone-c' } };
    const pps = aPersistentPodState({ retention, podStates: { 'web-0': recorded, 'web-1': recorded, 'web-2': recorded } });
    expect(Object.keys(status(pps, [podOf('web-0', 'n1'), podOf('web-1', 'n2')], workload(2)).podStates ?? {}).sort()).toEqual(kept);
  });

  it('keeps the state of a pod deleted within the replicas (that is what puts it back), and drops every state when the workload is gone', () => {
    const pps = aPersistentPodState({ podStates: { 'web-1': { nodeName: 'n2', nodeTopologyLabels: { [ZONE]: 'zone-b' } } } });
    expect(status(pps, [], workload(3)).podStates).toEqual({ 'web-1': { nodeName: 'n2', nodeTopologyLabels: { [ZONE]: 'zone-b' } } });
    expect(computePersistentPodStateStatus({ pps, workload: undefined, pods: [], nodeLabels: () => undefined })).toEqual({ observedGeneration: 0 });
    expect(computePersistentPodStateStatus({ pps, workload: { ...workload(3), deleting: true }, pods: [], nodeLabels: () => undefined })).toEqual({ observedGeneration: 0 });
  });

  it('isInReplicas skips reserved ordinals: replicas 3 with 1 reserved keeps 0, 2 and 3', () => {
    expect([0, 1, 2, 3, 4].filter((o) => isInReplicas(o, workload(3, [1])))).toEqual([0, 2, 3]);
  });
});

describe('injectPersistentPodState', () => {
  const recorded = aPersistentPodState({ preferred: [HOST], podStates: { 'web-1': { nodeName: 'n2', nodeTopologyLabels: { [ZONE]: 'zone-b', [HOST]: 'n2' } } } });

  it('puts a re-created pod back: required zone in nodeSelector, preferred host as node affinity, and the annotation', () => {
    const result = injectPersistentPodState(podOf('web-1', ''), [recorded]);
    expect(result).toMatchObject({ kind: 'inject', name: 'web', nodeSelector: { [ZONE]: 'zone-b' }, preferred: [{ weight: 100, preference: { matchExpressions: [{ key: HOST, operator: 'In', values: ['n2'] }] } }] });
    if (result.kind !== 'inject') throw new Error('expected an injection');
    expect(result.pod.spec.nodeSelector).toEqual({ [ZONE]: 'zone-b' });
    expect(result.pod.spec['affinity']).toEqual({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: result.preferred } });
    expect(result.pod.metadata.annotations?.[INJECTED_PERSISTENT_POD_STATE_ANNOTATION]).toBe('web');
  });

  it.each<[string, Pod, PersistentPodState[], string]>([
    ['a pod seen for the first time', podOf('web-2', ''), [recorded], 'no-recorded-state'],
    ['a pod of another workload', { ...podOf('web-1', ''), metadata: { ...podOf('web-1', '').metadata, ownerReferences: [{ ...owner, name: 'db' }] } }, [recorded], 'no-persistent-pod-state'],
    ['a pod of a CloneSet', { ...podOf('web-1', ''), metadata: { ...podOf('web-1', '').metadata, ownerReferences: [{ ...owner, kind: 'CloneSet' }] } }, [recorded], 'not-a-statefulset'],
    ['a pod without a controller', aPod({ name: 'web-1' }), [recorded], 'no-controller'],
  ])('skips %s', (_, pod, candidates, reason) => {
    expect(injectPersistentPodState(pod, candidates)).toEqual({ kind: 'skip', reason });
  });

  it('an apps/v1 StatefulSet pod matches a PersistentPodState whose targetRef names apps/v1 (group compared, not version)', () => {
    const pps = aPersistentPodState({ targetApiVersion: 'apps/v1', podStates: { 'web-0': { nodeName: 'n1', nodeTopologyLabels: { [ZONE]: 'zone-a' } } } });
    const pod = podOf('web-0', '');
    const appsPod = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ ...owner, apiVersion: 'apps/v1' }] } };
    expect(injectPersistentPodState(appsPod, [pps]).kind).toBe('inject');
  });

  it('re-injection puts every recorded pod back in its recorded zone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('n1', 'n2', 'n3'), { minLength: 1, maxLength: 6 }), (placement) => {
        const pods = placement.map((node, i) => podOf(`web-${String(i)}`, node));
        const pps = aPersistentPodState();
        const next = { ...pps, status: status(pps, pods, workload(placement.length)) };
        placement.forEach((node, i) => {
          const result = injectPersistentPodState(podOf(`web-${String(i)}`, ''), [next]);
          expect(result.kind === 'inject' && result.nodeSelector).toEqual({ [ZONE]: nodes[node]?.[ZONE] });
        });
      }),
    );
  });
});

describe('planGeneratedPersistentPodState', () => {
  const sts = (annotations: Record<string, string>) => ({ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'db', uid: 'uid-web', annotations } });
  const auto = { 'kruise.io/auto-generate-persistent-pod-state': 'true', 'kruise.io/required-persistent-topology': ZONE, 'kruise.io/preferred-persistent-topology': HOST, 'kruise.io/persistent-pod-annotations': 'ip,mac' };

  it('creates it from the annotations, named as the workload and controlled by it', () => {
    const decision = planGeneratedPersistentPodState(sts(auto), undefined);
    expect(decision).toEqual({
      kind: 'create',
      pps: {
        apiVersion: 'apps.kruise.io/v1beta1',
        kind: 'PersistentPodState',
        metadata: { name: 'web', namespace: 'db', ownerReferences: [{ apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true }] },
        spec: {
          targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web' },
          requiredPersistentTopology: { nodeTopologyKeys: [ZONE] },
          persistentPodAnnotations: [{ key: 'ip' }, { key: 'mac' }],
          preferredPersistentTopology: [{ weight: 100, preference: { nodeTopologyKeys: [HOST] } }],
        },
      },
    });
    if (decision.kind === 'create') expect(validatePersistentPodState(decision.pps)).toEqual([]);
  });

  it.each<[string, Record<string, string>, PersistentPodState | undefined, string]>([
    ['up to date', auto, { ...aPersistentPodState(), spec: { targetRef: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: 'web' }, requiredPersistentTopology: { nodeTopologyKeys: [ZONE] }, persistentPodAnnotations: [{ key: 'ip' }, { key: 'mac' }], preferredPersistentTopology: [{ weight: 100, preference: { nodeTopologyKeys: [HOST] } }] } }, 'none'],
    ['a changed annotation', { ...auto, 'kruise.io/required-persistent-topology': HOST }, aPersistentPodState(), 'update-spec'],
    ['auto-generation turned off', { 'kruise.io/required-persistent-topology': ZONE }, aPersistentPodState(), 'delete'],
    ['no topology annotation', { 'kruise.io/auto-generate-persistent-pod-state': 'true' }, undefined, 'none'],
  ])('%s', (_, annotations, existing, kind) => {
    expect(planGeneratedPersistentPodState(sts(annotations), existing).kind).toBe(kind);
  });
});

describe('validatePersistentPodState', () => {
  it.each<[string, PersistentPodState, string[]]>([
    ['a valid one', aPersistentPodState(), []],
    ['no topology', aPersistentPodState({ required: [] }), ['spec: Invalid value: TopologyConstraint and TopologyPreference cannot be empty at the same time']],
    ['a Deployment target', { ...aPersistentPodState(), spec: { ...aPersistentPodState().spec, targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } }, ['spec.targetRef: Invalid value: TargetReference.Kind must be StatefulSet or in PPS_Watch_Custom_Workload_WhiteList']],
    ['an empty target name', aPersistentPodState({ target: '' }), ['spec.targetRef: Invalid value: empty TargetReference is not valid for PersistentPodState.']],
  ])('%s', (_, pps, expected) => {
    expect(validatePersistentPodState(pps).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });

  it('refuses a changed targetRef and a second state for the same workload', () => {
    expect(validatePersistentPodState(aPersistentPodState({ target: 'db' }), { old: aPersistentPodState() }).map((p) => p.message)).toEqual(['Required value: targetRef cannot be modified']);
    expect(validatePersistentPodState(aPersistentPodState({ name: 'b' }), { others: [aPersistentPodState({ name: 'a' })] }).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.targetReference: Invalid value: targetReference is in conflict with other PersistentPodState a',
    ]);
  });
});
