import { apiVersionOf, Resources, type ResourceType } from '../resourceType.js';
import type { FieldError } from './apiErrors.js';
import type { JsonObject } from './jsonValue.js';
import { builtinListStrategy, customListStrategy, type ListStrategyOf } from './listStrategy.js';
import { admitBuiltinCreate, decodeBuiltin } from './builtinStrategies.js';
import { admitPodCreate, admitPodUpdate, decodePod, podCreateErrors, podUpdateErrors } from './podStrategy.js';

/** Where a kind's scale subresource reads and writes (the CRD's `subresources.scale`). */
export interface ScaleSubresource {
  /** `.spec.replicas` */
  readonly specReplicasPath: string;
  /** `.status.replicas` */
  readonly statusReplicasPath: string;
  /** `.status.labelSelector` (optional: the Scale then has no selector). */
  readonly labelSelectorPath?: string | undefined;
}

/** How the memory cluster serves one resource. */
export interface ResourceBehaviour {
  readonly type: ResourceType;
  /** `status` writes go through `/status` only (and main writes ignore `status`). */
  readonly statusSubresource: boolean;
  readonly scale: ScaleSubresource | undefined;
  /** `metadata.generation` is set and bumped on spec changes. */
  readonly generation: boolean;
  /** Strategic merge patches are accepted (built-in kinds). */
  readonly strategicMerge: boolean;
  readonly listStrategy: ListStrategyOf;
  /** Field labels a field selector may use besides metadata.name and metadata.namespace. */
  readonly fieldLabels: readonly string[];
  /** A replace without resourceVersion is accepted (built-in kinds; custom resources require one). */
  readonly unconditionalUpdate: boolean;
  /** Deletion waits for a grace period (pods). */
  readonly gracefulDeletion: boolean;
  /** Name format: `label` for namespaces, `subdomain` otherwise. */
  readonly nameFormat: 'subdomain' | 'label';
  /** What decoding does on every write: scheme defaults, Go serialization (mutates; before field ownership is recorded). */
  readonly decode?: (object: JsonObject) => void;
  /** Admission and strategy on create (mutates; after field ownership is recorded). */
  readonly admitCreate?: (object: JsonObject) => void;
  /** Admission on update (mutates). */
  readonly admitUpdate?: (object: JsonObject) => void;
  /** Field paths the kind's empty Go object already has (`spec`, `spec.containers`...): never counted as added by an update. */
  readonly alwaysPresent: readonly (readonly string[])[];
  readonly validateCreate?: (object: JsonObject) => FieldError[];
  readonly validateUpdate?: (before: JsonObject, after: JsonObject) => FieldError[];
}

/** Options of registering a kind in the memory cluster. */
export interface RegisterResourceOptions {
  /** Serve a `status` subresource (default true, as for a CRD with `subresources.status`). */
  readonly statusSubresource?: boolean;
  /** Serve a `scale` subresource. */
  readonly scale?: ScaleSubresource;
  /** Track `metadata.generation` (default true). */
  readonly generation?: boolean;
  /** Accept strategic merge patches with the built-in merge keys (default false, as for custom resources). */
  readonly strategicMerge?: boolean;
}

/** Returns the registry key of a resource: `group/plural` (`/pods` for the core group). */
export function resourceKey(type: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${type.group}/${type.plural}`;
}

function builtin(type: ResourceType, over: Partial<ResourceBehaviour> = {}): ResourceBehaviour {
  return {
    type,
    statusSubresource: false,
    scale: undefined,
    generation: false,
    strategicMerge: true,
    listStrategy: builtinListStrategy,
    fieldLabels: [],
    unconditionalUpdate: true,
    gracefulDeletion: false,
    nameFormat: 'subdomain',
    alwaysPresent: [['metadata'], ['spec'], ['status']],
    decode: (object) => {
      decodeBuiltin(type.kind, object);
    },
    admitCreate: (object) => {
      admitBuiltinCreate(type.kind, object);
    },
    ...over,
  };
}

const POD_FIELDS = ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'];
const REPLICAS = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };

/** Returns the built-in kinds the memory cluster serves from the start. */
function builtins(): ResourceBehaviour[] {
  return [
    builtin(Resources.Pod, {
      statusSubresource: true,
      generation: true,
      fieldLabels: POD_FIELDS,
      gracefulDeletion: true,
      alwaysPresent: [['metadata'], ['spec'], ['spec', 'containers'], ['status']],
      decode: decodePod,
      admitCreate: admitPodCreate,
      admitUpdate: admitPodUpdate,
      validateCreate: podCreateErrors,
      validateUpdate: podUpdateErrors,
    }),
    builtin(Resources.Node, { statusSubresource: true, fieldLabels: ['spec.unschedulable'] }),
    builtin(Resources.Namespace, { statusSubresource: true, fieldLabels: ['status.phase'], nameFormat: 'label' }),
    builtin(Resources.PersistentVolumeClaim, { statusSubresource: true, alwaysPresent: [['metadata'], ['spec'], ['spec', 'resources'], ['status']] }),
    builtin(Resources.StorageClass),
    builtin(Resources.ConfigMap),
    builtin(Resources.Secret, { fieldLabels: ['type'] }),
    builtin(Resources.Event, { fieldLabels: ['involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.uid', 'reason', 'type'] }),
    builtin(Resources.ControllerRevision),
    builtin(Resources.Lease),
    builtin(Resources.CustomResourceDefinition, { statusSubresource: true, generation: true, strategicMerge: false, listStrategy: customListStrategy, unconditionalUpdate: false }),
    builtin(Resources.Job, { statusSubresource: true, generation: true, fieldLabels: ['status.successful'] }),
    builtin(Resources.Deployment, { statusSubresource: true, generation: true, scale: REPLICAS }),
    // apps/v1 StatefulSets are served (a UnitedDeployment's children may be); no controller runs them.
    builtin(Resources.AppsStatefulSet, { statusSubresource: true, generation: true, scale: REPLICAS }),
  ];
}

/** The kinds a memory cluster serves, by registry key. */
export interface ResourceRegistry {
  /** Returns the behaviour of `type`, or undefined when the kind is not served. */
  find(type: Pick<ResourceType, 'group' | 'plural'>): ResourceBehaviour | undefined;
  /** Returns the behaviour of the kind with this apiVersion and kind, if served. */
  findKind(apiVersion: string, kind: string): ResourceBehaviour | undefined;
  /** Serves `type` (a custom resource unless options say otherwise); returns its key. */
  register(type: ResourceType, options?: RegisterResourceOptions): string;
  all(): ResourceBehaviour[];
}

/** Returns a registry holding the built-in kinds (pods, nodes, namespaces, config maps, jobs...). */
export function createResourceRegistry(): ResourceRegistry {
  const entries = new Map<string, ResourceBehaviour>(builtins().map((b) => [resourceKey(b.type), b]));
  return {
    find: (type) => entries.get(resourceKey(type)),
    findKind: (apiVersion, kind) => [...entries.values()].find((b) => b.type.kind === kind && apiVersionOf(b.type) === apiVersion),
    register(type, options = {}) {
      const key = resourceKey(type);
      entries.set(key, {
        type,
        statusSubresource: options.statusSubresource ?? true,
        scale: options.scale,
        generation: options.generation ?? true,
        strategicMerge: options.strategicMerge ?? false,
        listStrategy: options.strategicMerge === true ? builtinListStrategy : customListStrategy,
        fieldLabels: [],
        unconditionalUpdate: false,
        gracefulDeletion: false,
        nameFormat: 'subdomain',
        alwaysPresent: [['metadata']],
      });
      return key;
    },
    all: () => [...entries.values()],
  };
}
