import { fieldSetOf, formatFieldPath, valueAtPath, type FieldSet } from './fieldSet.js';
import { removeKey, deepClone, deepEqual, isJsonObject, type JsonObject, type JsonValue } from './jsonValue.js';
import type { ListStrategyOf } from './listStrategy.js';
import { describeManager, encodeManagers, isManager, leafTest, managerEntry, readManagers, type FieldManagerContext, type ManagedFieldsEntry } from './managedFields.js';
import { mergeSorted } from './strategicMergePatch.js';

/** A field the applier would change that another manager owns. */
export interface ApplyConflict {
  /** The owner as the apiserver names it: `"m2" using v1`. */
  readonly manager: string;
  /** `.spec.replicas` */
  readonly field: string;
}

/** The result of an apply: the merged object and its managedFields, or the conflicts. */
export type ApplyResult =
  | { readonly kind: 'applied'; readonly object: JsonObject; readonly managedFields: ManagedFieldsEntry[] }
  | { readonly kind: 'conflict'; readonly conflicts: readonly ApplyConflict[] };

function mergeApplied(live: JsonValue | undefined, config: JsonValue, fieldPath: readonly string[], strategyOf: ListStrategyOf): JsonValue {
  if (isJsonObject(config)) {
    const result: JsonObject = isJsonObject(live) ? deepClone(live) : {};
    for (const [key, value] of Object.entries(config)) {
      if (value === null) removeKey(result, key);
      else result[key] = mergeApplied(result[key], value, [...fieldPath, key], strategyOf);
    }
    return result;
  }
  if (!Array.isArray(config) || !Array.isArray(live)) return deepClone(config);
  const strategy = strategyOf(fieldPath);
  if (strategy.kind === 'atomic') return deepClone(config);
  const same =
    strategy.kind === 'set'
      ? (a: JsonValue, b: JsonValue) => deepEqual(a, b)
      : (a: JsonValue, b: JsonValue) => isJsonObject(a) && isJsonObject(b) && strategy.keys.every((k) => deepEqual(a[k], b[k]));
  const merged = config.map((item) => {
    const match = live.find((l) => same(l, item));
    return match === undefined || strategy.kind === 'set' ? deepClone(item) : mergeApplied(match, item, fieldPath, strategyOf);
  });
  const serverOnly = live.filter((l) => !config.some((c) => same(l, c)));
  return mergeSorted(serverOnly, merged, (item) => live.findIndex((l) => same(l, item)));
}

function removePath(object: JsonObject, path: readonly string[]): void {
  const parent = valueAtPath(object, path.slice(0, -1));
  const last = path.at(-1) ?? '';
  if (last.startsWith('f:')) {
    if (isJsonObject(parent)) removeKey(parent, last.slice(2));
  } else if (Array.isArray(parent)) {
    const item = valueAtPath(parent, [last]);
    const index = parent.indexOf(item as JsonValue);
    if (index >= 0) parent.splice(index, 1);
  }
}

function stripIdentity(config: JsonObject): JsonObject {
  const { metadata, ...rest } = config;
  if (!isJsonObject(metadata)) return rest;
  const { name: _n, namespace: _ns, managedFields: _mf, resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _g, ...meta } = metadata;
  return Object.keys(meta).length === 0 ? rest : { ...rest, metadata: meta };
}

/**
 * Returns the object after a server-side apply of `config` by the manager of `context`, or the
 * conflicts: fields in `config` whose value differs from the live object and that another manager
 * owns (with `force` they are taken over instead). Fields this manager applied before and no
 * longer applies are removed unless another manager also owns them.
 *
 * @example live replicas 5 owned by "kubectl" (Update); apply { spec: { replicas: 3 } } by "ci"
 *   → conflict `.spec.replicas` with "kubectl"; with force → replicas 3, owned by "ci" only.
 */
export function applyConfiguration(live: JsonObject | undefined, config: JsonObject, context: FieldManagerContext, force: boolean): ApplyResult {
  const intent = stripIdentity(config);
  const applied: FieldSet = fieldSetOf(intent, context.strategyOf, context.sections);
  const merged = mergeApplied(live ?? {}, intent, [], context.strategyOf) as JsonObject;
  const managers = readManagers(live);
  const mine = managerEntry(managers, context, 'Apply');
  const previous = new Set(mine.set);
  const conflicts: { owner: (typeof managers)[number]; member: string }[] = [];
  const isLeaf = leafTest(applied);
  for (const owner of managers) {
    if (isManager(owner.entry, context, 'Apply')) continue;
    for (const member of applied) {
      const path = JSON.parse(member) as string[];
      if (owner.set.has(member) && isLeaf(member) && !deepEqual(valueAtPath(live, path), valueAtPath(merged, path))) conflicts.push({ owner, member });
    }
  }
  if (conflicts.length > 0 && !force) {
    return { kind: 'conflict', conflicts: conflicts.map((c) => ({ manager: describeManager(c.owner.entry), field: formatFieldPath(c.member) })) };
  }
  for (const c of conflicts) c.owner.set.delete(c.member);
  for (const member of previous) {
    if (applied.has(member) || managers.some((m) => m !== mine && m.set.has(member))) continue;
    removePath(merged, JSON.parse(member) as string[]);
  }
  const changed = applied.size !== previous.size || [...applied].some((m) => !previous.has(m));
  mine.set = applied;
  if (changed || mine.entry.time === undefined) mine.entry.time = context.time;
  return { kind: 'applied', object: merged, managedFields: encodeManagers(managers) };
}
