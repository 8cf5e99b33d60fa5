import type { Taint } from '../api/node.js';
import type { Toleration } from '../api/podScheduling.js';

/**
 * Taints and tolerations as Kubernetes matches them (`Toleration.ToleratesTaint`,
 * `v1helper.FindMatchingUntoleratedTaint`).
 */

/**
 * Returns whether `toleration` tolerates `taint`: an empty effect matches every effect, an empty
 * key every key; operator `Exists` ignores the value, `Equal` (or none) needs the same value; any
 * other operator tolerates nothing.
 *
 * @example toleratesTaint({ key: 'dedicated', operator: 'Exists' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }) // true
 * @example toleratesTaint({ key: 'dedicated', value: 'db' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }) // false
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if ((toleration.effect ?? '') !== '' && toleration.effect !== taint.effect) return false;
  if ((toleration.key ?? '') !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/**
 * Returns the first taint that `filter` keeps and no toleration tolerates, or `undefined` when
 * every such taint is tolerated.
 *
 * @example findUntoleratedTaint([{ key: 'a', effect: 'NoExecute' }], [], (t) => t.effect === 'NoExecute') // { key: 'a', effect: 'NoExecute' }
 */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], filter: (taint: Taint) => boolean): Taint | undefined {
  for (const taint of taints) {
    if (!filter(taint)) continue;
    if (!tolerations.some((toleration) => toleratesTaint(toleration, taint))) return taint;
  }
  return undefined;
}
