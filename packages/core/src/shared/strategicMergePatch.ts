import { removeKey, deepClone, deepEqual, isJsonObject, type JsonObject, type JsonValue } from './jsonValue.js';
import type { ListStrategyOf } from './listStrategy.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/**
 * Returns two ordered lists merged the way apimachinery's strategic merge does when no
 * `$setElementOrder` is given: items of the patch keep their order, items only on the server keep
 * theirs, and the two are interleaved by their position on the server (patch items new to the
 * server come first). Example: server [A, B], patch [C, A] → [C, A, B].
 */
export function mergeSorted<T>(serverOnly: readonly T[], patched: readonly T[], serverIndex: (item: T) => number): T[] {
  const result: T[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    const left = serverOnly[i];
    const right = patched[j];
    if (right === undefined || (left !== undefined && serverIndex(left) >= 0 && serverIndex(right) >= 0 && serverIndex(left) < serverIndex(right))) {
      if (left !== undefined) result.push(left);
      i++;
    } else {
      result.push(right);
      j++;
    }
  }
  return result;
}

function mergeMapList(original: readonly JsonValue[], patch: readonly JsonValue[], mergeKey: string, path: readonly string[], strategyOf: ListStrategyOf, order: readonly JsonValue[] | undefined): JsonValue[] {
  if (patch.some((item) => isJsonObject(item) && item[PATCH] === 'replace')) {
    return patch.filter((item) => !(isJsonObject(item) && item[PATCH] === 'replace')).map((item) => mergeValue(undefined, item, path, strategyOf));
  }
  const keyOf = (item: JsonValue): JsonValue | undefined => (isJsonObject(item) ? item[mergeKey] : undefined);
  const indexIn = (list: readonly JsonValue[], key: JsonValue | undefined): number => (key === undefined ? -1 : list.findIndex((x) => deepEqual(keyOf(x), key)));
  const deleted = patch.filter((item) => isJsonObject(item) && item[PATCH] === 'delete');
  const patched: JsonValue[] = [];
  for (const item of patch) {
    if (isJsonObject(item) && item[PATCH] === 'delete') continue;
    const at = indexIn(original, keyOf(item));
    patched.push(mergeValue(at >= 0 ? original[at] : undefined, item, path, strategyOf));
  }
  const serverOnly = original.filter((item) => indexIn(patch, keyOf(item)) < 0 && indexIn(deleted, keyOf(item)) < 0);
  const merged = mergeSorted(serverOnly, patched, (item) => indexIn(original, keyOf(item)));
  if (order === undefined) return merged;
  const rank = (item: JsonValue): number => {
    const at = order.findIndex((o) => deepEqual(keyOf(o), keyOf(item)));
    return at < 0 ? order.length : at;
  };
  return [...merged].sort((a, b) => rank(a) - rank(b));
}

function mergeList(original: unknown, patch: readonly JsonValue[], path: readonly string[], strategyOf: ListStrategyOf, order: readonly JsonValue[] | undefined, removals: readonly JsonValue[] | undefined): JsonValue[] {
  const strategy = strategyOf(path);
  const current = Array.isArray(original) ? (original as JsonValue[]) : [];
  if (strategy.kind === 'map') return mergeMapList(current, patch, strategy.mergeKey, path, strategyOf, order);
  if (strategy.kind === 'atomic') return patch.map((item) => deepClone(item));
  const indexIn = (list: readonly JsonValue[], value: JsonValue): number => list.findIndex((x) => deepEqual(x, value));
  const added = patch.filter((value, i) => indexIn(patch, value) === i);
  const serverOnly = current.filter((value) => indexIn(added, value) < 0 && indexIn(removals ?? [], value) < 0);
  return mergeSorted(serverOnly, added, (value) => indexIn(current, value));
}

function mergeObject(original: JsonObject | undefined, patch: JsonObject, path: readonly string[], strategyOf: ListStrategyOf): JsonObject {
  if (patch[PATCH] === 'replace') return mergeObject(undefined, { ...patch, [PATCH]: null }, path, strategyOf);
  const result: JsonObject = original === undefined ? {} : deepClone(original);
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) for (const key of Object.keys(result)) if (!retain.includes(key) && !Object.hasOwn(patch, key)) removeKey(result, key);
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (!Object.hasOwn(patch, field) && Array.isArray(result[field]) && Array.isArray(value)) {
        result[field] = mergeList(result[field], [], [...path, field], strategyOf, undefined, value);
      }
      continue;
    }
    if (value === null || (isJsonObject(value) && value[PATCH] === 'delete')) {
      removeKey(result, key);
      continue;
    }
    const order = patch[`${SET_ORDER}${key}`];
    const removals = patch[`${DELETE_FROM}${key}`];
    result[key] = Array.isArray(value)
      ? mergeList(result[key], value, [...path, key], strategyOf, Array.isArray(order) ? order : undefined, Array.isArray(removals) ? removals : undefined)
      : mergeValue(result[key], value, [...path, key], strategyOf);
  }
  return result;
}

function mergeValue(original: unknown, patch: JsonValue, path: readonly string[], strategyOf: ListStrategyOf): JsonValue {
  if (isJsonObject(patch)) {
    return mergeObject(isJsonObject(original) ? original : undefined, patch, path, strategyOf);
  }
  if (Array.isArray(patch)) return mergeList(original, patch, path, strategyOf, undefined, undefined);
  return deepClone(patch);
}

/**
 * Returns `original` with a strategic merge patch applied, as the apiserver does for built-in
 * kinds: maps merge, `null` deletes, lists merge by their merge key (containers by `name`,
 * conditions by `type`... see `builtinListStrategy`) or replace when atomic, and the directives
 * `$patch: replace|delete`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured. Neither argument is modified.
 *
 * @example applyStrategicMergePatch({ spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] } },
 *   { spec: { containers: [{ name: 'b', image: '2' }] } }, builtinListStrategy)
 *   → { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } }
 */
export function applyStrategicMergePatch(original: unknown, patch: JsonObject, strategyOf: ListStrategyOf): JsonObject {
  return mergeObject(isJsonObject(original) ? original : undefined, patch, [], strategyOf);
}
