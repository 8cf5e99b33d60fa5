import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import type { SidecarContainer, SidecarResourcesPolicy, SidecarSetSpec } from './sidecarSet.js';
import { compileGoRegexp } from './sidecarSetGoRegexp.js';
import { evaluateResourceExpression } from './sidecarSetResourcesExpression.js';

/** The modes of `resourcesPolicy.targetContainersMode`. */
export const RESOURCES_POLICY_MODES = ['sum', 'max'] as const;

/**
 * Returns the problem of one resources expression, as OpenKruise's webhook checks it: it must
 * evaluate with its variable (`cpu` for a cpu expression, `memory` for a memory one) set to the
 * number 1, so another variable, a syntax error or a result below zero (`cpu - 2`) is refused.
 * An empty expression is allowed.
 *
 * @example resourceExpressionProblem('max(cpu*50%, 50m)', 'cpu') → undefined
 * @example resourceExpressionProblem('invalidvar * 50%', 'cpu') → 'invalid expression: undefined variable: invalidvar'
 */
export function resourceExpressionProblem(expression: string, variable: 'cpu' | 'memory'): string | undefined {
  if (expression === '') return undefined;
  const result = evaluateResourceExpression(expression, { [variable]: { kind: 'number', value: 1 } });
  return result.kind === 'invalid' ? `invalid expression: ${result.message}` : undefined;
}

function expressionProblems(policy: SidecarResourcesPolicy, path: string): FieldProblem[] {
  const expr = policy.resourcesExpr ?? {};
  if (expr.limits === undefined && expr.requests === undefined) {
    return [fieldProblem(path, `Invalid value: ${JSON.stringify(expr)}: at least one of limits or requests must be configured`)];
  }
  const problems: FieldProblem[] = [];
  for (const part of ['limits', 'requests'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      const expression = expr[part]?.[resource] ?? '';
      const problem = resourceExpressionProblem(expression, resource);
      if (problem !== undefined) problems.push(fieldProblem(`${path}.${part}.${resource}`, `Invalid value: ${JSON.stringify(expression)}: ${problem}`));
    }
  }
  return problems;
}

/**
 * Returns the problems of a sidecar container's `resourcesPolicy` (none without one), as
 * OpenKruise's webhook: the container may not also set `resources` (limits or requests: that
 * alone is reported); `targetContainersMode` must be `sum` or `max` (else that alone is
 * reported); `targetContainersNameRegex` is required and must compile (Go syntax); `resourcesExpr`
 * needs `limits` or `requests`, and each cpu / memory expression must evaluate (see
 * {@link resourceExpressionProblem}). Paths are under `path` (`spec.containers[0].resourcesPolicy`).
 *
 * @example a policy with mode 'sum', regex '' and limits.cpu 'cpu*50%' →
 *   `[{ path: 'spec.containers[0].resourcesPolicy.targetContainersNameRegex', message: 'Required value: invalid empty regex' }]`
 */
export function validateResourcesPolicy(container: SidecarContainer, path: string): FieldProblem[] {
  const policy = container.resourcesPolicy;
  if (policy === undefined) return [];
  const resources = container.resources;
  if (Object.keys(resources?.limits ?? {}).length > 0 || Object.keys(resources?.requests ?? {}).length > 0) {
    return [fieldProblem(path, 'Invalid value: resourcesPolicy and resources cannot be configured together')];
  }
  const mode = policy.targetContainersMode;
  if (mode === undefined || mode === '') return [fieldProblem(`${path}.targetContainersMode`, 'Required value: supported values: "sum", "max"')];
  if (!(RESOURCES_POLICY_MODES as readonly string[]).includes(mode)) {
    return [fieldProblem(`${path}.targetContainersMode`, `Unsupported value: ${JSON.stringify(mode)}: supported values: "sum", "max"`)];
  }
  const problems: FieldProblem[] = [];
  const regex = policy.targetContainersNameRegex ?? '';
  const compiled = regex === '' ? undefined : compileGoRegexp(regex);
  if (compiled === undefined) problems.push(fieldProblem(`${path}.targetContainersNameRegex`, 'Required value: invalid empty regex'));
  else if (compiled.kind === 'invalid') problems.push(fieldProblem(`${path}.targetContainersNameRegex`, `Invalid value: ${JSON.stringify(regex)}: invalid regex pattern: ${compiled.message}`));
  return [...problems, ...expressionProblems(policy, `${path}.resourcesExpr`)];
}

/**
 * Returns the problems of the `resourcesPolicy` of every container and init container of a
 * SidecarSet: an init container may have one only when it is a native sidecar (`restartPolicy:
 * Always`, whose resources count for the pod like a container's); each policy is checked by
 * {@link validateResourcesPolicy}.
 *
 * @example an initContainer without restartPolicy with a resourcesPolicy →
 *   `[{ path: 'spec.initContainers[0].resourcesPolicy', message: 'Forbidden: resourcesPolicy is only supported for containers and native sidecar initContainers (restartPolicy: Always)' }]`
 */
export function validateSidecarSetResourcesPolicies(spec: SidecarSetSpec): FieldProblem[] {
  const inits = (spec.initContainers ?? []).flatMap((c, i) => {
    const path = `spec.initContainers[${String(i)}].resourcesPolicy`;
    if (c.resourcesPolicy === undefined) return [];
    if (c.restartPolicy !== 'Always') return [fieldProblem(path, 'Forbidden: resourcesPolicy is only supported for containers and native sidecar initContainers (restartPolicy: Always)')];
    return validateResourcesPolicy(c, path);
  });
  const containers = (spec.containers ?? []).flatMap((c, i) => validateResourcesPolicy(c, `spec.containers[${String(i)}].resourcesPolicy`));
  return [...inits, ...containers];
}
