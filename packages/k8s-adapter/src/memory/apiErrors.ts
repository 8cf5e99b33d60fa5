import {
  AlreadyExistsError,
  ApiStatusError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  TooManyRequestsError,
  TransportError,
  type ApiStatus,
  type KubeApiError,
  type RequestDescription,
  type StatusCause,
} from '../errors.js';
import type { ResourceType } from '../resourceType.js';

/**
 * Builders of the errors the memory cluster raises, with the apiserver's `Status` bodies and
 * messages word for word (checked by the contract suite against a real kube-apiserver).
 */

/** Returns `pods` or `clonesets.apps.kruise.io`: how the apiserver names a resource in messages. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** Returns `Pod` or `CloneSet.apps.kruise.io`: how the apiserver names a kind in validation messages. */
export function qualifiedKind(type: ResourceType): string {
  return type.group === '' ? type.kind : `${type.kind}.${type.group}`;
}

function details(type: ResourceType, name: string | undefined, kind = type.plural): NonNullable<ApiStatus['details']> {
  return { ...(name === undefined ? {} : { name }), ...(type.group === '' ? {} : { group: type.group }), kind };
}

function status(code: number, reason: string, message: string, statusDetails?: ApiStatus['details']): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(statusDetails === undefined ? {} : { details: statusDetails }), code } as ApiStatus;
}

/** Returns the 404 NotFound of an object: `pods "web-1" not found`. */
export function notFound(request: RequestDescription, type: ResourceType, name: string): NotFoundError {
  return new NotFoundError(request, 404, status(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, details(type, name)));
}

/** Returns the 404 of a write into a namespace that does not exist: `namespaces "x" not found`. */
export function namespaceNotFound(request: RequestDescription, namespace: string): NotFoundError {
  return new NotFoundError(request, 404, status(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' }));
}

/** Returns the 404 of a resource type or subresource the server does not serve. */
export function resourceNotServed(request: RequestDescription, subresource: boolean): NotFoundError {
  return subresource
    ? new NotFoundError(request, 404, status(404, 'NotFound', 'the server could not find the requested resource', {}))
    : new NotFoundError(request, 404, { code: 404, message: '404 page not found\n' });
}

/** Returns the 409 AlreadyExists of a create: `pods "web-1" already exists`. */
export function alreadyExists(request: RequestDescription, type: ResourceType, name: string): AlreadyExistsError {
  return new AlreadyExistsError(request, 409, status(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, details(type, name)));
}

/** Returns the 409 Conflict of an update with a stale resourceVersion. */
export function staleConflict(request: RequestDescription, type: ResourceType, name: string): ConflictError {
  const message = `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
  return new ConflictError(request, 409, status(409, 'Conflict', message, details(type, name)));
}

/** Returns the 409 Conflict of a failed delete precondition (`uid` or `resourceVersion`). */
export function preconditionConflict(request: RequestDescription, type: ResourceType, name: string, field: 'UID' | 'ResourceVersion', expected: string, actual: string): ConflictError {
  const tail = field === 'UID' ? 'The object might have been deleted and then recreated' : 'The object might have been modified';
  const message = `Operation cannot be fulfilled on ${qualifiedKind(type)} "${name}": the ${field} in the precondition (${expected}) does not match the ${field} in record (${actual}). ${tail}`;
  return new ConflictError(request, 409, status(409, 'Conflict', message, details(type, name, type.kind)));
}

/** Returns the 409 Conflict of a server-side apply: the fields other managers own. */
export function applyConflict(request: RequestDescription, conflicts: readonly { manager: string; field: string }[]): ConflictError {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const parts = [...byManager].map(([manager, fields]) => (fields.length === 1 ? `conflict with ${manager}: ${fields[0] ?? ''}` : `conflicts with ${manager}:\n${fields.map((f) => `- ${f}`).join('\n')}`));
  const message = `Apply failed with ${String(conflicts.length)} conflict${conflicts.length === 1 ? '' : 's'}: ${parts.join('\n')}`;
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field }));
  return new ConflictError(request, 409, status(409, 'Conflict', message, { causes }));
}

/** One field problem of a 422 Invalid. */
export interface FieldError {
  readonly field: string;
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`... */
  readonly reason: string;
  /** The message after the field, e.g. `Required value` or `Invalid value: "a b": ...`. */
  readonly detail: string;
}

/** Returns the 422 Invalid of a rejected object: `Pod "x" is invalid: spec.containers[0].image: Required value` (several errors in brackets). */
export function invalid(request: RequestDescription, type: ResourceType, name: string, errors: readonly FieldError[]): InvalidError {
  const list = errors.map((e) => `${e.field}: ${e.detail}`);
  const message = `${qualifiedKind(type)} "${name}" is invalid: ${list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`}`;
  const causes = errors.map((e) => ({ reason: e.reason, message: e.detail, field: e.field }));
  return new InvalidError(request, 422, status(422, 'Invalid', message, { ...details(type, name === '' ? undefined : name, type.kind), causes }));
}

/** Returns the 422 of an update without resourceVersion of a kind that requires one (custom resources). */
export function resourceVersionRequired(request: RequestDescription, type: ResourceType, name: string): InvalidError {
  const detail = 'Invalid value: 0: must be specified for an update';
  const causes = [{ reason: 'FieldValueInvalid', message: detail, field: 'metadata.resourceVersion' }];
  return new InvalidError(request, 422, status(422, 'Invalid', `${qualifiedResource(type)} "${name}" is invalid: metadata.resourceVersion: ${detail}`, { ...details(type, name), causes }));
}

/** Returns the 422 of a JSON patch that does not apply (the apiserver gives no detail). */
export function patchRejected(request: RequestDescription): InvalidError {
  return new InvalidError(request, 422, status(422, 'Invalid', 'the server rejected our request due to an error in our request', {}));
}

/** Returns a 400 BadRequest with the apiserver's message (unparsable selector, unsupported field label...). */
export function badRequest(request: RequestDescription, message: string): BadRequestError {
  return new BadRequestError(request, 400, status(400, 'BadRequest', message));
}

/** Returns a 403 Forbidden of `type`/`name` because `why`, e.g. `this namespace may not be deleted`. */
export function forbidden(request: RequestDescription, type: ResourceType, name: string, why: string, causes?: readonly StatusCause[]): ForbiddenError {
  const message = `${qualifiedResource(type)} "${name}" is forbidden: ${why}`;
  return new ForbiddenError(request, 403, status(403, 'Forbidden', message, { ...details(type, name), ...(causes === undefined ? {} : { causes }) }));
}

/** Returns the 415 of a strategic merge patch on a custom resource. */
export function unsupportedPatch(request: RequestDescription): ApiStatusError {
  const message = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
  return new ApiStatusError(request, 415, status(415, 'UnsupportedMediaType', message));
}

/** Returns a 500 without reason, e.g. `resourceVersion should not be set on objects to be created`. */
export function internalError(request: RequestDescription, message: string): KubeApiError {
  return new ApiStatusError(request, 500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 } as ApiStatus);
}

/** Returns the 500 InternalError the apiserver answers when storage fails: `Internal error occurred: <message>`. */
export function internalServerError(request: RequestDescription, message: string): ApiStatusError {
  return new ApiStatusError(request, 500, status(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
}

/** Returns the 429 of a request rejected by priority and fairness, to be retried after `retryAfterSeconds`. */
export function tooManyRequests(request: RequestDescription, retryAfterSeconds: number): TooManyRequestsError {
  return new TooManyRequestsError(request, 429, status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }));
}

/**
 * Returns the error `createKubeClient` raises when a request times out on the client side: a
 * TransportError caused by the `TimeoutError` DOMException of the aborted fetch.
 */
export function clientTimeout(request: RequestDescription): TransportError {
  return new TransportError(request, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
}
