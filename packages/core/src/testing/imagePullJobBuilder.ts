import { IMAGELISTPULLJOB_API_VERSION, IMAGELISTPULLJOB_KIND, type ImageListPullJob } from '../api/imageListPullJob.js';
import { IMAGEPULLJOB_API_VERSION, IMAGEPULLJOB_KIND, type ImagePullJob, type ImagePullJobSpec, type ImagePullJobStatus, type ImagePullJobTemplate } from '../api/imagePullJob.js';
import { NODEIMAGE_API_VERSION, NODEIMAGE_KIND, type ImageSpec, type ImageStatus, type NodeImage, type NodeImageStatus } from '../api/nodeImage.js';

/** Options of {@link anImagePullJob}: any spec field, plus metadata. */
export type ImagePullJobOptions = Partial<ImagePullJobSpec> & {
  /** `metadata.name` (default `pull-nginx`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  /** `metadata.uid` (default `uid-<name>`). */
  readonly uid?: string;
  /** `metadata.creationTimestamp`. */
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly status?: ImagePullJobStatus;
};

/**
 * Returns an `apps.kruise.io/v1beta1` ImagePullJob for tests: image `nginx:1.25` (default),
 * completionPolicy `{ type: 'Always' }` unless given, other spec fields as given.
 *
 * @example anImagePullJob({ parallelism: 2, selector: { names: ['node-1', 'node-2'] } }) → `default/pull-nginx` pulling nginx:1.25 on two nodes, two at a time
 */
export function anImagePullJob(options: ImagePullJobOptions = {}): ImagePullJob {
  const { name = 'pull-nginx', namespace = 'default', uid, creationTimestamp, labels, status, image = 'nginx:1.25', completionPolicy = { type: 'Always' }, ...spec } = options;
  return {
    apiVersion: IMAGEPULLJOB_API_VERSION,
    kind: IMAGEPULLJOB_KIND,
    metadata: { name, namespace, uid: uid ?? `uid-${name}`, ...(creationTimestamp === undefined ? {} : { creationTimestamp }), ...(labels === undefined ? {} : { labels: { ...labels } }) },
    spec: { image, completionPolicy, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

/**
 * Returns an `apps.kruise.io/v1beta1` ImageListPullJob for tests (default images `nginx:1.25` and
 * `busybox:1.36`, completionPolicy Always).
 *
 * @example anImageListPullJob({ images: ['a:1'] }) → `default/pull-list` with one image
 */
export function anImageListPullJob(options: Partial<ImagePullJobTemplate> & { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly images?: readonly string[] } = {}): ImageListPullJob {
  const { name = 'pull-list', namespace = 'default', uid, images = ['nginx:1.25', 'busybox:1.36'], completionPolicy = { type: 'Always' }, ...spec } = options;
  return {
    apiVersion: IMAGELISTPULLJOB_API_VERSION,
    kind: IMAGELISTPULLJOB_KIND,
    metadata: { name, namespace, uid: uid ?? `uid-${name}` },
    spec: { images: [...images], completionPolicy, ...spec },
  };
}

/**
 * Returns an `apps.kruise.io/v1beta1` NodeImage for tests, named after its node, with the given
 * images, labels and status.
 *
 * @example aNodeImage('node-1', { images: { nginx: { tags: [{ tag: '1.25', version: 0 }] } } })
 */
export function aNodeImage(
  nodeName: string,
  options: { readonly images?: Readonly<Record<string, ImageSpec>>; readonly labels?: Readonly<Record<string, string>>; readonly imageStatuses?: Readonly<Record<string, ImageStatus>>; readonly status?: NodeImageStatus; readonly uid?: string } = {},
): NodeImage {
  const status = options.status ?? (options.imageStatuses === undefined ? undefined : { desired: 0, imageStatuses: { ...options.imageStatuses } });
  return {
    apiVersion: NODEIMAGE_API_VERSION,
    kind: NODEIMAGE_KIND,
    metadata: { name: nodeName, uid: options.uid ?? `uid-ni-${nodeName}`, ...(options.labels === undefined ? {} : { labels: { ...options.labels } }) },
    spec: options.images === undefined ? {} : { images: { ...options.images } },
    ...(status === undefined ? {} : { status }),
  };
}
