import type { Pod } from '../api/pod.js';
import { PUB_RELATED_ANNOTATION, PUB_RELATED_DEPRECATED_ANNOTATION } from '../api/podUnavailableBudget.js';

/**
 * Returns the name of the budget a pod belongs to, from the annotation the PUB controller writes
 * (`pub.kruise.io/related-pub`, else the older `kruise.io/related-pub`), or `undefined`.
 *
 * @example annotations { 'pub.kruise.io/related-pub': 'web-pub' } → 'web-pub'
 */
export function pubRelatedName(pod: Pod): string | undefined {
  const annotations = pod.metadata.annotations ?? {};
  const name = annotations[PUB_RELATED_ANNOTATION] || annotations[PUB_RELATED_DEPRECATED_ANNOTATION];
  return name === '' ? undefined : name;
}
