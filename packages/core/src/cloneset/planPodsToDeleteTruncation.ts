import type { Pod } from '../api/pod.js';
import { isPodActive } from '../shared/podState.js';

/** What becomes of `spec.scaleStrategy.podsToDelete` after a reconcile. */
export type PodsToDeleteTruncation =
  | {
      /** Every listed name is an active pod (or the list is empty): leave the spec alone. */
      readonly kind: 'keep';
    }
  | {
      /** Some listed pods are gone: write the shorter list. */
      readonly kind: 'truncate';
      /** The list as it is now (what a write must find before replacing it). */
      readonly from: readonly string[];
      /** The names of active pods, in their original order. */
      readonly podsToDelete: readonly string[];
      /** The names dropped ("pod was removed from podsToDelete because it is `gone`"). */
      readonly gone: readonly string[];
    };

/**
 * Returns whether `spec.scaleStrategy.podsToDelete` must shrink to the names of the CloneSet's
 * active pods, as OpenKruise's `truncatePodsToDelete` does after each reconcile, so a name does
 * not outlive its pod (a later pod of the same name would be deleted at once).
 *
 * @example podsToDelete ['web-a', 'web-b'], active pods web-b and web-c → truncate to ['web-b'], gone ['web-a']
 * @example podsToDelete [] → keep
 */
export function planPodsToDeleteTruncation(podsToDelete: readonly string[] | undefined, pods: readonly Pod[]): PodsToDeleteTruncation {
  const listed = podsToDelete ?? [];
  if (listed.length === 0) return { kind: 'keep' };
  const live = new Set(pods.filter(isPodActive).map((pod) => pod.metadata.name ?? ''));
  const kept = listed.filter((name) => live.has(name));
  if (kept.length === listed.length) return { kind: 'keep' };
  return { kind: 'truncate', from: listed, podsToDelete: kept, gone: listed.filter((name) => !live.has(name)) };
}
