/**
 * The demo's CloneSet: the seeds' v1alpha1 manifest (examples/plan-only/cloneset.yaml, from
 * OpenKruise's tour), converted to v1beta1 on the client and adapted for an in-place rollout, and
 * the steps the demo takes it through.
 */
import { parse } from 'yaml';
import { parseCloneSet, type CloneSet } from '@kruise-ts/core';
import type { KubeObject } from '@kruise-ts/k8s-adapter';

/** The seeds' manifest, shared with the plan-only example. */
export const SEED_MANIFEST_URL = new URL('../plan-only/cloneset.yaml', import.meta.url);

/** Images of the `net` container before and after the rollout; `alpine` keeps `alpine:3.8`. */
export const IMAGES = { net: 'nginx:1.27-alpine', netNext: 'nginx:1.28-alpine', alpine: 'alpine:3.8' } as const;

/** A v1beta1 CloneSet as the apiserver stores it. */
export type CloneSetObject = CloneSet & KubeObject;

/** The demo's CloneSet and what was changed from the seed, in words. */
export interface DemoCloneSet {
  readonly cloneSet: CloneSetObject;
  /** One line per change from the seeds' manifest, e.g. `podsToDelete dropped (…)`. */
  readonly changes: readonly string[];
}

/** Options of {@link loadDemoCloneSet}. */
export interface DemoCloneSetOptions {
  /** Namespace to put the CloneSet in (default: the seed's, `kri-dev`). */
  readonly namespace?: string | undefined;
  /** Keep the PVC template (default true); false for a cluster that cannot provision it. */
  readonly volumeClaims?: boolean | undefined;
}

// The seed pulls from a private registry that only its author can reach; these are Docker Hub's.
const PUBLIC_IMAGES: Readonly<Record<string, string>> = { net: IMAGES.net, alpine: IMAGES.alpine };

/**
 * Returns the seeds' CloneSet in v1beta1 form, and the list of changes: converted
 * client-side (so neither the in-memory cluster nor a real one needs kruise-ts-manager's conversion webhook running),
 * `podUpdatePolicy: InPlaceIfPossible` instead of the seed's ReCreate, a 1 s in-place grace period
 * (pods go not-ready before their image changes, which also makes the update visible), the stale
 * `podsToDelete` dropped, public images, and the cluster's default storage class (or, with
 * `volumeClaims: false`, for a cluster without one, no PVC template); in `namespace` if given. Throws with every problem
 * when the manifest does not parse.
 *
 * @example loadDemoCloneSet(seedYaml).cloneSet.spec.updateStrategy
 *   // { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', inPlaceUpdateStrategy: { gracePeriodSeconds: 1 } } }
 */
export function loadDemoCloneSet(seedYaml: string, options: DemoCloneSetOptions = {}): DemoCloneSet {
  const parsed = parseCloneSet(parse(seedYaml) as unknown);
  if (parsed.kind === 'invalid') throw new Error(`the seeds' CloneSet does not parse:\n${parsed.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  const seed = parsed.value;
  const { podsToDelete: _stale, ...scaleStrategy } = seed.spec.scaleStrategy ?? {};
  const template = seed.spec.template;
  const keepClaims = options.volumeClaims !== false;
  const claims = keepClaims
    ? (seed.spec.volumeClaimTemplates ?? []).map(({ spec, ...claim }) => {
        const { storageClassName: _nfs, ...rest } = spec ?? {};
        return { ...claim, spec: { ...rest, accessModes: ['ReadWriteOnce'] } };
      })
    : [];
  const dropped = new Set(keepClaims ? [] : (seed.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name));
  const containers = template.spec.containers.map(({ volumeMounts, ...c }) => {
    const mounts = (volumeMounts ?? []).filter((m) => !dropped.has(m.name));
    return { ...c, image: PUBLIC_IMAGES[c.name] ?? c.image, ...(mounts.length === 0 ? {} : { volumeMounts: mounts }) };
  });
  const cloneSet: CloneSetObject = {
    ...seed,
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { ...seed.metadata, namespace: options.namespace ?? seed.metadata?.namespace },
    spec: {
      ...seed.spec,
      scaleStrategy,
      template: { ...template, spec: { ...template.spec, containers } },
      volumeClaimTemplates: claims,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible', inPlaceUpdateStrategy: { gracePeriodSeconds: 1 } } },
    },
  };
  const changes = [
    `converted apps.kruise.io/v1alpha1 → v1beta1 on the client (parseCloneSet): the demo runs without the conversion webhook kruise-ts-manager serves`,
    `podUpdatePolicy InPlaceIfPossible instead of the seed's ReCreate, with a 1 s in-place grace period`,
    `scaleStrategy.podsToDelete dropped (it names a pod of the tour's cluster)`,
    `images from Docker Hub instead of 192.168.6.77:5000: net ${IMAGES.net}, alpine ${IMAGES.alpine}`,
    keepClaims
      ? `PVC cloneset-data: the cluster's default storage class (not managed-nfs-storage), ReadWriteOnce`
      : `PVC template cloneset-data and its mount dropped: the cluster has no default StorageClass to provision it`,
  ];
  return { cloneSet, changes };
}

/** One step of the demo: a change to the CloneSet and the state that ends it. */
export interface DemoStep {
  /** What the step does, in words (`scale 1 → 6`). */
  readonly title: string;
  /** JSON merge patch of the CloneSet's spec; `undefined` = create the CloneSet. */
  readonly specPatch: Record<string, unknown> | undefined;
  /** Pods the CloneSet has once the step is done. */
  readonly replicas: number;
  /** Pods kept at older revisions by the partition once the step is done. */
  readonly partition: number;
  /** `rollingUpdate.maxUnavailable` in force during the step, or `undefined` before an update is asked for. */
  readonly maxUnavailable: number | undefined;
  /** The step updates pods: they must keep their UIDs and count against `maxUnavailable`. */
  readonly updates: boolean;
}

/**
 * Returns the demo's four steps: apply the seed (replicas 1), scale to 6, roll out the new `net`
 * image in place with partition 2 and maxUnavailable 2 (6 − 2 = 4 pods updated), then partition 0
 * (the last 2).
 */
export function demoSteps(cloneSet: CloneSetObject): DemoStep[] {
  const containers = cloneSet.spec.template.spec.containers.map((c) => (c.name === 'net' ? { ...c, image: IMAGES.netNext } : c));
  const rolling = (partition: number) => ({ updateStrategy: { rollingUpdate: { partition, maxUnavailable: 2 } } });
  return [
    { title: `apply the seeds' CloneSet (replicas ${cloneSet.spec.replicas ?? 1})`, specPatch: undefined, replicas: cloneSet.spec.replicas ?? 1, partition: 0, maxUnavailable: undefined, updates: false },
    { title: 'scale 1 → 6', specPatch: { replicas: 6 }, replicas: 6, partition: 0, maxUnavailable: undefined, updates: false },
    {
      title: `net → ${IMAGES.netNext} in place, partition 2, maxUnavailable 2`,
      // A merge patch replaces lists whole: the containers go in full, with the new image.
      specPatch: { template: { spec: { containers } }, ...rolling(2) },
      replicas: 6,
      partition: 2,
      maxUnavailable: 2,
      updates: true,
    },
    { title: 'partition 0: finish the rollout', specPatch: rolling(0), replicas: 6, partition: 0, maxUnavailable: 2, updates: true },
  ];
}
