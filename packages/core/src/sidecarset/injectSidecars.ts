import { SIDECARSET_NAME_LABEL } from '../api/labels.js';
import type { Container, Pod, VolumeMount } from '../api/pod.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import type { EpochMs } from '../shared/podState.js';
import type { ControllerRevision } from '../shared/revision.js';
import type { Labels } from '../shared/selector.js';
import { buildSidecars, type BuiltSidecars } from './buildSidecars.js';
import { podInjectionSkipReason, selectSidecarSetsForInjection, type PodInjectionSkipReason, type SidecarSetMismatchReason } from './matchSidecarSet.js';
import { patchPodAnnotations } from './patchPodMetadata.js';
import { resolveInjectionRevision, type InjectionRevisionError } from './resolveInjectionRevision.js';
import { isServiceAccountTokenMount } from './sidecarPodSharing.js';
import { mergePodImagePullSecrets, mergePodVolumes, mergeSidecarContainers } from './mergeSidecarContainers.js';

/** Options of {@link injectSidecars}. */
export interface InjectSidecarsOptions {
  /** Time written into the pod's hash records. */
  readonly now: EpochMs;
  /** The pod before an UPDATE; absent for CREATE. OpenKruise changes nothing on update (see below). */
  readonly oldPod?: Pod | undefined;
  /** ControllerRevisions of the SidecarSets (labelled `kruise.io/sidecarset-name`), for pinned revisions. */
  readonly revisions?: readonly ControllerRevision[] | undefined;
  /** The caller's random draw in [0, 1) for `Partial` revision injection (default 0). */
  readonly random?: number | undefined;
  /**
   * Share service-account token mounts with `shareVolumePolicy: enabled` sidecars (default true,
   * as OpenKruise: every app mount is shared); false keeps the API token away from sidecars.
   */
  readonly shareServiceAccountToken?: boolean | undefined;
  /** Feature gates (default off). */
  readonly featureGates?: { readonly EnableSortSidecarContainerByName?: boolean | undefined } | undefined;
}

/** Why nothing was injected. */
export type InjectionSkipReason = PodInjectionSkipReason | 'pod-update' | 'no-matching-sidecarset' | 'nothing-to-inject';

/** Why the pod must be refused (OpenKruise's webhook returns an error). */
export type InjectionRejectReason = InjectionRevisionError | 'patch-pod-metadata-failed' | 'invalid-hash-annotation' | 'resources-policy-failed';

/** What was done to a pod by its SidecarSets. */
export type SidecarInjection =
  | {
      readonly kind: 'injected';
      /** The pod with sidecars, volumes, secrets and annotations. */
      readonly pod: Pod;
      /** Names of the SidecarSets injected, in the order given. */
      readonly sidecarSets: readonly string[];
      /** Per SidecarSet: the pinned revision injected, or undefined for the latest spec. */
      readonly revisions: Readonly<Record<string, string | undefined>>;
      /** Names of the containers and init containers added (or replaced, when the pod had one of that name). */
      readonly containers: readonly string[];
      readonly initContainers: readonly string[];
      /** The annotations written (hash records, injected list, hot-upgrade and patchPodMetadata ones). */
      readonly annotations: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'metadata-patched'; readonly pod: Pod; readonly sidecarSets: readonly string[] }
  | {
      readonly kind: 'skipped';
      readonly reason: InjectionSkipReason;
      readonly unmatched: readonly { readonly sidecarSet: string; readonly reason: SidecarSetMismatchReason }[];
    }
  | { readonly kind: 'rejected'; readonly reason: InjectionRejectReason; readonly sidecarSet: string; readonly message: string };

function skipped(reason: InjectionSkipReason, unmatched: readonly { readonly sidecarSet: string; readonly reason: SidecarSetMismatchReason }[] = []): SidecarInjection {
  return { kind: 'skipped', reason, unmatched };
}

// A SidecarSet's revisions among all (labelled with its name).
const revisionsOf = (all: readonly ControllerRevision[], name: string) => all.filter((r) => r.metadata.labels?.[SIDECARSET_NAME_LABEL] === name);

function applyToPod(pod: Pod, built: BuiltSidecars, sortByName: boolean): Pod {
  const byName = (a: SidecarContainer, b: SidecarContainer) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const inits = [...built.initContainers].sort(byName);
  const containers = sortByName ? [...built.containers].sort(byName) : built.containers;
  const secrets = mergePodImagePullSecrets(pod.spec.imagePullSecrets, built.imagePullSecrets);
  const initContainers: Container[] = mergeSidecarContainers(pod.spec.initContainers ?? [], inits);
  return {
    ...pod,
    metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, ...built.annotations } },
    spec: {
      ...pod.spec,
      ...(initContainers.length > 0 && { initContainers }),
      containers: mergeSidecarContainers(pod.spec.containers, containers),
      ...(pod.spec.volumes !== undefined || built.volumes.length > 0 ? { volumes: mergePodVolumes(pod.spec.volumes ?? [], built.volumes) } : {}),
      ...(secrets !== undefined && { imagePullSecrets: secrets }),
    },
  };
}

/**
 * Returns the pod with the sidecars of the SidecarSets that apply to it, as OpenKruise's pod
 * mutating webhook (`sidecarsetMutatingPod`) does on CREATE, or why nothing changed or the pod must
 * be refused. Steps: skip pods that are not active or live in a namespace labelled
 * `control-plane: controller-manager`; keep the SidecarSets that are not paused and select the pod,
 * a canary SidecarSet taking the place of its base (`selectSidecarSetsForInjection`; passing all
 * SidecarSets or only matching ones is the same);
 * resolve each to the revision to inject (`resolveInjectionRevision`); apply their
 * `patchPodMetadata`; build the sidecars (`buildSidecars`, which sizes those with a
 * `resourcesPolicy` from the pod's containers); merge them: init containers sorted by
 * name, containers (sorted by name with EnableSortSidecarContainerByName) placed before or after
 * the pod's by `podInjectPolicy` (a sidecar named like a pod container replaces it in place),
 * volumes the pod lacks, imagePullSecrets without duplicates, annotations. Injecting an injected
 * pod again gives the same pod. On UPDATE (`options.oldPod`) OpenKruise's webhook changes nothing
 * (sidecars are upgraded by the controller), so this returns `skipped: pod-update`.
 *
 * Like OpenKruise, `shareVolumePolicy: enabled` shares every app mount, the service-account token
 * included; `shareServiceAccountToken: false` keeps the token away from sidecars.
 *
 * @example pod app=web + SidecarSet selecting app=web with container `fluentd` (BeforeAppContainer) →
 *   { kind: 'injected', pod: containers [fluentd, app], sidecarSets: ['log'], containers: ['fluentd'], ... }
 */
export function injectSidecars(pod: Pod, sidecarSets: readonly SidecarSet[], namespaceLabels: Labels, options: InjectSidecarsOptions): SidecarInjection {
  if (options.oldPod !== undefined) return skipped('pod-update');
  const skip = podInjectionSkipReason(pod, namespaceLabels);
  if (skip !== undefined) return skipped(skip);
  const selection = selectSidecarSetsForInjection(pod, sidecarSets, namespaceLabels);
  if (selection.matched.length === 0) return skipped('no-matching-sidecarset', selection.skipped);
  const resolved: SidecarSet[] = [];
  const revisions: Record<string, string | undefined> = {};
  for (const ss of selection.matched) {
    const name = ss.metadata?.name ?? '';
    const revision = resolveInjectionRevision(ss, pod, revisionsOf(options.revisions ?? [], name), options.random ?? 0);
    if (revision.kind === 'rejected') return { kind: 'rejected', reason: revision.reason, sidecarSet: name, message: revision.message };
    resolved.push(revision.sidecarSet);
    revisions[name] = revision.kind === 'pinned' ? revision.revision : undefined;
  }
  let annotations = pod.metadata.annotations ?? {};
  let metadataChanged = false;
  for (const ss of resolved) {
    const patched = patchPodAnnotations(annotations, ss.spec.patchPodMetadata ?? []);
    if (patched.kind === 'failed') return { kind: 'rejected', reason: 'patch-pod-metadata-failed', sidecarSet: ss.metadata?.name ?? '', message: patched.message };
    metadataChanged ||= patched.changed;
    annotations = patched.annotations;
  }
  const patchedPod: Pod = { ...pod, metadata: { ...pod.metadata, annotations } };
  const shareMount = (mount: VolumeMount) => options.shareServiceAccountToken !== false || !isServiceAccountTokenMount(mount);
  const built = buildSidecars(patchedPod, resolved, { now: options.now, shareMount });
  if (built.kind === 'invalid-annotation') return { kind: 'rejected', reason: 'invalid-hash-annotation', sidecarSet: '', message: built.message };
  if (built.kind === 'resources-policy-failed') return { kind: 'rejected', reason: 'resources-policy-failed', sidecarSet: built.sidecarSet, message: built.message };
  const names = resolved.map((ss) => ss.metadata?.name ?? '');
  const { sidecars } = built;
  if (sidecars.containers.length === 0 && sidecars.initContainers.length === 0) {
    return metadataChanged ? { kind: 'metadata-patched', pod: patchedPod, sidecarSets: names } : skipped('nothing-to-inject', selection.skipped);
  }
  const patchAnnotations = Object.fromEntries(Object.entries(annotations).filter(([k, v]) => pod.metadata.annotations?.[k] !== v));
  return {
    kind: 'injected',
    pod: applyToPod(patchedPod, sidecars, options.featureGates?.EnableSortSidecarContainerByName === true),
    sidecarSets: names,
    revisions,
    containers: sidecars.containers.map((c) => c.name),
    initContainers: sidecars.initContainers.map((c) => c.name),
    annotations: { ...patchAnnotations, ...sidecars.annotations },
  };
}
