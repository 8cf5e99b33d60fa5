import type { AdmissionDecision, AdmissionOperation, AdmissionRequest } from './admissionTypes.js';
import { isJsonObject as isObject, type JsonObject } from './jsonObject.js';

/** apiVersion of the AdmissionReviews the server speaks. */
export const ADMISSION_REVIEW_API_VERSION = 'admission.k8s.io/v1';

const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

const isString = (value: unknown): value is string => typeof value === 'string';
/** JSON of a value for a message; `nothing` when absent. */
const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** A request read from an AdmissionReview body, or why the body is not one. */
export type ParsedAdmissionReview = { readonly kind: 'ok'; readonly request: AdmissionRequest } | { readonly kind: 'invalid'; readonly message: string };

function groupVersion(value: unknown, field: string, last: 'kind' | 'resource'): string | undefined {
  if (!isObject(value)) return `${field} must be an object`;
  if (!isString(value.group) && value.group !== undefined) return `${field}.group must be a string`;
  if (!isString(value.version) || value.version === '') return `${field}.version must be a non-empty string`;
  if (!isString(value[last]) || value[last] === '') return `${field}.${last} must be a non-empty string`;
  return undefined;
}

/**
 * Returns the request of an `admission.k8s.io/v1` AdmissionReview decoded from JSON, checking the
 * envelope (apiVersion, kind, `request.uid`, `kind`, `resource`, `operation`) but not the object,
 * which is the handler's business.
 *
 * @example parseAdmissionReview({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u' } })
 *   → { kind: 'invalid', message: 'request.kind must be an object' }
 */
export function parseAdmissionReview(body: unknown): ParsedAdmissionReview {
  const invalid = (message: string): ParsedAdmissionReview => ({ kind: 'invalid', message });
  if (!isObject(body)) return invalid('body must be a JSON object (an AdmissionReview)');
  if (body.kind !== 'AdmissionReview') return invalid(`kind must be AdmissionReview, got ${shown(body.kind)}`);
  if (body.apiVersion !== ADMISSION_REVIEW_API_VERSION) return invalid(`apiVersion must be ${ADMISSION_REVIEW_API_VERSION}, got ${shown(body.apiVersion)}`);
  const request = body.request;
  if (!isObject(request)) return invalid('request must be an object');
  if (!isString(request.uid) || request.uid === '') return invalid('request.uid must be a non-empty string');
  const problem = groupVersion(request.kind, 'request.kind', 'kind') ?? groupVersion(request.resource, 'request.resource', 'resource');
  if (problem !== undefined) return invalid(problem);
  if (!isString(request.operation) || !OPERATIONS.includes(request.operation)) return invalid(`request.operation must be one of ${OPERATIONS.join(', ')}`);
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    if (request[field] !== undefined && !isString(request[field])) return invalid(`request.${field} must be a string`);
  }
  const kind = request.kind as JsonObject;
  const resource = request.resource as JsonObject;
  const parsed: AdmissionRequest = {
    ...request,
    uid: request.uid,
    kind: { group: isString(kind.group) ? kind.group : '', version: kind.version as string, kind: kind.kind as string },
    resource: { group: isString(resource.group) ? resource.group : '', version: resource.version as string, resource: resource.resource as string },
    operation: request.operation as AdmissionOperation,
    dryRun: request.dryRun === true,
  };
  return { kind: 'ok', request: parsed };
}

/**
 * Returns the AdmissionReview answering request `uid` with `decision`: `allowed`, the JSON patch
 * base64-encoded with `patchType: JSONPatch`, or `status` with the code, reason, message and
 * causes of a denial.
 *
 * @example admissionResponse('u', { kind: 'deny', message: 'spec.replicas: must be >= 0', code: 422 }) →
 *   { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: false, status: { status: 'Failure', code: 422, message: 'spec.replicas: must be >= 0' } } }
 */
export function admissionResponse(uid: string, decision: AdmissionDecision): JsonObject {
  const warnings = decision.warnings !== undefined && decision.warnings.length > 0 ? { warnings: [...decision.warnings] } : {};
  let response: JsonObject;
  if (decision.kind === 'allow') {
    const patch = decision.patch ?? [];
    response = { uid, allowed: true, ...(patch.length > 0 ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') } : {}), ...warnings };
  } else {
    const causes = decision.causes ?? [];
    const status = {
      status: 'Failure',
      code: decision.code ?? 403,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      message: decision.message,
      ...(causes.length > 0 ? { details: { causes: causes.map((c) => ({ field: c.field, message: c.message, reason: c.reason ?? 'FieldValueInvalid' })) } } : {}),
    };
    response = { uid, allowed: false, status, ...warnings };
  }
  return { apiVersion: ADMISSION_REVIEW_API_VERSION, kind: 'AdmissionReview', response };
}
