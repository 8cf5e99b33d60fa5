import type { z } from 'zod';
import type { FieldProblem } from '../shared/fieldProblem.js';
import { IMAGELISTPULLJOB_API_VERSION, IMAGELISTPULLJOB_V1ALPHA1_API_VERSION, ImageListPullJobSchema, type ImageListPullJob } from './imageListPullJob.js';
import { IMAGEPULLJOB_API_VERSION, IMAGEPULLJOB_V1ALPHA1_API_VERSION, ImagePullJobSchema, type ImagePullJob } from './imagePullJob.js';
import { NODEIMAGE_API_VERSION, NODEIMAGE_V1ALPHA1_API_VERSION, NodeImageSchema, type NodeImage } from './nodeImage.js';
import { zodIssuesToProblems } from './parseCloneSet.js';

/** An object read from untrusted data, or every problem that kept it from parsing. */
export type ParsedImagePullObject<T> = { readonly kind: 'valid'; readonly value: T } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

function parseWith<S extends z.ZodType<{ apiVersion?: string | undefined }>>(schema: S, input: unknown, v1alpha1: string, storage: string): ParsedImagePullObject<z.infer<S>> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
  // Both versions have the same fields: converting only rewrites apiVersion.
  return { kind: 'valid', value: parsed.data.apiVersion === v1alpha1 ? { ...parsed.data, apiVersion: storage } : parsed.data };
}

/**
 * Returns an ImagePullJob read from untrusted data in the v1beta1 shape (a v1alpha1 object only
 * changes apiVersion), or every schema problem with its path.
 *
 * @example parseImagePullJob({ spec: { completionPolicy: {} } }) → { kind: 'invalid', problems: [{ path: 'spec.image', ... }] }
 */
export function parseImagePullJob(input: unknown): ParsedImagePullObject<ImagePullJob> {
  return parseWith(ImagePullJobSchema, input, IMAGEPULLJOB_V1ALPHA1_API_VERSION, IMAGEPULLJOB_API_VERSION);
}

/**
 * Returns an ImageListPullJob read from untrusted data in the v1beta1 shape, or every schema problem with its path.
 *
 * @example parseImageListPullJob({ spec: { images: 'nginx', completionPolicy: {} } }).kind // 'invalid' (spec.images)
 */
export function parseImageListPullJob(input: unknown): ParsedImagePullObject<ImageListPullJob> {
  return parseWith(ImageListPullJobSchema, input, IMAGELISTPULLJOB_V1ALPHA1_API_VERSION, IMAGELISTPULLJOB_API_VERSION);
}

/**
 * Returns a NodeImage read from untrusted data in the v1beta1 shape, or every schema problem with its path.
 *
 * @example parseNodeImage({ spec: { images: { nginx: {} } } }).kind // 'invalid' (spec.images.nginx.tags)
 */
export function parseNodeImage(input: unknown): ParsedImagePullObject<NodeImage> {
  return parseWith(NodeImageSchema, input, NODEIMAGE_V1ALPHA1_API_VERSION, NODEIMAGE_API_VERSION);
}
