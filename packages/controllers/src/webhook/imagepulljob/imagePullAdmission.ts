import {
  diffJson,
  formatTime,
  parseImageListPullJob,
  parseImagePullJob,
  parseNodeImage,
  validateImageListPullJob,
  validateImagePullJob,
  validateNodeImage,
  withImageListPullJobDefaults,
  withImagePullJobDefaults,
  withNodeImageDefaults,
  type FieldProblem,
} from '@kruise-ts/core';
import type { Clock } from '@kruise-ts/k8s-adapter';
import { allow, allowWithPatch, deny, denyProblems } from '../admissionDecisions.js';
import type { AdmissionDecision, AdmissionRequest, AdmissionWebhook, AdmissionWebhookSpec } from '../admissionTypes.js';
import { readAdmissionObject, type ParsedObject } from '../readAdmissionObject.js';

type Json = Record<string, unknown>;

/** The gates the image pre-pull webhooks read (OpenKruise's defaults when absent: KruiseDaemon on, ImagePullJobGate off). */
export interface ImagePullWebhookGates {
  readonly KruiseDaemon?: boolean | undefined;
  readonly ImagePullJobGate?: boolean | undefined;
}

const rules = (resource: string) => [{ apiGroups: ['apps.kruise.io'], apiVersions: ['v1alpha1', 'v1beta1'], resources: [resource], operations: ['CREATE', 'UPDATE'] }] as const;
const spec = (name: string, type: 'mutating' | 'validating', resource: string, kind: string): AdmissionWebhookSpec => ({
  name,
  path: `/${type === 'mutating' ? 'mutate' : 'validate'}-apps-kruise-io-v1alpha1-${kind}`,
  type,
  rules: rules(resource),
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
});

/** Defaulting of NodeImages (OpenKruise `mnodeimage.kb.io`). */
export const NODEIMAGE_MUTATING_WEBHOOK = spec('mnodeimage.kb.io', 'mutating', 'nodeimages', 'nodeimage');
/** Validation of NodeImages (OpenKruise `vnodeimage.kb.io`). */
export const NODEIMAGE_VALIDATING_WEBHOOK = spec('vnodeimage.kb.io', 'validating', 'nodeimages', 'nodeimage');
/** Defaulting of ImagePullJobs (OpenKruise `mimagepulljob.kb.io`). */
export const IMAGEPULLJOB_MUTATING_WEBHOOK = spec('mimagepulljob.kb.io', 'mutating', 'imagepulljobs', 'imagepulljob');
/** Validation of ImagePullJobs (OpenKruise `vimagepulljob.kb.io`). */
export const IMAGEPULLJOB_VALIDATING_WEBHOOK = spec('vimagepulljob.kb.io', 'validating', 'imagepulljobs', 'imagepulljob');
/** Defaulting of ImageListPullJobs (OpenKruise `mimagelistpulljob.kb.io`). */
export const IMAGELISTPULLJOB_MUTATING_WEBHOOK = spec('mimagelistpulljob.kb.io', 'mutating', 'imagelistpulljobs', 'imagelistpulljob');
/** Validation of ImageListPullJobs (OpenKruise `vimagelistpulljob.kb.io`). */
export const IMAGELISTPULLJOB_VALIDATING_WEBHOOK = spec('vimagelistpulljob.kb.io', 'validating', 'imagelistpulljobs', 'imagelistpulljob');

function mutating<T extends Json>(webhook: AdmissionWebhookSpec, parse: (object: Json) => ParsedObject<T>, what: string, defaults: (value: T) => T): AdmissionWebhook {
  return {
    ...webhook,
    handle(request: AdmissionRequest): AdmissionDecision {
      const read = readAdmissionObject(request, 'object', parse, what);
      if (read.kind === 'denied') return read.decision;
      // Both versions have the same fields: only apiVersion is put back.
      const result: Json = { ...defaults(read.value), apiVersion: read.object['apiVersion'] };
      return allowWithPatch(diffJson(read.object, result));
    },
  };
}

function validating<T>(webhook: AdmissionWebhookSpec, parse: (object: Json) => ParsedObject<T>, what: string, gatesNeeded: readonly string[], enabled: (gate: string) => boolean, validate: (value: T) => readonly FieldProblem[]): AdmissionWebhook {
  return {
    ...webhook,
    handle(request: AdmissionRequest): AdmissionDecision {
      if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allow();
      const read = readAdmissionObject(request, 'object', parse, what);
      if (read.kind === 'denied') return read.decision;
      const off = gatesNeeded.find((gate) => !enabled(gate));
      if (off !== undefined) return deny(`feature-gate ${off} is not enabled`, { code: 403 });
      const problems = validate(read.value);
      return problems.length === 0 ? allow() : denyProblems(problems);
    },
  };
}

/**
 * Returns the six image pre-pull admission webhooks as OpenKruise serves them (failurePolicy Fail,
 * v1alpha1 and v1beta1): defaulting (`withNodeImageDefaults` at the clock's now,
 * `withImagePullJobDefaults`, `withImageListPullJobDefaults`, as a JSON patch) and validation
 * (`validateNodeImage`, `validateImagePullJob`, `validateImageListPullJob`, 422 with field paths),
 * the validation refusing with 403 while KruiseDaemon is off, and for the jobs while
 * ImagePullJobGate is off (`feature-gate ImagePullJobGate is not enabled`).
 *
 * @example CREATE ImagePullJob `{ spec: { image: 'nginx', completionPolicy: {} } }` → patch adding
 *   `/spec/completionPolicy/type` Always, `/spec/pullPolicy` { timeoutSeconds: 600, backoffLimit: 3 }, `/spec/imagePullPolicy` IfNotPresent
 */
export function imagePullAdmissionWebhooks(options: { readonly featureGates?: ImagePullWebhookGates | undefined; readonly clock: Clock }): readonly AdmissionWebhook[] {
  const gates = { KruiseDaemon: true, ImagePullJobGate: false, ...Object.fromEntries(Object.entries(options.featureGates ?? {}).filter(([, v]) => v !== undefined)) } as Record<string, boolean>;
  const enabled = (gate: string): boolean => gates[gate] === true;
  return [
    mutating(NODEIMAGE_MUTATING_WEBHOOK, parseNodeImage, 'NodeImage', (ni) => withNodeImageDefaults(ni, formatTime(options.clock.now()))),
    validating(NODEIMAGE_VALIDATING_WEBHOOK, parseNodeImage, 'NodeImage', ['KruiseDaemon'], enabled, validateNodeImage),
    mutating(IMAGEPULLJOB_MUTATING_WEBHOOK, parseImagePullJob, 'ImagePullJob', withImagePullJobDefaults),
    validating(IMAGEPULLJOB_VALIDATING_WEBHOOK, parseImagePullJob, 'ImagePullJob', ['KruiseDaemon', 'ImagePullJobGate'], enabled, validateImagePullJob),
    mutating(IMAGELISTPULLJOB_MUTATING_WEBHOOK, parseImageListPullJob, 'ImageListPullJob', withImageListPullJobDefaults),
    validating(IMAGELISTPULLJOB_VALIDATING_WEBHOOK, parseImageListPullJob, 'ImageListPullJob', ['KruiseDaemon', 'ImagePullJobGate'], enabled, validateImageListPullJob),
  ];
}
