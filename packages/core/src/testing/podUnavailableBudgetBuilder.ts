import { PUB_API_VERSION, PUB_KIND, type PodUnavailableBudget, type PodUnavailableBudgetSpec, type PodUnavailableBudgetStatus } from '../api/podUnavailableBudget.js';

/** Options of {@link aPodUnavailableBudget}; unset fields stay unset. */
export interface PodUnavailableBudgetOptions {
  /** `metadata.name` (default `web-pub`). */
  readonly name?: string | undefined;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string | undefined;
  readonly generation?: number | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
  /** `spec.selector.matchLabels` (default `{ app: 'web' }` unless `targetRef` is given). */
  readonly matchLabels?: Readonly<Record<string, string>> | undefined;
  readonly targetRef?: PodUnavailableBudgetSpec['targetRef'];
  readonly maxUnavailable?: number | string | undefined;
  readonly minAvailable?: number | string | undefined;
  readonly protectOperations?: PodUnavailableBudgetSpec['protectOperations'];
  readonly protectTotalReplicas?: number | undefined;
  readonly ignoredPodSelector?: PodUnavailableBudgetSpec['ignoredPodSelector'];
  readonly status?: PodUnavailableBudgetStatus | undefined;
}

/**
 * Returns a `policy.kruise.io/v1beta1` PodUnavailableBudget.
 *
 * @example aPodUnavailableBudget({ maxUnavailable: 1, status: { unavailableAllowed: 1, desiredAvailable: 4 } })
 */
export function aPodUnavailableBudget(options: PodUnavailableBudgetOptions = {}): PodUnavailableBudget {
  const spec: PodUnavailableBudgetSpec = {
    ...(options.targetRef === undefined ? { selector: { matchLabels: { ...(options.matchLabels ?? { app: 'web' }) } } } : { targetRef: options.targetRef }),
    ...(options.maxUnavailable === undefined ? {} : { maxUnavailable: options.maxUnavailable }),
    ...(options.minAvailable === undefined ? {} : { minAvailable: options.minAvailable }),
    ...(options.protectOperations === undefined ? {} : { protectOperations: options.protectOperations }),
    ...(options.protectTotalReplicas === undefined ? {} : { protectTotalReplicas: options.protectTotalReplicas }),
    ...(options.ignoredPodSelector === undefined ? {} : { ignoredPodSelector: options.ignoredPodSelector }),
  };
  return {
    apiVersion: PUB_API_VERSION,
    kind: PUB_KIND,
    metadata: {
      name: options.name ?? 'web-pub',
      namespace: options.namespace ?? 'default',
      ...(options.generation === undefined ? {} : { generation: options.generation }),
      ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }),
    },
    spec,
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}
