import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { parseImageReference } from '../shared/imageReference.js';
import { validateLabelSelector } from '../shared/selector.js';
import { MAX_IMAGES_PER_LIST_JOB, type ImageListPullJob } from './imageListPullJob.js';
import type { ImagePullJob, ImagePullJobTemplate } from './imagePullJob.js';
import { DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS } from './withImagePullJobDefaults.js';

function imageProblems(image: string, path: string): FieldProblem[] {
  if (image === '') return [fieldProblem(path, 'Required value: image can not be empty')];
  const parsed = parseImageReference(image);
  return parsed.kind === 'valid' ? [] : [fieldProblem(path, `Invalid value: ${JSON.stringify(image)}: invalid image ${image}: ${parsed.message}`)];
}

function templateProblems(spec: ImagePullJobTemplate, checkDeadline: boolean): FieldProblem[] {
  const { selector, podSelector, completionPolicy } = spec;
  const hasLabels = selector?.matchLabels !== undefined || selector?.matchExpressions !== undefined;
  const names = selector?.names ?? [];
  const timeoutSeconds = spec.pullPolicy?.timeoutSeconds ?? DEFAULT_IMAGE_PULL_TIMEOUT_SECONDS;
  const type = completionPolicy.type ?? '';
  return [
    ...(hasLabels && selector.names !== undefined ? [fieldProblem('spec.selector', 'Invalid value: can not set both names and labelSelector in this spec.selector')] : []),
    ...(selector !== undefined && hasLabels ? validateLabelSelector(selector, 'spec.selector') : []),
    ...(new Set(names).size !== names.length ? [fieldProblem('spec.selector.names', 'Duplicate value: duplicated name in selector names')] : []),
    ...(podSelector !== undefined && selector !== undefined ? [fieldProblem('spec.podSelector', 'Invalid value: can not set both selector and podSelector')] : []),
    ...(podSelector !== undefined ? validateLabelSelector(podSelector, 'spec.podSelector') : []),
    ...(type === 'Always' && checkDeadline && completionPolicy.activeDeadlineSeconds !== undefined && timeoutSeconds > completionPolicy.activeDeadlineSeconds
      ? [fieldProblem('spec.completionPolicy.activeDeadlineSeconds', `Invalid value: ${String(completionPolicy.activeDeadlineSeconds)}: completionPolicy.activeDeadlineSeconds must be greater than pullPolicy.timeoutSeconds(default 600)`)]
      : []),
    ...(type === 'Never' && (completionPolicy.activeDeadlineSeconds !== undefined || completionPolicy.ttlSecondsAfterFinished !== undefined)
      ? [fieldProblem('spec.completionPolicy', 'Invalid value: activeDeadlineSeconds and ttlSecondsAfterFinished can only work with Always CompletionPolicyType')]
      : []),
    ...(type !== 'Always' && type !== 'Never' ? [fieldProblem('spec.completionPolicy.type', `Unsupported value: ${JSON.stringify(type)}: unknown type of completionPolicy`)] : []),
  ];
}

/**
 * Returns every problem of an ImagePullJob as OpenKruise's validating webhook
 * (`pkg/webhook/imagepulljob/validating`) finds them, each with its field path: `selector.names`
 * and a label selector not both, no duplicate names, valid selectors, `podSelector` not with
 * `selector`, an image that is a Docker reference, `activeDeadlineSeconds` not below
 * `pullPolicy.timeoutSeconds` (default 600) for Always, no deadline nor TTL for Never, a known
 * completion type. OpenKruise stops at the first; this returns them all.
 *
 * @example image 'Nginx' → `[{ path: 'spec.image', message: 'Invalid value: "Nginx": invalid image Nginx: repository name must be lowercase' }]`
 * @example Always with activeDeadlineSeconds 300 and the default timeout 600 → a problem at 'spec.completionPolicy.activeDeadlineSeconds'
 */
export function validateImagePullJob(job: ImagePullJob): readonly FieldProblem[] {
  return [...imageProblems(job.spec.image, 'spec.image'), ...templateProblems(job.spec, true)];
}

/**
 * Returns every problem of an ImageListPullJob as OpenKruise's validating webhook
 * (`pkg/webhook/imagelistpulljob/validating`) finds them: the template rules of
 * {@link validateImagePullJob} (without the deadline-versus-timeout rule, which OpenKruise checks
 * only on ImagePullJobs), at least one image, no duplicates, at most 255, each a Docker reference.
 *
 * @example images ['nginx', 'nginx'] → `[{ path: 'spec.images[1]', message: 'Duplicate value: "nginx": images cannot have duplicate values' }]`
 */
export function validateImageListPullJob(job: ImageListPullJob): readonly FieldProblem[] {
  const { images } = job.spec;
  const duplicates = images.flatMap((image, i) => (images.indexOf(image) < i ? [fieldProblem(`spec.images[${String(i)}]`, `Duplicate value: ${JSON.stringify(image)}: images cannot have duplicate values`)] : []));
  return [
    ...templateProblems(job.spec, false),
    ...(images.length === 0 ? [fieldProblem('spec.images', 'Required value: image can not be empty')] : []),
    ...duplicates,
    ...(images.length > MAX_IMAGES_PER_LIST_JOB ? [fieldProblem('spec.images', `Too many: ${String(images.length)}: the maximum number of images cannot > ${String(MAX_IMAGES_PER_LIST_JOB)}`)] : []),
    ...images.flatMap((image, i) => (image === '' ? [] : imageProblems(image, `spec.images[${String(i)}]`))),
  ];
}
