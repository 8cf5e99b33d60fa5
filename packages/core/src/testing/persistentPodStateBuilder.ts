import { PERSISTENTPODSTATE_API_VERSION, PERSISTENTPODSTATE_KIND, type PersistentPodState, type PersistentPodStateSpec, type PodState } from '../api/persistentPodState.js';

/** Options of {@link aPersistentPodState}. */
export interface PersistentPodStateOptions {
  /** `metadata.name` (default `web`). */
  readonly name?: string | undefined;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string | undefined;
  /** The target: an Advanced StatefulSet of this name (default `web`). */
  readonly target?: string | undefined;
  /** Target apiVersion (default `apps.kruise.io/v1beta1`). */
  readonly targetApiVersion?: string | undefined;
  /** `requiredPersistentTopology` keys (default `['topology.kubernetes.io/zone']`; `[]` for none). */
  readonly required?: readonly string[] | undefined;
  /** Keys of one preferred term of weight 100 (default none). */
  readonly preferred?: readonly string[] | undefined;
  readonly annotations?: readonly string[] | undefined;
  readonly retention?: 'WhenScaled' | 'WhenDeleted' | undefined;
  readonly podStates?: Readonly<Record<string, PodState>> | undefined;
  readonly generation?: number | undefined;
}

/**
 * Returns an `apps.kruise.io/v1beta1` PersistentPodState for tests.
 *
 * @example aPersistentPodState({ podStates: { 'web-0': { nodeName: 'n1', nodeTopologyLabels: { 'topology.kubernetes.io/zone': 'zone-a' } } } })
 */
export function aPersistentPodState(options: PersistentPodStateOptions = {}): PersistentPodState {
  const required = options.required ?? ['topology.kubernetes.io/zone'];
  const spec: PersistentPodStateSpec = {
    targetRef: { apiVersion: options.targetApiVersion ?? 'apps.kruise.io/v1beta1', kind: 'StatefulSet', name: options.target ?? 'web' },
    ...(required.length === 0 ? {} : { requiredPersistentTopology: { nodeTopologyKeys: [...required] } }),
    ...(options.preferred === undefined ? {} : { preferredPersistentTopology: [{ weight: 100, preference: { nodeTopologyKeys: [...options.preferred] } }] }),
    ...(options.annotations === undefined ? {} : { persistentPodAnnotations: options.annotations.map((key) => ({ key })) }),
    ...(options.retention === undefined ? {} : { persistentPodStateRetentionPolicy: options.retention }),
  };
  return {
    apiVersion: PERSISTENTPODSTATE_API_VERSION,
    kind: PERSISTENTPODSTATE_KIND,
    metadata: { name: options.name ?? 'web', namespace: options.namespace ?? 'default', ...(options.generation === undefined ? {} : { generation: options.generation }) },
    spec,
    ...(options.podStates === undefined ? {} : { status: { podStates: { ...options.podStates } } }),
  };
}
