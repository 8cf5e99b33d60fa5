import { z } from 'zod';

// In a file of its own: nodeImage.ts needs it, and advancedCronJob.ts (where it was) imports
// nodeImage.ts through imageListPullJob.ts, a cycle that broke whichever loaded first.
/** Schema of a `corev1.ObjectReference` (an entry of an AdvancedCronJob's `status.active`, a NodeImage tag's owner). */
export const ObjectReferenceSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
});
/** A reference to an object (a running job of an AdvancedCronJob). */
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;
