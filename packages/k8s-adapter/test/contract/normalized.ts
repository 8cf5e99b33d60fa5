const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const IP_IN_TEXT = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;

/**
 * Returns a copy of an API object with the values two clusters cannot share replaced by their
 * kind: timestamps by `<time>`, uids by `<uid>`, resourceVersions by `<rv>`, IPs by `<ip>`,
 * container IDs by `<container-id>` (IPs in managedFields keys too); so objects from the memory cluster and a real apiserver
 * compare with `toEqual`.
 */
export function normalized<T>(value: T): T {
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
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
