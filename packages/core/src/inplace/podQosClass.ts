import type { PodSpec } from '../api/pod.js';
import { compareParsedQuantities, parseQuantity, type Quantity } from '../shared/quantity.js';

/** A pod's Quality-of-Service class, as the kubelet derives it from cpu and memory. */
export type PodQosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Only these resources decide the QoS class (and only these can be resized in place). */
export const QOS_RESOURCES = ['cpu', 'memory'] as const;

type Totals = Map<string, Quantity>;

/**
 * Returns the QoS class a pod with this spec gets (Kubernetes' `GetPodQOS` over init and regular
 * containers, cpu and memory only, zero values ignored). A container's missing request defaults
 * to its limit, as the apiserver defaults it on pod creation.
 *
 * - BestEffort: no container requests or limits cpu or memory;
 * - Guaranteed: every container limits both cpu and memory, and the summed requests equal the
 *   summed limits;
 * - Burstable: anything else.
 *
 * @example computePodQosClass({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }) // 'Guaranteed'
 * @example computePodQosClass({ containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] }) // 'Burstable'
 */
export function computePodQosClass(spec: Pick<PodSpec, 'containers' | 'initContainers'>): PodQosClass {
  const requests: Totals = new Map();
  const limits: Totals = new Map();
  let limitsEverywhere = true;
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const containerLimits = positiveQuantities(container.resources?.limits);
    const containerRequests = { ...containerLimits, ...positiveQuantities(container.resources?.requests) };
    addInto(requests, containerRequests);
    addInto(limits, containerLimits);
    if (!QOS_RESOURCES.every((name) => Object.hasOwn(containerLimits, name))) limitsEverywhere = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  const matching = [...requests].every(([name, request]) => {
    const limit = limits.get(name);
    return limit !== undefined && compareParsedQuantities(limit, request) === 0;
  });
  return limitsEverywhere && matching && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** Returns the positive, readable cpu/memory quantities of a resource list. */
function positiveQuantities(list: Readonly<Record<string, string | number>> | undefined): Record<string, Quantity> {
  const result: Record<string, Quantity> = {};
  for (const name of QOS_RESOURCES) {
    const raw = list?.[name];
    const quantity = raw === undefined ? undefined : parseQuantity(raw);
    if (quantity?.kind === 'quantity' && quantity.numerator > 0n) result[name] = quantity;
  }
  return result;
}

function addInto(totals: Totals, quantities: Readonly<Record<string, Quantity>>): void {
  for (const [name, quantity] of Object.entries(quantities)) {
    const current = totals.get(name);
    totals.set(name, current ? addQuantities(current, quantity) : quantity);
  }
}

function addQuantities(a: Quantity, b: Quantity): Quantity {
  const scale = Math.max(a.scale, b.scale);
  const numerator = a.numerator * 10n ** BigInt(scale - a.scale) + b.numerator * 10n ** BigInt(scale - b.scale);
  return { kind: 'quantity', numerator, scale };
}
