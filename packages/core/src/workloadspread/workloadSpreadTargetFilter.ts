import type { WorkloadSpreadTargetFilter } from '../api/workloadSpread.js';
import { isEmptyLabelSelector, matchesLabelSelector, type Labels } from '../shared/selector.js';

/**
 * Returns whether a WorkloadSpread manages a pod with these labels (OpenKruise's `IsPodSelected`):
 * every pod of its workload without a `targetFilter`; with one, the pods its selector matches (an
 * empty selector matches all; a filter without a selector matches none, as OpenKruise's
 * `ValidatedLabelSelectorAsSelector(nil)` is `labels.Nothing()`).
 *
 * @example isPodSelectedByTargetFilter({ selector: { matchLabels: { role: 'worker' } } }, { role: 'ps' }) // false
 * @example isPodSelectedByTargetFilter(undefined, { role: 'ps' }) // true
 */
export function isPodSelectedByTargetFilter(filter: WorkloadSpreadTargetFilter | undefined, labels: Labels): boolean {
  if (filter === undefined) return true;
  const selector = filter.selector;
  if (selector === undefined) return false;
  return isEmptyLabelSelector(selector) || matchesLabelSelector(selector, labels);
}

/** The replicas a targetFilter's paths give, or the path that could not be read. */
export type FilteredReplicas = { readonly kind: 'replicas'; readonly replicas: number } | { readonly kind: 'invalid'; readonly path: string; readonly message: string };

// One step of a path: a key of an object, or a decimal index of a list.
function step(value: unknown, key: string): { readonly found: true; readonly value: unknown } | { readonly found: false; readonly message: string } {
  if (Array.isArray(value)) {
    const index = /^\d+$/.test(key) ? Number(key) : Number.NaN;
    if (Number.isNaN(index)) return { found: false, message: `strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax` };
    return index < value.length ? { found: true, value: value[index] } : { found: false, message: `index ${key} out of range` };
  }
  if (typeof value === 'object' && value !== null) {
    return key in value ? { found: true, value: (value as Record<string, unknown>)[key] } : { found: false, message: `path "${key}" not exists` };
  }
  return { found: false, message: 'object is not deep enough' };
}

function replicasAt(workload: unknown, path: string): { readonly kind: 'ok'; readonly replicas: number } | { readonly kind: 'invalid'; readonly message: string } {
  if (path === '') return { kind: 'ok', replicas: 0 };
  let value: unknown = workload;
  for (const key of path.split('.')) {
    const next = step(value, key);
    if (!next.found) return { kind: 'invalid', message: next.message };
    value = next.value;
  }
  return typeof value === 'number' && Number.isInteger(value) ? { kind: 'ok', replicas: value } : { kind: 'invalid', message: `the value at ${path} is not an integer` };
}

/**
 * Returns the replicas of the pods a targetFilter keeps, read from the workload object (OpenKruise's
 * `GetReplicasFromWorkloadWithTargetFilter`): the sum of the integers at each path of
 * `replicasPathList` (dot-separated; a number indexes a list; an empty path counts 0). A path that
 * does not resolve to an integer makes the whole count invalid, naming the path (OpenKruise returns
 * the error and the status is not computed).
 *
 * @example replicasFromTargetFilter({ spec: { tfReplicaSpecs: { Worker: { replicas: 2 }, PS: { replicas: 1 } } } },
 *   ['spec.tfReplicaSpecs.Worker.replicas', 'spec.tfReplicaSpecs.PS.replicas']) // { kind: 'replicas', replicas: 3 }
 * @example replicasFromTargetFilter({ spec: { subsets: [{ replicas: 4 }, { replicas: 5 }] } }, ['spec.subsets.1.replicas']) // { kind: 'replicas', replicas: 5 }
 */
export function replicasFromTargetFilter(workload: unknown, replicasPathList: readonly string[]): FilteredReplicas {
  let replicas = 0;
  for (const path of replicasPathList) {
    const read = replicasAt(workload, path);
    if (read.kind === 'invalid') return { kind: 'invalid', path, message: read.message };
    replicas += read.replicas;
  }
  return { kind: 'replicas', replicas };
}
