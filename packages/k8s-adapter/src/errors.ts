/**
 * Errors raised by the Kubernetes adapters. Each failure point has its own class with a `_tag`
 * for exhaustive matching, typed fields, and the original error as ES2022 `cause`.
 */

/** One field-level cause of an `Invalid` (422) rejection, as the apiserver reports it. */
export interface StatusCause {
  readonly field?: string;
  readonly message?: string;
  readonly reason?: string;
}

/** The apiserver's `metav1.Status` body of a failed request (the fields kruise-ts reads). */
export interface ApiStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly name?: string; readonly kind?: string; readonly causes?: readonly StatusCause[]; readonly retryAfterSeconds?: number };
}

/** What was being done when a request failed: verb and URL path. */
export interface RequestDescription {
  readonly verb: string;
  readonly path: string;
}

/** Base class of every error returned by the apiserver with an HTTP status. */
export abstract class KubeApiError extends Error {
  abstract readonly _tag: string;
  readonly code: number;
  readonly reason: string;
  readonly status: ApiStatus;
  readonly request: RequestDescription;

  constructor(request: RequestDescription, code: number, status: ApiStatus, options?: { cause?: unknown }) {
    super(`${request.verb} ${request.path}: ${String(code)} ${status.reason ?? ''}: ${status.message ?? 'no message'}`, options);
    this.name = new.target.name;
    this.code = code;
    this.reason = status.reason ?? '';
    this.status = status;
    this.request = request;
  }
}

/** 404: the object (or its namespace, or the resource type) does not exist. */
export class NotFoundError extends KubeApiError {
  readonly _tag = 'NotFound' as const;
}
/** 409 AlreadyExists: create of a name that is taken. */
export class AlreadyExistsError extends KubeApiError {
  readonly _tag = 'AlreadyExists' as const;
}
/** 409 Conflict: the resourceVersion precondition failed (someone else wrote first). */
export class ConflictError extends KubeApiError {
  readonly _tag = 'Conflict' as const;
}
/** 422 Invalid: the object was rejected by validation; `causes` name the fields. */
export class InvalidError extends KubeApiError {
  readonly _tag = 'Invalid' as const;
  /** The fields the apiserver (or an admission webhook) rejected, with why. */
  get causes(): readonly StatusCause[] {
    return this.status.details?.causes ?? [];
  }
}
/** 400 BadRequest (malformed request, e.g. a patch that does not apply). */
export class BadRequestError extends KubeApiError {
  readonly _tag = 'BadRequest' as const;
}
/** 401/403: not authenticated or not allowed (RBAC), or denied by an admission webhook. */
export class ForbiddenError extends KubeApiError {
  readonly _tag = 'Forbidden' as const;
}
/** 410 Gone/Expired: a watch or list continue token refers to a compacted resourceVersion. */
export class GoneError extends KubeApiError {
  readonly _tag = 'Gone' as const;
}
/** 429: throttled by the apiserver (priority and fairness); see `retryAfterSeconds`. */
export class TooManyRequestsError extends KubeApiError {
  readonly _tag = 'TooManyRequests' as const;
  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}
/** 408/504 or a Timeout reason: the server gave up; safe to retry idempotent requests. */
export class ServerTimeoutError extends KubeApiError {
  readonly _tag = 'ServerTimeout' as const;
}
/** Any other HTTP failure status (5xx, 405...). */
export class ApiStatusError extends KubeApiError {
  readonly _tag = 'ApiStatus' as const;
}

/** The request never got an HTTP response: connection refused, TLS failure, aborted, timeout. */
export class TransportError extends Error {
  readonly _tag = 'Transport' as const;
  readonly request: RequestDescription;
  constructor(request: RequestDescription, cause: unknown) {
    super(`${request.verb} ${request.path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TransportError';
    this.request = request;
  }
}

/** A watch stream failed: the server sent an ERROR event or the stream broke. */
export class WatchError extends Error {
  readonly _tag = 'Watch' as const;
  readonly path: string;
  readonly status: ApiStatus | undefined;
  constructor(path: string, message: string, options?: { cause?: unknown; status?: ApiStatus }) {
    super(`watch ${path}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WatchError';
    this.path = path;
    this.status = options?.status;
  }
  /** True when the server said the resourceVersion is too old (410): relist and watch again. */
  get isGone(): boolean {
    return this.status?.code === 410 || this.status?.reason === 'Expired' || this.status?.reason === 'Gone';
  }
}

/**
 * The reason a caller aborts a request whose connection it presumes dead (a silent network cut):
 * e.g. an informer's watchdog that saw no event for its idle timeout. `createKubeClient` drops the
 * connection such a request went over, as client-go's HTTP/2 health check does, so the next
 * requests open a new one.
 */
export class StaleConnectionError extends Error {
  readonly _tag = 'StaleConnection' as const;
  constructor(message: string) {
    super(message);
    this.name = 'StaleConnectionError';
  }
}

/** True when `reason` (an abort reason) is a {@link StaleConnectionError}, from any copy of this module. */
export function isStaleConnection(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { _tag?: unknown })._tag === 'StaleConnection';
}

/** Every error the client can raise. */
export type KubeClientError =
  | NotFoundError
  | AlreadyExistsError
  | ConflictError
  | InvalidError
  | BadRequestError
  | ForbiddenError
  | GoneError
  | TooManyRequestsError
  | ServerTimeoutError
  | ApiStatusError
  | TransportError
  | WatchError;

/** Returns the error class instance for an HTTP failure `code` with the apiserver's `status` body. */
export function toKubeApiError(request: RequestDescription, code: number, status: ApiStatus): KubeApiError {
  const reason = status.reason ?? '';
  if (code === 404) return new NotFoundError(request, code, status);
  if (code === 409) return reason === 'AlreadyExists' ? new AlreadyExistsError(request, code, status) : new ConflictError(request, code, status);
  if (code === 422) return new InvalidError(request, code, status);
  if (code === 400) return new BadRequestError(request, code, status);
  if (code === 401 || code === 403) return new ForbiddenError(request, code, status);
  if (code === 410) return new GoneError(request, code, status);
  if (code === 429) return new TooManyRequestsError(request, code, status);
  if (code === 408 || code === 504 || reason === 'Timeout' || reason === 'ServerTimeout') return new ServerTimeoutError(request, code, status);
  return new ApiStatusError(request, code, status);
}

/** Returns true for errors a caller may retry as they are (throttling, timeouts, transport, 5xx). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TransportError || error instanceof ServerTimeoutError || error instanceof TooManyRequestsError) return true;
  return error instanceof ApiStatusError && error.code >= 500;
}

/**
 * What is wrong with the kubeconfig `loadKubeConfig` was asked for: `missing` (a named file does
 * not exist), `unreadable` (it exists but cannot be read), `invalid` (not a kubeconfig, or no
 * current context with a cluster), `none` (nothing to load: no path, no `$KUBECONFIG`, not in a
 * cluster, no `~/.kube/config`).
 */
export type KubeConfigProblem = 'missing' | 'unreadable' | 'invalid' | 'none';

/**
 * The kubeconfig could not be loaded. The message is one line naming the file and the problem,
 * fit for a command line: `kubeconfig /etc/kube/admin.conf: no such file`.
 */
export class KubeConfigError extends Error {
  readonly _tag = 'KubeConfig' as const;
  /** The file concerned; undefined for `none` and the in-cluster service account. */
  readonly path: string | undefined;
  readonly problem: KubeConfigProblem;

  constructor(problem: KubeConfigProblem, path: string | undefined, detail: string, options?: { cause?: unknown }) {
    super(path === undefined ? detail : `kubeconfig ${path}: ${detail}`, options);
    this.name = 'KubeConfigError';
    this.problem = problem;
    this.path = path;
  }
}
