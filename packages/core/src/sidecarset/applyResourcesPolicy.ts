import type { Container, Pod } from '../api/pod.js';
import type { SidecarContainer, SidecarResourcesPolicy, SidecarSet } from '../api/sidecarSet.js';
import { compileGoRegexp } from '../api/sidecarSetGoRegexp.js';
import {
  addGoQuantities,
  compareGoQuantities,
  formatGoQuantity,
  goQuantityFromMilli,
  GO_ZERO_QUANTITY,
  isGoQuantity,
  parseGoQuantity,
  type GoQuantity,
} from '../api/sidecarSetGoQuantity.js';
import { evaluateResourceExpression } from '../api/sidecarSetResourcesExpression.js';
import { isNativeSidecar } from './sidecarSetHash.js';

/*
 * `resourcesPolicy` of a SidecarSet container (OpenKruise's `applyResourcesPolicy`, pod webhook):
 * at injection the sidecar's resources are computed from the pod's own containers, so a sidecar
 * can be sized relative to the application it serves (`max(cpu*50%, 50m)`).
 */

/** The resources a policy gives a sidecar, or why it cannot (the pod is then refused). */
export type ResourcesPolicyResult =
  | { readonly kind: 'computed'; readonly resources: { readonly limits?: Record<string, string>; readonly requests?: Record<string, string> } }
  | { readonly kind: 'failed'; readonly message: string };

/** The cpu and memory of a SidecarSet's target containers, summed or maxed per `targetContainerMode`. */
export interface AggregatedResources {
  /** A limit is missing when a target container has none (unlimited). */
  readonly limits: Partial<Record<'cpu' | 'memory', GoQuantity>>;
  /** A request is missing when it sums to (or every container's is) zero. */
  readonly requests: Partial<Record<'cpu' | 'memory', GoQuantity>>;
}

const RESOURCES = ['cpu', 'memory'] as const;

function quantityOf(container: Container, kind: 'limits' | 'requests', resource: 'cpu' | 'memory'): GoQuantity | undefined {
  const value = container.resources?.[kind]?.[resource];
  if (value === undefined) return undefined;
  const q = parseGoQuantity(value);
  return isGoQuantity(q) ? q : undefined;
}

/**
 * Returns the pod containers a policy targets: native sidecar init containers (restartPolicy
 * Always) then containers whose names match the regex (Go syntax, unanchored), leaving out the
 * containers of the SidecarSets being injected (`kruiseSidecarNames`).
 *
 * @example regex '^app', pod containers [app-1, app-2, istio-proxy] → [app-1, app-2]
 */
export function resourcesPolicyTargets(pod: Pod, regex: string, kruiseSidecarNames: ReadonlySet<string>): { kind: 'targets'; containers: Container[] } | { kind: 'failed'; message: string } {
  const compiled = compileGoRegexp(regex);
  if (compiled.kind === 'invalid') return { kind: 'failed', message: `failed to get target containers: invalid regex pattern ${JSON.stringify(regex)}: ${compiled.message}` };
  const candidates = [...(pod.spec.initContainers ?? []).filter(isNativeSidecar), ...pod.spec.containers];
  return { kind: 'targets', containers: candidates.filter((c) => !kruiseSidecarNames.has(c.name) && compiled.regexp.test(c.name)) };
}

/**
 * Returns the aggregated limits and requests of the target containers, as OpenKruise: `sum` adds
 * them, `max` takes the largest; a limit is unlimited (missing) when any container has none; a
 * missing request counts as 0, and a sum of 0 is no request. Any other mode aggregates nothing.
 *
 * @example sum of [200m/200Mi, 400m (no memory limit)] → limits { cpu: 600m }, requests {}
 */
export function aggregateTargetResources(containers: readonly Container[], mode: string | undefined): AggregatedResources {
  const limits: Partial<Record<'cpu' | 'memory', GoQuantity>> = {};
  const requests: Partial<Record<'cpu' | 'memory', GoQuantity>> = {};
  if (mode !== 'sum' && mode !== 'max') return { limits, requests };
  for (const resource of RESOURCES) {
    const limitValues = containers.map((c) => quantityOf(c, 'limits', resource));
    const requestValues = containers.map((c) => quantityOf(c, 'requests', resource)).filter((q): q is GoQuantity => q !== undefined);
    const allLimited = limitValues.every((q) => q !== undefined);
    const present = limitValues.filter((q): q is GoQuantity => q !== undefined);
    if (mode === 'sum') {
      // Go starts from NewQuantity(0, DecimalSI) and adds: the format becomes the first added one's.
      const start: GoQuantity = { numerator: 0n, scale: 0, format: 'DecimalSI' };
      if (allLimited) limits[resource] = present.reduce(addGoQuantities, start);
      const sum = requestValues.reduce(addGoQuantities, start);
      if (sum.numerator !== 0n) requests[resource] = sum;
    } else {
      const largest = (values: readonly GoQuantity[]) => values.reduce<GoQuantity | undefined>((max, q) => (max === undefined || compareGoQuantities(q, max) > 0 ? q : max), undefined);
      const maxLimit = largest(present);
      if (allLimited && maxLimit !== undefined) limits[resource] = maxLimit;
      const maxRequest = largest(requestValues);
      if (maxRequest !== undefined) requests[resource] = maxRequest;
    }
  }
  return { limits, requests };
}

// One expression over its aggregated value: a number result is millicores for cpu-like
// expressions and bytes for memory ones (an expression naming `memory` reads the value as memory).
function evaluate(expression: string, aggregated: GoQuantity): { kind: 'value'; value: string } | { kind: 'failed'; message: string } {
  const variable = /\bmemory\b/.test(expression) ? 'memory' : 'cpu';
  const result = evaluateResourceExpression(expression, { [variable]: { kind: 'quantity', value: aggregated } });
  if (result.kind === 'invalid') return { kind: 'failed', message: `failed to parse expression ${JSON.stringify(expression)}: ${result.message}` };
  const value = result.value;
  if (value.kind === 'quantity') return { kind: 'value', value: formatGoQuantity(value.value) };
  const n = Number.isFinite(value.value) ? value.value : 0;
  const q = variable === 'cpu' ? goQuantityFromMilli(BigInt(Math.trunc(n * 1000)), 'DecimalSI') : goQuantityFromMilli(BigInt(Math.trunc(n)) * 1000n, 'DecimalSI');
  return { kind: 'value', value: formatGoQuantity(q) };
}

/**
 * Returns the resources `policy` gives a sidecar in `pod` (OpenKruise's `applyResourcesPolicy`):
 * the target containers ({@link resourcesPolicyTargets}; none is an error) aggregated by mode
 * ({@link aggregateTargetResources}); each limit expression evaluated over the aggregated limit
 * (skipped when that is unlimited), each request expression over the aggregated request (0 when
 * there is none); the results replace the sidecar's resources (`limits` / `requests` only when
 * not empty). Quantities are printed as Go prints them.
 *
 * @example sum over app1 (200m, 50m) and app2 (400m, 100m), limits.cpu 'cpu*50%', requests.cpu 'cpu*50%' →
 *   { kind: 'computed', resources: { limits: { cpu: '300m' }, requests: { cpu: '75m' } } }
 */
export function computeResourcesPolicy(pod: Pod, policy: SidecarResourcesPolicy, kruiseSidecarNames: ReadonlySet<string>): ResourcesPolicyResult {
  const regex = policy.targetContainersNameRegex ?? '';
  const targets = resourcesPolicyTargets(pod, regex, kruiseSidecarNames);
  if (targets.kind === 'failed') return targets;
  if (targets.containers.length === 0) return { kind: 'failed', message: `no containers match the regex pattern ${JSON.stringify(regex)}` };
  const aggregated = aggregateTargetResources(targets.containers, policy.targetContainersMode);
  const resources: { limits?: Record<string, string>; requests?: Record<string, string> } = {};
  for (const part of ['limits', 'requests'] as const) {
    const expressions = policy.resourcesExpr?.[part];
    if (expressions === undefined) continue;
    const computed: Record<string, string> = {};
    for (const resource of RESOURCES) {
      const expression = expressions[resource] ?? '';
      const value = part === 'limits' ? aggregated.limits[resource] : (aggregated.requests[resource] ?? GO_ZERO_QUANTITY);
      if (expression === '' || value === undefined) continue;
      const result = evaluate(expression, value);
      if (result.kind === 'failed') return { kind: 'failed', message: `failed to evaluate ${resource === 'cpu' ? 'CPU' : 'memory'} ${part} expression: ${result.message}` };
      computed[resource] = result.value;
    }
    if (Object.keys(computed).length > 0) resources[part] = computed;
  }
  return { kind: 'computed', resources };
}

/**
 * Returns the names of the containers and init containers of the SidecarSets injected into a
 * pod: what a resources policy never targets.
 *
 * @example SidecarSets [log (fluentd), mesh (init proxy-init, envoy)] → {fluentd, proxy-init, envoy}
 */
export function kruiseSidecarNames(sidecarSets: readonly SidecarSet[]): Set<string> {
  return new Set(sidecarSets.flatMap((ss) => [...(ss.spec.initContainers ?? []), ...(ss.spec.containers ?? [])].map((c) => c.name)));
}

/**
 * Returns the sidecar with the resources its `resourcesPolicy` computes for the pod (the sidecar
 * unchanged without a policy), or why the pod must be refused.
 *
 * @example sidecar with policy, pod app 1 cpu → { kind: 'sized', sidecar: { ..., resources: { limits: { cpu: '500m' } } } }
 */
export function withResourcesPolicy(
  sidecar: SidecarContainer,
  pod: Pod,
  names: ReadonlySet<string>,
): { readonly kind: 'sized'; readonly sidecar: SidecarContainer } | { readonly kind: 'failed'; readonly message: string } {
  if (sidecar.resourcesPolicy === undefined) return { kind: 'sized', sidecar };
  const result = computeResourcesPolicy(pod, sidecar.resourcesPolicy, names);
  if (result.kind === 'failed') return { kind: 'failed', message: `container ${sidecar.name}: ${result.message}` };
  return { kind: 'sized', sidecar: { ...sidecar, resources: result.resources } };
}
