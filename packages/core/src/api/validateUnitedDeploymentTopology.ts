import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { parseSubsetReplicas } from './parseSubsetReplicas.js';
import type { Subset, UnitedDeploymentSpec } from './unitedDeployment.js';
import { isDnsLabel } from './validateCloneSetTemplate.js';
import { nodeSelectorTermProblems, tolerationsProblems } from './validateSchedulingTerms.js';

const SUBSETS = 'spec.topology.subsets';
// OpenKruise counts an unset maxReplicas as 1,000,000 when it compares sums.
const UNBOUNDED_MAX = 1_000_000;

interface ReplicaTotals {
  sum: number;
  sumMin: number;
  sumMax: number;
  counted: number;
  countedMax: number;
  fixed: boolean;
  elastic: boolean;
}

function readBound(total: number, value: Subset['replicas'], path: string, problems: FieldProblem[]): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseSubsetReplicas(total, value);
  if (parsed.kind === 'invalid') {
    problems.push(fieldProblem(path, `Invalid value: ${JSON.stringify(value)}: ${parsed.message}`));
    return 0;
  }
  return parsed.value;
}

function totalsOf(total: number, subsets: readonly Subset[], problems: FieldProblem[]): ReplicaTotals {
  const t: ReplicaTotals = { sum: 0, sumMin: 0, sumMax: 0, counted: 0, countedMax: 0, fixed: false, elastic: false };
  subsets.forEach((subset, i) => {
    const at = `${SUBSETS}[${String(i)}]`;
    const replicas = readBound(total, subset.replicas, `${at}.replicas`, problems);
    const min = readBound(total, subset.minReplicas, `${at}.minReplicas`, problems);
    const max = readBound(total, subset.maxReplicas, `${at}.maxReplicas`, problems);
    if (replicas !== undefined) {
      t.counted++;
      t.fixed = true;
    }
    if (min !== undefined || max !== undefined) t.elastic = true;
    if (max !== undefined) t.countedMax++;
    t.sum += replicas ?? 0;
    t.sumMin += min ?? 0;
    t.sumMax += max ?? UNBOUNDED_MAX;
    if ((min ?? 0) > (max ?? UNBOUNDED_MAX)) problems.push(fieldProblem(`${at}.minReplicas`, `Invalid value: subset[${String(i)}].minReplicas must be more than or equal to maxReplicas`));
  });
  return t;
}

/**
 * Returns the problems of the subsets' replicas as OpenKruise's `validateSubsetReplicas`: each
 * value readable; `replicas` and `minReplicas`/`maxReplicas` never mixed; with min/max,
 * `spec.replicas` set, at least one subset without `maxReplicas`, Σmin ≤ Σmax; without,
 * Σreplicas ≤ `spec.replicas`, equal when every subset says its replicas, and every subset saying
 * it when `spec.replicas` is unset.
 *
 * @example replicas 10, subsets a: 6, b: 6 → `[{ path: 'spec.topology.subsets', message: 'Invalid value: 12: sum of indicated subset replicas 12 should not be greater than UnitedDeployment replicas 10' }]`
 */
export function subsetReplicasProblems(replicas: number | undefined, subsets: readonly Subset[]): FieldProblem[] {
  const total = replicas ?? -1;
  const problems: FieldProblem[] = [];
  const t = totalsOf(total, subsets, problems);
  if (t.fixed && t.elastic) return [...problems, fieldProblem(SUBSETS, 'Invalid value: subset.Replicas and subset.MinReplicas/subset.MaxReplicas are mutually exclusive in a UnitedDeployment')];
  if (t.elastic) {
    if (total === -1) problems.push(fieldProblem(SUBSETS, 'Invalid value: spec.replicas must be not empty if you set subset.minReplicas/maxReplicas'));
    if (t.countedMax >= subsets.length) problems.push(fieldProblem(SUBSETS, `Invalid value: ${String(t.countedMax)}: at least one subset.maxReplicas must be empty`));
    if (t.sumMin > t.sumMax) problems.push(fieldProblem(SUBSETS, `Invalid value: ${String(t.sumMin)}: sum of indicated subset.minReplicas should not be greater than sum of indicated subset.maxReplicas`));
  } else if (total !== -1) {
    if (t.sum > total) problems.push(fieldProblem(SUBSETS, `Invalid value: ${String(t.sum)}: sum of indicated subset replicas ${String(t.sum)} should not be greater than UnitedDeployment replicas ${String(total)}`));
    if (t.counted > 0 && t.counted === subsets.length && t.sum !== total) {
      problems.push(fieldProblem(SUBSETS, `Invalid value: ${String(t.sum)}: if replicas of all subsets are provided, the sum of indicated subset replicas ${String(t.sum)} should equal UnitedDeployment replicas ${String(total)}`));
    }
  } else if (t.counted !== subsets.length) {
    problems.push(fieldProblem(SUBSETS, 'Invalid value: if UnitedDeployment replicas is not provided, replicas of all subsets should be provided'));
  }
  return problems;
}

/**
 * Returns the problems of the subsets themselves: names required, unique and DNS labels; node
 * selector terms whose requirements have an operator and the values it needs; tolerations with
 * a known operator (`Exists` without value); no `replicas` under the Adaptive strategy (it moves
 * replicas itself); and partitions naming only known subsets.
 *
 * @example subsets [{ name: 'a' }, { name: 'a' }] → `[{ path: 'spec.topology.subsets[1].name', message: 'Invalid value: "a": duplicated subset name a' }]`
 */
export function subsetsProblems(spec: UnitedDeploymentSpec): FieldProblem[] {
  const subsets = spec.topology?.subsets ?? [];
  const adaptive = spec.topology?.scheduleStrategy?.type === 'Adaptive';
  const seen = new Set<string>();
  const problems = subsets.flatMap((subset, i) => {
    const at = `${SUBSETS}[${String(i)}]`;
    const found: FieldProblem[] = [];
    if (subset.name === '') found.push(fieldProblem(`${at}.name`, 'Required value'));
    if (seen.has(subset.name)) found.push(fieldProblem(`${at}.name`, `Invalid value: ${JSON.stringify(subset.name)}: duplicated subset name ${subset.name}`));
    seen.add(subset.name);
    if (subset.name !== '' && !isDnsLabel(subset.name)) found.push(fieldProblem(`${at}.name`, `Invalid value: ${JSON.stringify(subset.name)}: invalid subset name a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`));
    found.push(...nodeSelectorTermProblems(subset.nodeSelectorTerm, `${at}.nodeSelectorTerm`), ...tolerationsProblems(subset.tolerations, `${at}.tolerations`));
    if (subset.replicas !== undefined && adaptive) found.push(fieldProblem(`${at}.replicas`, 'Forbidden: specific allocator is not allowed in adaptive strategy, use minReplicas/maxReplicas to enable elastic allocator instead'));
    return found;
  });
  const partitions = spec.updateStrategy?.manualUpdate?.partitions ?? {};
  for (const name of Object.keys(partitions)) {
    if (!seen.has(name)) problems.push(fieldProblem('spec.updateStrategy.partitions', `Invalid value: subset ${name} does not exist`));
  }
  return problems;
}
