/**
 * Returns `value` as JSON with object keys sorted: the apiserver stores custom resources as Go
 * maps, so a status comes back with its keys in another order than written; compare this form.
 *
 * @example canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) → '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
