import { z } from 'zod';

/**
 * Schema of a Kubernetes `OwnerReference`: the object that owns this one (for garbage collection
 * and adoption).
 */
export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
/** A Kubernetes `OwnerReference`. */
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

/**
 * Schema of the subset of `metav1.ObjectMeta` the algorithms read. Unknown fields are kept
 * (`looseObject`) so a round trip through the schema loses nothing.
 */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  // Go writes the zero time of a template's metadata as `creationTimestamp: null`.
  creationTimestamp: z.string().nullable().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
});
/** Object metadata: name, namespace, labels, annotations, owners, timestamps (RFC 3339 strings). */
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
