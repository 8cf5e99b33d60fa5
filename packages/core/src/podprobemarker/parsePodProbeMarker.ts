import { PodProbeMarkerSchema, type PodProbeMarker } from '../api/podProbeMarker.js';
import { zodIssuesToProblems } from '../api/parseCloneSet.js';
import type { FieldProblem } from '../shared/fieldProblem.js';

/** A PodProbeMarker read from untrusted data, or every problem that kept it from parsing. */
export type ParsedPodProbeMarker = { readonly kind: 'valid'; readonly value: PodProbeMarker } | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] };

/**
 * Returns a PodProbeMarker read from untrusted data, or every schema problem with its path.
 *
 * @example parsePodProbeMarker({ spec: { selector: {} } }) → { kind: 'invalid', problems: [{ path: 'spec.probes', message: 'Required value' }] }
 */
export function parsePodProbeMarker(input: unknown): ParsedPodProbeMarker {
  const parsed = PodProbeMarkerSchema.safeParse(input, { reportInput: true });
  return parsed.success ? { kind: 'valid', value: parsed.data } : { kind: 'invalid', problems: zodIssuesToProblems(parsed.error.issues) };
}
