import { AlreadyExistsError, ConflictError, NotFoundError } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { retryLogEntry } from './retryLogEntry.js';

const request = { verb: 'PATCH', path: '/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets/web/status' };

describe('retryLogEntry', () => {
  it.each([
    ['a Conflict (someone wrote first)', new ConflictError(request, 409, { reason: 'Conflict', message: 'the object has been modified' }), false, 'debug', 'Conflict'],
    ['an AlreadyExists (the pass ran ahead of the cache)', new AlreadyExistsError(request, 409, { reason: 'AlreadyExists', message: 'pods "web-0" already exists' }), false, 'debug', 'AlreadyExists'],
    ['a NotFound', new NotFoundError(request, 404, { reason: 'NotFound', message: 'not found' }), false, 'error', undefined],
    ['a plain error', new Error('boom'), false, 'error', undefined],
    ['a plain error during shutdown', new Error('aborted'), true, 'debug', undefined],
  ])('%s is logged at the right level', (_story, error, aborted, level, conflict) => {
    const entry = retryLogEntry(error, { aborted });
    expect(entry.level).toBe(level);
    expect(entry.fields.conflict).toBe(conflict);
    // A conflict carries the request and the apiserver's message instead of the error and its stack.
    expect('err' in entry.fields).toBe(conflict === undefined);
  });

  it('names the request and keeps the apiserver message of a conflict', () => {
    const entry = retryLogEntry(new ConflictError(request, 409, { reason: 'Conflict', message: 'the object has been modified' }), { aborted: false });
    expect(entry.fields).toEqual({ conflict: 'Conflict', request: `PATCH ${request.path}`, message: 'the object has been modified' });
  });
});
