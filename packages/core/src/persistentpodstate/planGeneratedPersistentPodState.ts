import type { ObjectMeta } from '../api/objectMeta.js';
import {
  AUTO_GENERATE_PERSISTENT_POD_STATE_ANNOTATION,
  PERSISTENT_POD_ANNOTATIONS_ANNOTATION,
  PERSISTENTPODSTATE_API_VERSION,
  PERSISTENTPODSTATE_KIND,
  PREFERRED_PERSISTENT_TOPOLOGY_ANNOTATION,
  REQUIRED_PERSISTENT_TOPOLOGY_ANNOTATION,
  type PersistentPodState,
  type PersistentPodStateSpec,
} from '../api/persistentPodState.js';
import { jsonEqual } from '../inplace/diffJson.js';

/** A StatefulSet (either kind) as auto-generation reads it. */
export interface GeneratingWorkload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Pick<ObjectMeta, 'name' | 'namespace' | 'uid' | 'annotations'>;
}

/** What to do with the PersistentPodState generated for a workload (named as the workload). */
export type GeneratedPersistentPodStateDecision =
  | { readonly kind: 'create'; readonly pps: PersistentPodState }
  | { readonly kind: 'update-spec'; readonly spec: PersistentPodStateSpec }
  | { readonly kind: 'delete'; readonly reason: 'auto-generation-off' }
  | { readonly kind: 'none'; readonly reason: 'up-to-date' | 'no-topology-annotation' | 'not-generated' };

const keysOf = (value: string | undefined): string[] | undefined => (value === undefined || value === '' ? undefined : value.split(','));

/**
 * Returns the spec OpenKruise generates from a workload's annotations: targetRef the workload;
 * `kruise.io/required-persistent-topology` → requiredPersistentTopology keys;
 * `kruise.io/preferred-persistent-topology` → one preferred term of weight 100;
 * `kruise.io/persistent-pod-annotations` → persistentPodAnnotations (values split on `,`).
 *
 * @example annotations { required: 'topology.kubernetes.io/zone', preferred: 'kubernetes.io/hostname' } →
 *   { targetRef, requiredPersistentTopology: { nodeTopologyKeys: ['topology.kubernetes.io/zone'] },
 *     preferredPersistentTopology: [{ weight: 100, preference: { nodeTopologyKeys: ['kubernetes.io/hostname'] } }] }
 */
export function generatedPersistentPodStateSpec(workload: GeneratingWorkload): PersistentPodStateSpec {
  const annotations = workload.metadata.annotations ?? {};
  const required = keysOf(annotations[REQUIRED_PERSISTENT_TOPOLOGY_ANNOTATION]);
  const preferred = keysOf(annotations[PREFERRED_PERSISTENT_TOPOLOGY_ANNOTATION]);
  const persistent = keysOf(annotations[PERSISTENT_POD_ANNOTATIONS_ANNOTATION]);
  return {
    targetRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name ?? '' },
    ...(required === undefined ? {} : { requiredPersistentTopology: { nodeTopologyKeys: required } }),
    ...(persistent === undefined ? {} : { persistentPodAnnotations: persistent.map((key) => ({ key })) }),
    ...(preferred === undefined ? {} : { preferredPersistentTopology: [{ weight: 100, preference: { nodeTopologyKeys: preferred } }] }),
  };
}

/**
 * Returns what becomes of the PersistentPodState generated for a workload, as OpenKruise's
 * `autoGeneratePersistentPodState`: with `kruise.io/auto-generate-persistent-pod-state: "true"` and
 * a required or preferred topology annotation, create it (named as the workload, controlled by it)
 * or bring its spec up to date; with `"true"` but neither topology annotation, nothing; without
 * `"true"`, delete the one of that name if there is one (OpenKruise deletes it whoever made it).
 *
 * @example annotations auto "true" + required zone, none existing → { kind: 'create', pps: { metadata: { name: 'web', ownerReferences: [web] }, spec } }
 */
export function planGeneratedPersistentPodState(workload: GeneratingWorkload, existing: PersistentPodState | undefined): GeneratedPersistentPodStateDecision {
  const annotations = workload.metadata.annotations ?? {};
  if (annotations[AUTO_GENERATE_PERSISTENT_POD_STATE_ANNOTATION] !== 'true') {
    return existing === undefined ? { kind: 'none', reason: 'not-generated' } : { kind: 'delete', reason: 'auto-generation-off' };
  }
  if ((annotations[REQUIRED_PERSISTENT_TOPOLOGY_ANNOTATION] ?? '') === '' && (annotations[PREFERRED_PERSISTENT_TOPOLOGY_ANNOTATION] ?? '') === '') return { kind: 'none', reason: 'no-topology-annotation' };
  const spec = generatedPersistentPodStateSpec(workload);
  if (existing !== undefined) return jsonEqual(existing.spec, spec) ? { kind: 'none', reason: 'up-to-date' } : { kind: 'update-spec', spec };
  const owner = { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name ?? '', uid: workload.metadata.uid ?? '', controller: true };
  return {
    kind: 'create',
    pps: { apiVersion: PERSISTENTPODSTATE_API_VERSION, kind: PERSISTENTPODSTATE_KIND, metadata: { name: workload.metadata.name ?? '', namespace: workload.metadata.namespace ?? '', ownerReferences: [owner] }, spec },
  };
}
