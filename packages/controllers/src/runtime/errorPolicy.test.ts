import { toKubeApiError } from '@kruise-ts/k8s-adapter';
import { describe, expect, it } from 'vitest';
import { defaultErrorPolicy, type ErrorDecision } from './errorPolicy.js';
import { isTerminalError, TerminalError } from './terminalError.js';

const request = { verb: 'PATCH', path: '/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets/web' };
const apiError = (code: number, details: { retryAfterSeconds?: number } = {}) => toKubeApiError(request, code, { code, details });

describe('defaultErrorPolicy', () => {
  it.each<{ story: string; error: unknown; decision: ErrorDecision }>([
    { story: 'a TerminalError is dropped', error: new TerminalError('bad spec'), decision: { kind: 'drop', reason: 'terminal-error' } },
    { story: 'a TerminalError as cause is dropped', error: new Error('apply failed', { cause: new TerminalError('bad spec') }), decision: { kind: 'drop', reason: 'terminal-error' } },
    { story: 'a 429 with Retry-After 3 s waits 3000 ms', error: apiError(429, { retryAfterSeconds: 3 }), decision: { kind: 'retry', afterMs: 3000 } },
    { story: 'a 429 without Retry-After backs off', error: apiError(429), decision: { kind: 'retry' } },
    { story: 'a conflict backs off', error: apiError(409), decision: { kind: 'retry' } },
    { story: 'a thrown string backs off', error: 'boom', decision: { kind: 'retry' } },
  ])('$story', ({ error, decision }) => {
    expect(defaultErrorPolicy(error, 1)).toEqual(decision);
  });

  it('isTerminalError survives a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isTerminalError(a)).toBe(false);
  });
});
