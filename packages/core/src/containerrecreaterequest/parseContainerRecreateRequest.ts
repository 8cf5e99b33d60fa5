import { ContainerRecreateRequestSchema, type ContainerRecreateRequest } from '../api/containerRecreateRequest.js';
import { zodIssuesToProblems } from '../api/parseCloneSet.js';
import type { FieldProblem } from '../shared/fieldProblem.js';

/** A ContainerRecreateRequest read from untrusted data, or every problem that kept it from parsing. */
export type ParsedContainerRecreateRequest = { readonly kind: 'valid'; readonly value: ContainerRecreateRequest } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a ContainerRecreateRequest read from untrusted data, or every schema problem with its path.
 *
 * @example parseContainerRecreateRequest({ spec: { podName: 'web-0' } }) → { kind: 'invalid', problems: [{ path: 'spec.containers', message: 'Required value' }] }
 */
export function parseContainerRecreateRequest(input: unknown): ParsedContainerRecreateRequest {
  const parsed = ContainerRecreateRequestSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { kind: 'valid', value: parsed.data } : { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
}
