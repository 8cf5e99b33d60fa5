/**
 * The chaos scenarios, one per workload kind (see chaosHarness.ts): CloneSet
 * (scale-up, in-place rollout, recreate rollout, scale-down), Advanced StatefulSet (scale-up,
 * in-place rollout, with a PVC per ordinal), Advanced DaemonSet (creation and a rolling update over
 * the 10 kwok nodes), SidecarSet (an upgrade of the sidecar of injected pods) and UnitedDeployment
 * (CloneSet subsets in two zones: creation, scale-up, in-place rollout, scale-down).
 */
import { CLONESET_INSTANCE_ID_LABEL, SUBSET_NAME_LABEL, injectSidecars, withSidecarSetDefaults, withSidecarSetHashAnnotations, type Pod, type SidecarSet } from '@kruise-ts/core';
import { ZONE_LABEL, aCloneSet, aDaemonSet, aStatefulSet, aUnitedDeployment } from '@kruise-ts/core/testing';
import { AlreadyExistsError, KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { bindClaims } from '../e2e/cloneSetManifest.js';
import { forCreate, imagePatch, isRolledOut, isServing, type ChaosScenario, type ChaosStep, type StepContext } from './chaosHarness.js';

const livePods = async (ctx: StepContext): Promise<Pod[]> => (await ctx.client.list(Resources.Pod, { namespace: ctx.namespace })).items.filter((p) => p.metadata.deletionTimestamp === undefined);
const image = (p: Pod, container = 0): string | undefined => p.spec.containers[container]?.image;

/** A workload `web` of the run's namespace with the rollout status CloneSet and Advanced StatefulSet share. */
type RolloutResource = typeof KruiseResources.CloneSet | typeof KruiseResources.StatefulSet;

/** Whether workload `web` rolled out to `img`: observed, every one of `replicas` pods updated and serving, the update revision current. */
const rolledOutTo = (resource: RolloutResource, replicas: number, img: string) => async (ctx: StepContext): Promise<boolean> => {
  const set = await ctx.client.get(resource, { name: 'web', namespace: ctx.namespace });
  const pods = await livePods(ctx);
  return set.status?.observedGeneration === set.metadata.generation && isRolledOut(set.status, undefined, replicas) && pods.length === replicas && pods.every((p) => image(p) === img && isServing(p));
};

/** What every in-place step keeps: `replicas` pods, the same ones (none created or deleted), never more than `maxUnavailable` unavailable. */
const inPlaceInvariants = (replicas: number, maxUnavailable: number) => ({ name: 'in-place', desired: replicas, maxUnavailable, created: 0, deleted: 0, sameUids: true }) as const;

/** An in-place image change of workload `web` to `img` ({@link inPlaceInvariants}). */
function inPlaceStep(resource: RolloutResource, replicas: number, maxUnavailable: number, img: string, check?: ChaosStep['check']): ChaosStep {
  return {
    ...inPlaceInvariants(replicas, maxUnavailable),
    act: async (ctx) => {
      await ctx.client.patch(resource, { name: 'web', namespace: ctx.namespace }, imagePatch(img));
    },
    done: rolledOutTo(resource, replicas, img),
    ...(check === undefined ? {} : { check }),
  };
}

/** CloneSet of `replicas` at maxUnavailable 20 %: scale-up 0 → N, in-place rollout, recreate rollout, scale-down N → N/4. */
export function cloneSetScenario(replicas: number): ChaosScenario {
  const maxUnavailable = Math.max(1, Math.floor(replicas / 5));
  const scaledDown = Math.max(1, Math.floor(replicas / 4));
  const key = (ctx: StepContext) => ({ name: 'web', namespace: ctx.namespace });
  const status = async (ctx: StepContext) => (await ctx.client.get(KruiseResources.CloneSet, key(ctx))).status;
  return {
    name: 'cloneset',
    controller: 'cloneset',
    instanceOf: (p) => p.metadata.labels?.[CLONESET_INSTANCE_ID_LABEL] ?? p.metadata.name ?? '',
    steps: (): ChaosStep[] => [
      {
        name: 'scale-up',
        desired: replicas,
        created: replicas,
        deleted: 0,
        act: async (ctx) => {
          await ctx.client.create(KruiseResources.CloneSet, forCreate(aCloneSet({ name: 'web', namespace: ctx.namespace, replicas, maxUnavailable, podUpdatePolicy: 'InPlaceIfPossible', containers: [{ name: 'app', image: 'nginx:1.25' }] })));
        },
        done: async (ctx) => (await livePods(ctx)).filter(isServing).length === replicas && (await status(ctx))?.readyReplicas === replicas,
      },
      inPlaceStep(KruiseResources.CloneSet, replicas, maxUnavailable, 'nginx:1.26'),
      {
        name: 'recreate',
        desired: replicas,
        maxUnavailable,
        created: replicas,
        deleted: replicas,
        act: async (ctx) => {
          await ctx.client.patch(KruiseResources.CloneSet, key(ctx), {
            type: 'json',
            operations: [
              { op: 'replace', path: '/spec/updateStrategy/rollingUpdate/podUpdatePolicy', value: 'ReCreate' },
              { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' },
            ],
          });
        },
        done: rolledOutTo(KruiseResources.CloneSet, replicas, 'nginx:1.27'),
      },
      {
        name: 'scale-down',
        desired: scaledDown,
        created: 0,
        deleted: replicas - scaledDown,
        act: async (ctx) => {
          await ctx.client.patch(KruiseResources.CloneSet, key(ctx), { type: 'merge', body: { spec: { replicas: scaledDown } } });
        },
        done: async (ctx) => (await ctx.client.list(Resources.Pod, { namespace: ctx.namespace })).items.length === scaledDown && (await status(ctx))?.readyReplicas === scaledDown,
      },
    ],
  };
}

/** The PVCs of the namespace: name → uid (terminating ones marked). */
async function claims(client: KubeClient, namespace: string): Promise<Map<string, string>> {
  const list = await client.list(Resources.PersistentVolumeClaim, { namespace });
  return new Map(list.items.map((c) => [c.metadata.name ?? '', c.metadata.deletionTimestamp === undefined ? (c.metadata.uid ?? '') : 'terminating']));
}

/**
 * Advanced StatefulSet of `replicas` (Parallel, maxUnavailable 20 %, in place, a `data` claim per
 * ordinal): scale-up 0 → N (each ordinal created once, one PVC each), in-place rollout (same pods,
 * the same PVCs: none deleted, none orphaned or recreated).
 */
export function statefulSetScenario(replicas: number): ChaosScenario {
  const maxUnavailable = Math.max(1, Math.floor(replicas / 5));
  const key = (ctx: StepContext) => ({ name: 'web', namespace: ctx.namespace });
  const expectedClaims = Array.from({ length: replicas }, (_, i) => `data-web-${String(i)}`).sort();
  return {
    name: 'statefulset',
    controller: 'statefulset',
    instanceOf: (p) => p.metadata.name ?? '',
    prepare: (ctx) => Promise.resolve(bindClaims(ctx.client, ctx.namespace).stop),
    steps: (): ChaosStep[] => {
      let claimUids = new Map<string, string>();
      const checkClaims = async (ctx: StepContext, same: boolean): Promise<string[]> => {
        const now = await claims(ctx.client, ctx.namespace);
        const names = [...now.keys()].sort();
        const violations = [
          ...(JSON.stringify(names) === JSON.stringify(expectedClaims) ? [] : [`PVCs ${names.join(' ')}`]),
          ...[...now].filter(([, uid]) => uid === 'terminating').map(([name]) => `PVC ${name} deleted`),
          ...(same && [...claimUids].some(([name, uid]) => now.get(name) !== uid) ? ['a PVC recreated'] : []),
        ];
        // Each ordinal's pod mounts its own claim (none orphaned).
        for (const p of await livePods(ctx)) {
          const claim = p.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName;
          if (claim !== `data-${p.metadata.name ?? ''}`) violations.push(`${p.metadata.name ?? ''} mounts ${String(claim)}`);
        }
        claimUids = now;
        return violations;
      };
      return [
        {
          name: 'scale-up',
          desired: replicas,
          created: replicas,
          deleted: 0,
          act: async (ctx) => {
            await ctx.client.create(
              KruiseResources.StatefulSet,
              forCreate(aStatefulSet({ name: 'web', namespace: ctx.namespace, replicas, podManagementPolicy: 'Parallel', maxUnavailable, podUpdatePolicy: 'InPlaceIfPossible', volumeClaimTemplates: ['data'], containers: [{ name: 'app', image: 'nginx:1.25', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] })),
            );
          },
          done: async (ctx) => (await livePods(ctx)).filter(isServing).length === replicas && (await ctx.client.get(KruiseResources.StatefulSet, key(ctx))).status?.readyReplicas === replicas,
          check: (ctx) => checkClaims(ctx, false),
        },
        inPlaceStep(KruiseResources.StatefulSet, replicas, maxUnavailable, 'nginx:1.26', (ctx) => checkClaims(ctx, true)),
      ];
    },
  };
}

/** A node selector requirement (`matchFields` or `matchExpressions` entry). */
type Requirement = { key: string; values?: string[] };
/** The node selector terms of a pod's required node affinity. */
function requiredTerms(p: Pod): { matchFields?: Requirement[]; matchExpressions?: Requirement[] }[] {
  const affinity = p.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: Requirement[]; matchExpressions?: Requirement[] }[] } } } | undefined;
  return affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
}

/** The node a DaemonSet pod is for: its nodeName, or the node its affinity names before it is bound. */
export function nodeOf(p: Pod): string {
  if ((p.spec.nodeName ?? '') !== '') return p.spec.nodeName ?? '';
  return requiredTerms(p).flatMap((t) => t.matchFields ?? []).find((f) => f.key === 'metadata.name')?.values?.[0] ?? p.metadata.name ?? '';
}

/** Advanced DaemonSet over the `nodes` kwok nodes: creation (one pod per node), then a Standard rolling update at maxUnavailable 2 (one new pod per node, never two on a node). */
export function daemonSetScenario(nodes: number): ChaosScenario {
  const maxUnavailable = 2;
  const key = (ctx: StepContext) => ({ name: 'agent', namespace: ctx.namespace });
  const settledOn = (img: string) => async (ctx: StepContext): Promise<boolean> => {
    const set = await ctx.client.get(KruiseResources.DaemonSet, key(ctx));
    const pods = await livePods(ctx);
    const s = set.status;
    return s !== undefined && s.observedGeneration === set.metadata.generation && s.desiredNumberScheduled === nodes && s.updatedNumberScheduled === nodes && s.numberAvailable === nodes && pods.length === nodes && pods.every((p) => image(p) === img && isServing(p));
  };
  return {
    name: 'daemonset',
    controller: 'daemonset',
    instanceOf: nodeOf,
    steps: (): ChaosStep[] => [
      {
        name: 'create',
        desired: nodes,
        created: nodes,
        deleted: 0,
        act: async (ctx) => {
          await ctx.client.create(KruiseResources.DaemonSet, forCreate(aDaemonSet({ name: 'agent', namespace: ctx.namespace, rollingUpdateType: 'Standard', maxUnavailable, containers: [{ name: 'agent', image: 'nginx:1.25' }] })));
        },
        done: settledOn('nginx:1.25'),
      },
      {
        name: 'rollout',
        desired: nodes,
        maxUnavailable,
        created: nodes,
        deleted: nodes,
        act: async (ctx) => {
          await ctx.client.patch(KruiseResources.DaemonSet, key(ctx), imagePatch('nginx:1.26'));
        },
        done: settledOn('nginx:1.26'),
      },
    ],
  };
}

/**
 * Returns the SidecarSet as kruise-ts-manager's SidecarSet webhook admits it (defaults, then the
 * hash annotations injected pods are compared with): the chaos runs start the manager without webhooks.
 */
const admitted = (ss: SidecarSet): SidecarSet & KubeObject => withSidecarSetHashAnnotations(withSidecarSetDefaults(ss)) as SidecarSet & KubeObject;

/**
 * SidecarSet over `replicas` pods of its own (maxUnavailable 20 %): the pods created with the
 * sidecar injected (as the pod webhook would, by core's `injectSidecars`), then an upgrade of the
 * sidecar's image in place (same pods, never more than maxUnavailable of them unavailable).
 */
export function sidecarSetScenario(replicas: number): ChaosScenario {
  const maxUnavailable = Math.max(1, Math.floor(replicas / 5));
  const key = (ctx: StepContext) => ({ name: ctx.namespace });
  const sidecarImage = (p: Pod): string | undefined => p.spec.containers.find((c) => c.name === 'log')?.image;
  const upgradedTo = (img: string) => async (ctx: StepContext): Promise<boolean> => {
    const ss = await ctx.client.get(KruiseResources.SidecarSet, key(ctx));
    const s = ss.status;
    const pods = await livePods(ctx);
    return s !== undefined && s.observedGeneration === ss.metadata.generation && s.matchedPods === replicas && s.updatedPods === replicas && s.updatedReadyPods === replicas && pods.length === replicas && pods.every((p) => sidecarImage(p) === img && isServing(p));
  };
  return {
    name: 'sidecarset',
    controller: 'sidecarset',
    instanceOf: (p) => p.metadata.name ?? '',
    // The SidecarSets' ControllerRevisions live in the manager's namespace.
    prepare: async (ctx) => {
      await ctx.client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kruise-system' } }).catch((error: unknown) => {
        if (!(error instanceof AlreadyExistsError)) throw error;
      });
      return async () => {
        await ctx.client.delete(KruiseResources.SidecarSet, key(ctx));
      };
    },
    steps: (): ChaosStep[] => [
      {
        name: 'inject',
        desired: replicas,
        created: replicas,
        deleted: 0,
        act: async (ctx) => {
          const manifest: SidecarSet = {
            apiVersion: 'apps.kruise.io/v1beta1',
            kind: 'SidecarSet',
            metadata: { name: ctx.namespace },
            spec: { selector: { matchLabels: { app: ctx.namespace } }, containers: [{ name: 'log', image: 'busybox:1.36' }], updateStrategy: { type: 'RollingUpdate', maxUnavailable } },
          };
          const stored = await ctx.client.create(KruiseResources.SidecarSet, admitted(manifest));
          for (let i = 0; i < replicas; i++) {
            const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${String(i)}`, namespace: ctx.namespace, labels: { app: ctx.namespace } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } };
            const injection = injectSidecars(pod, [stored], {}, { now: Date.now() });
            if (injection.kind !== 'injected') throw new Error(`pod ${String(i)} not injected: ${JSON.stringify(injection)}`);
            await ctx.client.create(Resources.Pod, injection.pod as Pod & KubeObject);
          }
        },
        done: upgradedTo('busybox:1.36'),
      },
      {
        name: 'upgrade',
        desired: replicas,
        maxUnavailable,
        created: 0,
        deleted: 0,
        sameUids: true,
        act: async (ctx) => {
          const ss = await ctx.client.get(KruiseResources.SidecarSet, key(ctx));
          const containers = (ss.spec.containers ?? []).map((c) => (c.name === 'log' ? { ...c, image: 'busybox:1.37' } : c));
          await ctx.client.replace(KruiseResources.SidecarSet, admitted({ ...ss, spec: { ...ss.spec, containers } }));
        },
        done: upgradedTo('busybox:1.37'),
      },
    ],
  };
}

/**
 * UnitedDeployment `web` of CloneSet subsets `zone-a` (half) and `zone-b` (the rest), pods on the
 * kwok nodes of their zone, the template in place at maxUnavailable 1 per subset: creation 0 → N,
 * scale-up N → N + N/2, in-place rollout (same pods, never more than 2 unavailable: 1 per subset),
 * scale-down to N/2. After every step exactly one CloneSet per subset (a child created twice
 * across a kill is a violation, even if a later pass deletes it), with the replicas its subset
 * is allocated, and every pod in its subset's zone. Runs the `uniteddeployment` and `cloneset`
 * controllers (each kill ends both).
 */
export function unitedDeploymentScenario(replicas: number): ChaosScenario {
  const grown = replicas + Math.max(1, Math.floor(replicas / 2));
  const shrunk = Math.max(2, Math.floor(replicas / 2));
  const maxUnavailable = 2;
  const key = (ctx: StepContext) => ({ name: 'web', namespace: ctx.namespace });
  /** What the step leaves: `total` pods, zone-a holding half (rounded up, as OpenKruise's percent of a subset). */
  const settled = (total: number, img: string) => async (ctx: StepContext): Promise<boolean> => {
    const ud = await ctx.client.get(KruiseResources.UnitedDeployment, key(ctx));
    const s = ud.status;
    const pods = await livePods(ctx);
    return s !== undefined && s.observedGeneration === ud.metadata.generation && s.replicas === total && s.readyReplicas === total && s.updatedReadyReplicas === total && pods.length === total && pods.every((p) => image(p) === img && isServing(p));
  };
  const checkChildren = async (ctx: StepContext): Promise<string[]> => {
    const children = (await ctx.client.list(KruiseResources.CloneSet, { namespace: ctx.namespace })).items;
    const violations: string[] = [];
    const subsets = children.map((c) => c.metadata.labels?.[SUBSET_NAME_LABEL] ?? '?').sort();
    if (JSON.stringify(subsets) !== JSON.stringify(['zone-a', 'zone-b'])) violations.push(`CloneSets of subsets ${subsets.join(' ')}`);
    const total = children.reduce((n, c) => n + (c.spec.replicas ?? 0), 0);
    const ud = await ctx.client.get(KruiseResources.UnitedDeployment, key(ctx));
    if (total !== ud.spec.replicas) violations.push(`subset replicas sum to ${String(total)} for ${String(ud.spec.replicas)}`);
    for (const p of await livePods(ctx)) {
      const subset = p.metadata.labels?.[SUBSET_NAME_LABEL];
      const zones = requiredTerms(p).flatMap((t) => t.matchExpressions ?? []).filter((e) => e.key === ZONE_LABEL).flatMap((e) => e.values ?? []);
      if (subset === undefined || !zones.includes(subset)) violations.push(`${p.metadata.name ?? ''} of subset ${String(subset)} not held to its zone`);
    }
    return violations;
  };
  /** `from` → `to` pods, all on `img` once done. */
  const scale = (name: string, from: number, to: number, img: string): ChaosStep => ({
    name,
    desired: to,
    created: Math.max(0, to - from),
    deleted: Math.max(0, from - to),
    act: async (ctx) => {
      await ctx.client.patch(KruiseResources.UnitedDeployment, key(ctx), { type: 'merge', body: { spec: { replicas: to } } });
    },
    done: settled(to, img),
    check: checkChildren,
  });
  return {
    name: 'uniteddeployment',
    controller: 'uniteddeployment,cloneset',
    instanceOf: (p) => p.metadata.labels?.[CLONESET_INSTANCE_ID_LABEL] ?? p.metadata.name ?? '',
    steps: (): ChaosStep[] => [
      {
        name: 'create',
        desired: replicas,
        created: replicas,
        deleted: 0,
        act: async (ctx) => {
          const ud = forCreate(aUnitedDeployment({ name: 'web', namespace: ctx.namespace, replicas, containers: [{ name: 'app', image: 'nginx:1.25' }], subsets: [{ name: 'zone-a', zone: 'zone-a', replicas: '50%' }, { name: 'zone-b', zone: 'zone-b' }] }));
          const template = ud.spec.template?.cloneSetTemplate;
          if (template === undefined) throw new Error('aUnitedDeployment gave no cloneSetTemplate');
          const inPlace = { ...template, spec: { ...template.spec, updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' as const, maxUnavailable: 1 } } } };
          await ctx.client.create(KruiseResources.UnitedDeployment, { ...ud, spec: { ...ud.spec, template: { cloneSetTemplate: inPlace } } });
        },
        done: settled(replicas, 'nginx:1.25'),
        check: checkChildren,
      },
      scale('scale-up', replicas, grown, 'nginx:1.25'),
      {
        ...inPlaceInvariants(grown, maxUnavailable),
        act: async (ctx) => {
          await ctx.client.patch(KruiseResources.UnitedDeployment, key(ctx), { type: 'json', operations: [{ op: 'replace', path: '/spec/template/cloneSetTemplate/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
        },
        done: settled(grown, 'nginx:1.26'),
        check: checkChildren,
      },
      scale('scale-down', grown, shrunk, 'nginx:1.26'),
    ],
  };
}
