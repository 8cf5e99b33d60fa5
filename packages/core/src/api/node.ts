import { z } from 'zod';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * A subset of core/v1 Node, what workload controllers read to place pods (Advanced DaemonSet's
 * node eligibility, update selectors): name and labels, taints, `unschedulable`, conditions.
 * Every object is a `looseObject`: a node read from the apiserver loses nothing.
 */

/** Schema of a taint effect: `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
export const TaintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
/** What a taint does to pods that do not tolerate it. */
export type TaintEffect = z.infer<typeof TaintEffectSchema>;

/** Schema of a node `Taint`. */
export const TaintSchema = z.looseObject({
  key: z.string(),
  value: z.string().optional(),
  effect: TaintEffectSchema,
  timeAdded: z.string().nullish(),
});
/** A node taint, e.g. `{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }`. */
export type Taint = z.infer<typeof TaintSchema>;

/** Schema of a `NodeCondition` (`Ready`, `MemoryPressure`...). */
export const NodeConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastHeartbeatTime: z.string().nullish(),
  lastTransitionTime: z.string().nullish(),
});
/** A condition of a node. */
export type NodeCondition = z.infer<typeof NodeConditionSchema>;

/** Schema of a core/v1 `Node` (the fields placement reads; the others pass through). */
export const NodeSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .looseObject({
      /** Cordoned: the scheduler places no new pod (DaemonSet pods tolerate the matching taint). */
      unschedulable: z.boolean().optional(),
      taints: z.array(TaintSchema).optional(),
    })
    .optional(),
  status: z
    .looseObject({
      conditions: z.array(NodeConditionSchema).optional(),
      /** What pods may request in total, by resource (`cpu`, `memory`, `pods`...). */
      allocatable: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    })
    .optional(),
});
/** A core/v1 Node (the subset placement reads; other fields pass through untouched). */
export type Node = z.infer<typeof NodeSchema>;

/** The taint the node lifecycle controller puts on a cordoned node. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** The taint of a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint of a node whose Ready condition is Unknown. */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The taint of a node under disk pressure. */
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
/** The taint of a node under memory pressure. */
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
/** The taint of a node under PID pressure. */
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
/** The taint of a node whose network is not configured. */
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
/** The field a node selector's `matchFields` may name: the node's name. */
export const NODE_NAME_FIELD = 'metadata.name';
