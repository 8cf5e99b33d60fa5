import type { ObjectMeta, OwnerReference } from '../api/objectMeta.js';
import type { PersistentVolumeClaim, Pod, PodCondition } from '../api/pod.js';
import type { PodPatch, ResizePatch } from '../inplace/diffPodForPatch.js';
import type { StringMapPatch } from '../inplace/stringMapPatch.js';
import type { ControllerRevision } from '../shared/revision.js';
import type { PodConditionChange } from './podConditionChange.js';

/**
 * The effects a workload pass asks for: every write a Kruise workload controller makes, as plain
 * data. Core plans them; one executor in the controllers applies them in order, records the
 * expectations they need, retries what a conflict allows, and reports the outcome. The demo, the
 * offline planner and the property tests apply the same effects to a simulated world
 * ({@link simulateWorkloadEffects}), so there is one description of a pass, not several.
 */

/** Label and annotation changes a `patch-pod-status` carries (`null` deletes a key). */
export interface PodStatusMetadataPatch {
  readonly labels?: StringMapPatch;
  readonly annotations?: StringMapPatch;
}

/** A Kubernetes Event a pass asks to record on its workload. */
export interface PassEvent {
  readonly type: 'Normal' | 'Warning';
  /** UpperCamelCase reason, OpenKruise's (`SuccessfulCreate`, `FailedUpdatePodInPlace`...). */
  readonly reason: string;
  readonly message: string;
}

/** The events of one effect: recorded when it succeeds, and (with `: <error>` appended) when it fails. */
export interface EffectEvents {
  readonly success?: PassEvent;
  readonly failure?: PassEvent;
}

/** An existing object an effect writes: where it is, and the uid it must still have (else the write is refused). */
export interface ObjectRef {
  /** Namespace; absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  readonly uid: string;
}

/**
 * A workload object another workload owns and writes whole (a UnitedDeployment's CloneSets,
 * StatefulSets or Deployments): what the executor needs to find its resource, and the object.
 */
export interface OwnedObject {
  /** `apps.kruise.io/v1beta1`, `apps/v1`... */
  readonly apiVersion: string;
  /** `CloneSet`, `StatefulSet`, `Deployment`... */
  readonly kind: string;
  /** Its metadata; a new one may have `generateName` instead of `name`. */
  readonly metadata: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: unknown;
}

/** An existing owned object an effect writes: its resource (apiVersion and kind) and where it is. */
export interface OwnedRef extends ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
}

/** One RFC 6902 operation of a `patch-workload` effect. */
export type JsonPatchOp = { readonly op: 'test' | 'replace' | 'add'; readonly path: string; readonly value: unknown } | { readonly op: 'remove'; readonly path: string };

/** The workload condition a failed effect sets True: `type`, and a message of `messagePrefix` + the error. */
export interface FailureCondition {
  readonly type: string;
  /** Put before the error message (`StatefulPodControl failed to create Pod error: `). */
  readonly messagePrefix?: string;
}

/** What every workload effect carries. */
export interface WorkloadEffectBase {
  /** Why, in kebab-case, completing "… because `reason`" (`scale-up`, `in-place-update-started`). */
  readonly reason: string;
  /** Events to record on the workload for this effect. */
  readonly events?: EffectEvents;
  /** The condition this effect's failure sets (instead of the plan's `failureCondition`). */
  readonly failureCondition?: FailureCondition;
}

/**
 * One write of a pass. Pod writes are patches, never whole-object PUTs: a concurrent status
 * update by the kubelet does not conflict with them. Each carries the uid its target must still
 * have, so a pod deleted and re-created under the same name is never written by mistake.
 */
export type WorkloadEffect =
  | (WorkloadEffectBase & {
      /** Create the pod (the scale expectation `create` is recorded first). */
      readonly kind: 'create-pod';
      readonly pod: Pod;
    })
  | (WorkloadEffectBase & {
      /** Create a PVC for a pod about to be created; an existing one of the same workload that is not terminating is reused. */
      readonly kind: 'create-pvc';
      readonly pvc: PersistentVolumeClaim;
    })
  | (WorkloadEffectBase & { readonly kind: 'delete-pod'; readonly target: ObjectRef })
  | (WorkloadEffectBase & { readonly kind: 'delete-pvc'; readonly target: ObjectRef })
  | (WorkloadEffectBase & {
      /** Strategic-merge patch of the pod's labels, annotations, finalizers and container images/resources. */
      readonly kind: 'patch-pod';
      readonly target: ObjectRef;
      readonly patch: PodPatch;
    })
  | (WorkloadEffectBase & {
      /**
       * Change status conditions (strategic merge by `type`): `conditions` are the changed entries
       * computed from the pod the plan saw, `changes` what they express. With `guard`, the patch
       * holds only at the pod's `resourceVersion`; on a conflict the executor re-reads the pod and
       * recomputes the conditions from `changes` (a `KruisePodReady` message is shared by several
       * writers, so it is never overwritten blindly). `metadata`: label and annotation changes
       * sent in the same request (the pods/status strategy keeps them), one write instead of two
       * (see `coalescePodWrites`).
       */
      readonly kind: 'patch-pod-status';
      readonly target: ObjectRef;
      readonly conditions: readonly PodCondition[];
      readonly changes: readonly PodConditionChange[];
      readonly guard?: { readonly resourceVersion: string };
      readonly metadata?: PodStatusMetadataPatch;
    })
  | (WorkloadEffectBase & {
      /** New requests/limits through the `pods/resize` subresource (Kubernetes ≥ 1.32). */
      readonly kind: 'resize-pod';
      readonly target: ObjectRef;
      readonly resize: ResizePatch;
    })
  | (WorkloadEffectBase & {
      /** Drop the workload's ownerReference from a pod it owns that no longer matches its selector. */
      readonly kind: 'release-pod';
      readonly target: ObjectRef;
      readonly ownerUid: string;
    })
  | (WorkloadEffectBase & {
      /** Add the workload's controller reference to an orphan pod that matches it (adoption). */
      readonly kind: 'adopt-pod';
      readonly target: ObjectRef;
      readonly owner: OwnerReference;
    })
  | (WorkloadEffectBase & {
      /**
       * Replace a PVC's owner references with `ownerReferences` (retention policy: the set, the
       * pod, or neither own it), only while the PVC is still at `resourceVersion`.
       */
      readonly kind: 'set-pvc-owners';
      readonly target: ObjectRef;
      readonly resourceVersion: string;
      readonly ownerReferences: readonly OwnerReference[];
    })
  | (WorkloadEffectBase & {
      /** Expand a PVC: merge `resources` into its spec and `annotations` into its metadata. */
      readonly kind: 'resize-pvc';
      readonly target: ObjectRef;
      readonly resources: Readonly<Record<string, unknown>>;
      readonly annotations: Readonly<Record<string, string>>;
    })
  | (WorkloadEffectBase & {
      /** Make `owner` (an inactive pod) the controller of a PVC, so it goes with that pod. */
      readonly kind: 'hand-over-pvc';
      readonly target: ObjectRef;
      readonly owner: OwnerReference;
    })
  | (WorkloadEffectBase & {
      /** Create a ControllerRevision; a name taken by other data is a hash collision. */
      readonly kind: 'create-revision';
      readonly revision: ControllerRevision;
    })
  | (WorkloadEffectBase & {
      /** Move an older revision to the top (a rollback): `revision` from `from` to `to`, only while it is still `from`. */
      readonly kind: 'renumber-revision';
      readonly target: ObjectRef;
      readonly from: number;
      readonly to: number;
    })
  | (WorkloadEffectBase & { readonly kind: 'delete-revision'; readonly target: ObjectRef })
  | (WorkloadEffectBase & {
      /** Create an object the workload owns (its ownerReference set); a `generateName` gets a name from the apiserver. */
      readonly kind: 'create-owned';
      readonly object: OwnedObject;
    })
  | (WorkloadEffectBase & {
      /** JSON patch of an owned object (the executor adds a `test` of its uid first). */
      readonly kind: 'patch-owned';
      readonly target: OwnedRef;
      readonly operations: readonly JsonPatchOp[];
    })
  | (WorkloadEffectBase & { readonly kind: 'delete-owned'; readonly target: OwnedRef })
  | (WorkloadEffectBase & {
      /** JSON patch of the workload's spec (a `test` first where the pass read a value it replaces). */
      readonly kind: 'patch-workload';
      readonly operations: readonly JsonPatchOp[];
    });

/** The effect kinds, for exhaustive handling. */
export type WorkloadEffectKind = WorkloadEffect['kind'];

/**
 * Returns the name of the object an effect writes (the pod's, PVC's or revision's; `''` for the
 * workload itself).
 *
 * @example effectObjectName({ kind: 'delete-pod', target: { name: 'web-a', uid: 'u1' }, reason: 'scale-down' }) // 'web-a'
 */
export function effectObjectName(effect: WorkloadEffect): string {
  switch (effect.kind) {
    case 'create-pod':
      return effect.pod.metadata.name ?? '';
    case 'create-pvc':
      return effect.pvc.metadata.name ?? '';
    case 'create-revision':
      return effect.revision.metadata.name ?? '';
    case 'patch-workload':
      return '';
    case 'create-owned':
      return effect.object.metadata.name ?? effect.object.metadata.generateName ?? '';
    case 'patch-owned':
    case 'delete-owned':
      return effect.target.name;
    case 'delete-pod':
    case 'delete-pvc':
    case 'adopt-pod':
    case 'delete-revision':
    case 'hand-over-pvc':
    case 'resize-pvc':
    case 'set-pvc-owners':
    case 'patch-pod':
    case 'patch-pod-status':
    case 'release-pod':
    case 'renumber-revision':
    case 'resize-pod':
      return effect.target.name;
  }
}
