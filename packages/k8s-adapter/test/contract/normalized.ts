const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IP_IN_TEXT = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;

// managedFields in the apiserver's order (Go's sortEncodedManagedFields) with its time key left out.
type ManagedFieldsEntry = { readonly operation?: string; readonly manager?: string; readonly subresource?: string };
const entryKey = (e: ManagedFieldsEntry): string => [e.operation ?? '', e.manager ?? '', e.subresource ?? ''].join('\u0000');
const byEntryKey = (a: unknown, b: unknown): number => {
  const [p, q] = [entryKey(a as ManagedFieldsEntry), entryKey(b as ManagedFieldsEntry)];
  return p < q ? -1 : p > q ? 1 : 0;
};

/**
 * Returns a copy of an API object with the values two clusters cannot share replaced by their
 * kind: timestamps by `<time>`, uids by `<uid>`, resourceVersions by `<rv>`, IPs by `<ip>`,
 * container IDs by `<container-id>` (IPs in managedFields keys too); so objects from the memory cluster and a real apiserver
 * compare with `toEqual`. managedFields entries are put in the apiserver's order without its time
 * key (operation, then manager, then subresource): the apiserver orders entries of one operation
 * by the second they were written, so two writes a second apart swap places between runs (a red
 * CI run: `creator` at second N before `controller` at N+1, recorded in one second).
 */
export function normalized<T>(value: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return key === 'managedFields' ? v.map((x) => walk(x, key)).sort(byEntryKey) : v.map((x) => walk(x, key));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(IP_IN_TEXT, '<ip>'), walk(x, k)]));
    if (typeof v !== 'string') return v;
    if (key === 'resourceVersion') return '<rv>';
    if (key === 'containerID') return '<container-id>';
    if (TIME.test(v)) return '<time>';
    if (UID.test(v)) return '<uid>';
    if (IP.test(v)) return '<ip>';
    return v;
  };
  return walk(value, '') as T;
}
