import { CONTAINER_LAUNCH_BARRIER_ENV, CONTAINER_LAUNCH_ORDERED, CONTAINER_LAUNCH_PRIORITY_ANNOTATION, CONTAINER_LAUNCH_PRIORITY_ENV } from '../api/labels.js';
import type { Container, EnvVar, Pod } from '../api/pod.js';

/** Suffix of the barrier ConfigMap's name: `<pod name>-barrier` (OpenKruise's). */
export const BARRIER_CONFIGMAP_SUFFIX = '-barrier';

/**
 * Returns the name of a pod's barrier ConfigMap.
 *
 * @example barrierConfigMapName('web-0') // 'web-0-barrier'
 */
export function barrierConfigMapName(podName: string): string {
  return `${podName}${BARRIER_CONFIGMAP_SUFFIX}`;
}

/**
 * Returns the barrier key of a priority (OpenKruise's `GetKey`).
 *
 * @example barrierKey(-1) // 'p_-1'
 */
export function barrierKey(priority: number): string {
  return `p_${String(priority)}`;
}

/**
 * Returns the `KRUISE_CONTAINER_BARRIER` env the webhook gives a container of priority `priority`
 * (OpenKruise's `GeneratePriorityEnv`): the value of key `p_<priority>` of ConfigMap
 * `<pod>-barrier`, so the kubelet holds the container until that key exists.
 *
 * @example barrierEnv(1, 'web-0') → { name: 'KRUISE_CONTAINER_BARRIER', valueFrom: { configMapKeyRef: { name: 'web-0-barrier', key: 'p_1' } } }
 */
export function barrierEnv(priority: number, podName: string): EnvVar {
  return { name: CONTAINER_LAUNCH_BARRIER_ENV, valueFrom: { configMapKeyRef: { name: barrierConfigMapName(podName), key: barrierKey(priority) } } };
}

/**
 * What the pod webhook does about launch priority on a pod CREATE:
 * - `skip`: `single-container` (one container: nothing to order), `no-priority` (no
 *   `KRUISE_CONTAINER_PRIORITY` other than 0, and not `Ordered`) or `equal-priorities` (all the
 *   same: no order);
 * - `invalid`: a `KRUISE_CONTAINER_PRIORITY` value that is not an integer (`field` names it);
 * - `inject`: `priorities` per container in spec order, `source` `ordered` (the annotation) or
 *   `env`, and `pod` with the barrier env appended to each container (and its name set when it
 *   only had `generateName`).
 */
export type LaunchPriorityInjection =
  | { readonly kind: 'skip'; readonly reason: 'single-container' | 'no-priority' | 'equal-priorities' }
  | { readonly kind: 'invalid'; readonly field: string; readonly message: string }
  | { readonly kind: 'inject'; readonly source: 'ordered' | 'env'; readonly priorities: readonly number[]; readonly pod: Pod };

// Go's strconv.Atoi on a 64-bit int: an optional sign and decimal digits; kruise-ts also keeps
// the value within JavaScript's safe integers.
function parseGoInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function envPriorities(containers: readonly Container[]): { readonly priorities: number[] } | { readonly field: string; readonly message: string } {
  const priorities: number[] = [];
  for (const [i, container] of containers.entries()) {
    let priority = 0;
    for (const [j, env] of (container.env ?? []).entries()) {
      if (env.name !== CONTAINER_LAUNCH_PRIORITY_ENV) continue;
      const parsed = parseGoInt(env.value ?? '');
      if (parsed === undefined) return { field: `spec.containers[${String(i)}].env[${String(j)}].value`, message: `${CONTAINER_LAUNCH_PRIORITY_ENV} must be an integer, got ${JSON.stringify(env.value ?? '')}` };
      // The last one wins when a container sets it twice, as OpenKruise's loop.
      priority = parsed;
    }
    priorities.push(priority);
  }
  return { priorities };
}

/**
 * Returns what the pod mutating webhook does for container launch priority, as OpenKruise's
 * `containerLaunchPriorityInitialization`:
 *
 * 1. one container: `skip`;
 * 2. annotation `apps.kruise.io/container-launch-priority: Ordered`: priorities 0, -1, -2, … in
 *    spec order (the env is not read);
 * 3. else each container's `KRUISE_CONTAINER_PRIORITY` (unset = 0); none other than 0, or all
 *    equal: `skip`; not an integer: `invalid`;
 * 4. each container gets `KRUISE_CONTAINER_BARRIER` from key `p_<priority>` of ConfigMap
 *    `<pod>-barrier`; a pod with only `generateName` is named `<generateName><suffix>` first (the
 *    ConfigMap needs the name; `nameSuffix` is the caller's random 5 characters, as the
 *    apiserver's).
 *
 * Init containers and ephemeral containers are not touched.
 *
 * @example 3 containers, annotation Ordered, pod web-0 → inject, priorities [0, -1, -2]; container 2 env KRUISE_CONTAINER_BARRIER ← web-0-barrier/p_-2
 * @example containers with KRUISE_CONTAINER_PRIORITY "1" and none → inject, priorities [1, 0]
 * @example containers with KRUISE_CONTAINER_PRIORITY "2" and "2" → skip (equal-priorities)
 */
export function planLaunchPriorityInjection(pod: Pod, nameSuffix: () => string): LaunchPriorityInjection {
  const containers = pod.spec.containers;
  if (containers.length === 1) return { kind: 'skip', reason: 'single-container' };
  let source: 'ordered' | 'env';
  let priorities: number[];
  if (pod.metadata.annotations?.[CONTAINER_LAUNCH_PRIORITY_ANNOTATION] === CONTAINER_LAUNCH_ORDERED) {
    source = 'ordered';
    priorities = containers.map((_, i) => 0 - i);
  } else {
    const read = envPriorities(containers);
    if ('field' in read) return { kind: 'invalid', field: read.field, message: read.message };
    if (read.priorities.every((p) => p === 0)) return { kind: 'skip', reason: 'no-priority' };
    if (read.priorities.every((p) => p === read.priorities[0])) return { kind: 'skip', reason: 'equal-priorities' };
    source = 'env';
    priorities = read.priorities;
  }
  const generateName = pod.metadata.generateName ?? '';
  const name = (pod.metadata.name ?? '') === '' && generateName !== '' ? `${generateName}${nameSuffix()}` : (pod.metadata.name ?? '');
  const injected: Pod = {
    ...pod,
    metadata: { ...pod.metadata, ...(name !== '' && { name }) },
    spec: { ...pod.spec, containers: containers.map((c, i) => ({ ...c, env: [...(c.env ?? []), barrierEnv(priorities[i] ?? 0, name)] })) },
  };
  return { kind: 'inject', source, priorities, pod: injected };
}
