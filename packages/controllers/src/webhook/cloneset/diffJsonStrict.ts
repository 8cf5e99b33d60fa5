import { escapeJsonPointer, type JsonPatchOperation } from '@kruise-ts/core';

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Returns the RFC 6902 operations that turn `from` into `to`, where, unlike core's `diffJson`, an
 * empty `{}` or `[]` is a value, not an absence: Kubernetes' defaults write some (`securityContext:
 * {}`, `emptyDir: {}` for a volume without a source) and the stored object must have them.
 * Objects are compared member by member, arrays index by index (trailing elements added, or
 * removed highest index first); `null` is a value too.
 *
 * @example diffJsonStrict({ volumes: [{ name: 'v' }] }, { volumes: [{ name: 'v', emptyDir: {} }] })
 *   // [{ op: 'add', path: '/volumes/0/emptyDir', value: {} }]
 */
export function diffJsonStrict(from: unknown, to: unknown, path = ''): JsonPatchOperation[] {
  if (isObject(from) && isObject(to)) {
    const removed = Object.keys(from).filter((key) => !Object.hasOwn(to, key)).map((key): JsonPatchOperation => ({ op: 'remove', path: `${path}/${escapeJsonPointer(key)}` }));
    const changed = Object.entries(to).flatMap(([key, value]): JsonPatchOperation[] => {
      const child = `${path}/${escapeJsonPointer(key)}`;
      return Object.hasOwn(from, key) ? diffJsonStrict(from[key], value, child) : [{ op: 'add', path: child, value }];
    });
    return [...removed, ...changed];
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const common = Math.min(from.length, to.length);
    const changed = to.slice(0, common).flatMap((value, i) => diffJsonStrict(from[i], value, `${path}/${String(i)}`));
    const added = to.slice(common).map((value, i): JsonPatchOperation => ({ op: 'add', path: `${path}/${String(common + i)}`, value }));
    const removed = from.slice(common).map((_, i): JsonPatchOperation => ({ op: 'remove', path: `${path}/${String(from.length - 1 - i)}` }));
    return [...changed, ...added, ...removed];
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ op: 'replace', path, value: to }];
}
