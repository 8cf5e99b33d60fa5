import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, ApiStatusError, ConflictError, ForbiddenError, GoneError, InvalidError, NotFoundError, ServerTimeoutError, TooManyRequestsError, TransportError, isRetryable, toKubeApiError } from './errors.js';

const request = { verb: 'GET', path: '/api/v1/pods' };

describe('toKubeApiError', () => {
  it.each([
    [404, 'NotFound', NotFoundError],
    [409, 'AlreadyExists', AlreadyExistsError],
    [409, 'Conflict', ConflictError],
    [422, 'Invalid', InvalidError],
    [403, 'Forbidden', ForbiddenError],
    [410, 'Expired', GoneError],
    [429, 'TooManyRequests', TooManyRequestsError],
    [504, 'Timeout', ServerTimeoutError],
    [500, 'InternalError', ApiStatusError],
  ] as const)('%i %s', (code, reason, type) => {
    const error = toKubeApiError(request, code, { reason, message: 'why' });
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(`GET /api/v1/pods: ${String(code)} ${reason}: why`);
  });

  it('exposes the invalid fields', () => {
    const error = toKubeApiError(request, 422, { reason: 'Invalid', details: { causes: [{ field: 'spec.replicas', message: 'must be >= 0' }] } });
    expect(error).toBeInstanceOf(InvalidError);
    expect(error instanceof InvalidError && error.causes).toEqual([{ field: 'spec.replicas', message: 'must be >= 0' }]);
  });

  it('retries throttling, timeouts, transport failures and 5xx, never client errors', () => {
    expect(isRetryable(toKubeApiError(request, 429, {}))).toBe(true);
    expect(isRetryable(toKubeApiError(request, 503, {}))).toBe(true);
    expect(isRetryable(new TransportError(request, new Error('ECONNREFUSED')))).toBe(true);
    expect(isRetryable(toKubeApiError(request, 409, { reason: 'Conflict' }))).toBe(false);
    expect(isRetryable(toKubeApiError(request, 422, {}))).toBe(false);
  });
});
