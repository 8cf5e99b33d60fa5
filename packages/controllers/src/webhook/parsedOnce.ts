/**
 * Returns `parse` remembered per object: an informer cache hands out the same object until it
 * changes (and its objects are never mutated), so a webhook that parses a cached WorkloadSpread or
 * PodUnavailableBudget on every pod admission parses each version of it once. Objects read from
 * the apiserver are new each time: parsed each time, and forgotten with them (a WeakMap).
 *
 * @example const parse = parsedOnce(parseWorkloadSpread); parse(cached) === parse(cached) // true: parsed once
 */
export function parsedOnce<T extends object, R>(parse: (value: T) => R): (value: T) => R {
  const parsed = new WeakMap<T, R>();
  return (value) => {
    if (parsed.has(value)) return parsed.get(value) as R;
    const result = parse(value);
    parsed.set(value, result);
    return result;
  };
}
