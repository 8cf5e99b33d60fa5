import { z } from 'zod';
import type { PodSpec } from './pod.js';

/**
 * The placement constraints of a pod spec (core/v1 `Toleration`, `NodeSelector`, `NodeAffinity`,
 * `Affinity`) as zod schemas, and readers that take them from a pod spec whose `tolerations` and
 * `affinity` the {@link PodSpec} subset keeps as unknown fields.
 */

/** Schema of a pod `Toleration`; `operator` `Equal` (default) or `Exists`, `effect` empty for all. */
export const TolerationSchema = z.looseObject({
  key: z.string().optional(),
  operator: z.string().optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
  tolerationSeconds: z.number().int().nullish(),
});
/** A toleration, e.g. `{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }`. */
export type Toleration = z.infer<typeof TolerationSchema>;

/** Schema of a `NodeSelectorRequirement`: `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`. */
export const NodeSelectorRequirementSchema = z.looseObject({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).nullish(),
});
/** One requirement on node labels (`matchExpressions`) or fields (`matchFields`). */
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirementSchema>;

/** Schema of a `NodeSelectorTerm`: every requirement must hold; an empty term matches no node. */
export const NodeSelectorTermSchema = z.looseObject({
  matchExpressions: z.array(NodeSelectorRequirementSchema).nullish(),
  matchFields: z.array(NodeSelectorRequirementSchema).nullish(),
});
/** A node selector term. */
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;

/** Schema of a core/v1 `PreferredSchedulingTerm`: a node selector term and its weight (1–100). */
export const WeightedNodeSelectorTermSchema = z.looseObject({ weight: z.number().int(), preference: NodeSelectorTermSchema });
/** A weighted node preference, e.g. `{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }`. */
export type WeightedNodeSelectorTerm = z.infer<typeof WeightedNodeSelectorTermSchema>;

/** Schema of a `NodeSelector`: the terms are ORed. */
export const NodeSelectorSchema = z.looseObject({ nodeSelectorTerms: z.array(NodeSelectorTermSchema) });
/** A node selector (required node affinity). */
export type NodeSelector = z.infer<typeof NodeSelectorSchema>;

/** Schema of a `NodeAffinity` (preferred terms kept loosely). */
export const NodeAffinitySchema = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelectorSchema.nullish(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.unknown()).nullish(),
});
/** Node affinity of a pod. */
export type NodeAffinity = z.infer<typeof NodeAffinitySchema>;

/** Schema of a pod `Affinity` (pod affinity and anti-affinity kept loosely). */
export const AffinitySchema = z.looseObject({
  nodeAffinity: NodeAffinitySchema.nullish(),
  podAffinity: z.unknown().optional(),
  podAntiAffinity: z.unknown().optional(),
});
/** Affinity of a pod. */
export type Affinity = z.infer<typeof AffinitySchema>;

/**
 * Returns the tolerations of a pod spec, or `[]` when it has none (or they cannot be read).
 *
 * @example podTolerations({ containers: [], tolerations: [{ key: 'a', operator: 'Exists' }] }) // [{ key: 'a', operator: 'Exists' }]
 */
export function podTolerations(spec: PodSpec): Toleration[] {
  const parsed = z.array(TolerationSchema).safeParse(spec.tolerations ?? []);
  return parsed.success ? parsed.data : [];
}

/**
 * Returns the affinity of a pod spec, or `undefined` when it has none (or it cannot be read).
 *
 * @example podAffinity({ containers: [] }) // undefined
 */
export function podAffinity(spec: PodSpec): Affinity | undefined {
  if (spec.affinity === undefined || spec.affinity === null) return undefined;
  const parsed = AffinitySchema.safeParse(spec.affinity);
  return parsed.success ? parsed.data : undefined;
}

/** Returns whether the pod spec asks for the host's network (`hostNetwork: true`). */
export function usesHostNetwork(spec: PodSpec): boolean {
  return spec.hostNetwork === true;
}
