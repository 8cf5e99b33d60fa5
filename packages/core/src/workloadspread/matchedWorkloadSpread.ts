import type { Pod } from '../api/pod.js';
import { MATCHED_WORKLOADSPREAD_ANNOTATION } from '../api/workloadSpread.js';

/** What the `apps.kruise.io/matched-workloadspread` annotation records on a pod. */
export interface MatchedWorkloadSpread {
  /** The WorkloadSpread's name. */
  readonly name: string;
  /** The subset the pod was put in. */
  readonly subset: string;
  /** An id the webhook generated for a pod created without a name (`generateName`), its key in `creatingPods`. */
  readonly uid?: string | undefined;
}

/**
 * Returns the annotation value OpenKruise writes: JSON with `name`, `subset` and, when set, `uid`.
 *
 * @example formatMatchedWorkloadSpread({ name: 'ws', subset: 'zone-a' }) → '{"name":"ws","subset":"zone-a"}'
 */
export function formatMatchedWorkloadSpread(matched: MatchedWorkloadSpread): string {
  return JSON.stringify({ name: matched.name, subset: matched.subset, ...(matched.uid === undefined || matched.uid === '' ? {} : { uid: matched.uid }) });
}

/**
 * Returns what a pod's `apps.kruise.io/matched-workloadspread` annotation records, or `undefined`
 * without one or when it is not readable JSON with a name (OpenKruise then ignores the pod).
 *
 * @example annotation '{"name":"ws","subset":"zone-a"}' → { name: 'ws', subset: 'zone-a' }
 */
export function readMatchedWorkloadSpread(pod: Pod): MatchedWorkloadSpread | undefined {
  const text = pod.metadata.annotations?.[MATCHED_WORKLOADSPREAD_ANNOTATION];
  if (text === undefined || text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { name, subset, uid } = value as Record<string, unknown>;
    if (typeof name !== 'string') return undefined;
    return { name, subset: typeof subset === 'string' ? subset : '', ...(typeof uid === 'string' && uid !== '' ? { uid } : {}) };
  } catch {
    return undefined;
  }
}
