import { z } from 'zod';
import { imagePullJobTemplateShape } from './imagePullJob.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io` ImageListPullJob (`apis/apps/v1alpha1/imagelistpulljob_types.go`, the same
 * fields in v1beta1): one ImagePullJob per image of `spec.images`, each from the inline template.
 */

/** `apiVersion` of the ImageListPullJob (the storage version). */
export const IMAGELISTPULLJOB_API_VERSION = 'apps.kruise.io/v1beta1';
/** `apiVersion` of the older ImageListPullJob version OpenKruise still serves (same fields). */
export const IMAGELISTPULLJOB_V1ALPHA1_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of an ImageListPullJob. */
export const IMAGELISTPULLJOB_KIND = 'ImageListPullJob';
/** Most images one ImageListPullJob may list (OpenKruise's validating webhook: 255). */
export const MAX_IMAGES_PER_LIST_JOB = 255;

/** Schema of the `spec`. */
export const ImageListPullJobSpecSchema = z.looseObject({
  /** The images to pull, one ImagePullJob each (no duplicates, at most 255). */
  images: z.array(z.string()),
  ...imagePullJobTemplateShape,
});
/** The spec of an ImageListPullJob. */
export type ImageListPullJobSpec = z.infer<typeof ImageListPullJobSpecSchema>;

/** Schema of a `FailedImageStatus`: an ImagePullJob with failed nodes. */
export const FailedImageStatusSchema = z.looseObject({
  imagePullJob: z.string().optional(),
  /** The image. */
  name: z.string().optional(),
  message: z.string().optional(),
});
/** An image some nodes failed to pull. */
export type FailedImageStatus = z.infer<typeof FailedImageStatusSchema>;

/** Schema of the `status`. */
export const ImageListPullJobStatusSchema = z.looseObject({
  startTime: z.string().nullish(),
  completionTime: z.string().nullish(),
  /** ImagePullJobs wanted (the number of images). */
  desired: z.int32(),
  /** ImagePullJobs acknowledged and not finished. */
  active: z.int32().optional(),
  /** ImagePullJobs finished. */
  completed: z.int32().optional(),
  /** ImagePullJobs finished with every node succeeded. */
  succeeded: z.int32().optional(),
  failedImageStatuses: z.array(FailedImageStatusSchema).optional(),
});
/** The observed state of an ImageListPullJob. */
export type ImageListPullJobStatus = z.infer<typeof ImageListPullJobStatusSchema>;

/** Schema of an `apps.kruise.io` ImageListPullJob (both versions). */
export const ImageListPullJobSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: ImageListPullJobSpecSchema,
  status: ImageListPullJobStatusSchema.optional(),
});
/** An ImageListPullJob. */
export type ImageListPullJob = z.infer<typeof ImageListPullJobSchema>;
/** Schema of the v1alpha1 ImageListPullJob: the v1beta1 fields. */
export const ImageListPullJobV1alpha1Schema = ImageListPullJobSchema;
