import { fieldSetOf, fromFieldsV1, toFieldsV1, valueAtPath, type FieldSet } from './fieldSet.js';
import { deepEqual, isJsonObject, type JsonObject } from './jsonValue.js';
import type { ListStrategyOf } from './listStrategy.js';

/** One entry of `metadata.managedFields`. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Who writes, and how field paths of the kind are computed. */
export interface FieldManagerContext {
  readonly manager: string;
  readonly apiVersion: string;
  /** `status`, `scale`... or undefined for the main resource. */
  readonly subresource: string | undefined;
  /** RFC 3339 time of the write. */
  readonly time: string;
  readonly strategyOf: ListStrategyOf;
  /** Top-level fields this write may own (e.g. only `status` for a status write). */
  readonly sections: (field: string) => boolean;
  /** Paths the empty object of the kind already has (Go zero values: `.spec`, `.spec.containers`...), never "added". */
  readonly alwaysPresent: readonly (readonly string[])[];
}

/** A managedFields entry with its field set decoded. */
export interface ManagerSet {
  readonly entry: ManagedFieldsEntry;
  set: FieldSet;
}

/** Returns the managedFields of `object` with their sets decoded. */
export function readManagers(object: JsonObject | undefined): ManagerSet[] {
  const metadata = object?.metadata;
  const list = isJsonObject(metadata) && Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  return list.filter(isJsonObject).map((e) => ({ entry: e as unknown as ManagedFieldsEntry, set: fromFieldsV1(e.fieldsV1) }));
}

/** Returns whether an entry is the writer of `context` with `operation`. */
export function isManager(entry: ManagedFieldsEntry, context: FieldManagerContext, operation: ManagedFieldsEntry['operation']): boolean {
  return entry.manager === context.manager && entry.operation === operation && (entry.subresource ?? '') === (context.subresource ?? '');
}

/**
 * Returns how a manager is named in conflict messages: `"kubectl"` for an applier,
 * `"editor" using v1` for an updater, `"hpa" with subresource "scale" using apps/v1`.
 */
export function describeManager(entry: ManagedFieldsEntry): string {
  const subresource = entry.subresource === undefined ? '' : ` with subresource "${entry.subresource}"`;
  return `"${entry.manager}"${subresource}${entry.operation === 'Update' ? ` using ${entry.apiVersion}` : ''}`;
}

/** Returns the entries encoded and sorted as the apiserver sorts them (operation, time, manager...). */
export function encodeManagers(managers: readonly ManagerSet[]): ManagedFieldsEntry[] {
  const entries = managers.filter((m) => m.set.size > 0).map((m) => ({ ...m.entry, fieldsV1: toFieldsV1(m.set) }));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (a, b) => cmp(a.operation, b.operation) || cmp(a.time ?? '', b.time ?? '') || cmp(a.manager, b.manager) || cmp(a.apiVersion, b.apiVersion) || cmp(a.subresource ?? '', b.subresource ?? ''),
  );
}

/** Returns the entry of the writer of `context`, adding an empty one when missing. */
export function managerEntry(managers: ManagerSet[], context: FieldManagerContext, operation: ManagedFieldsEntry['operation']): ManagerSet {
  const found = managers.find((m) => isManager(m.entry, context, operation));
  if (found !== undefined) return found;
  const entry: ManagedFieldsEntry = {
    manager: context.manager,
    operation,
    apiVersion: context.apiVersion,
    time: context.time,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(context.subresource === undefined ? {} : { subresource: context.subresource }),
  };
  const created = { entry, set: new Set<string>() };
  managers.push(created);
  return created;
}

/** Returns a predicate telling whether no other member of `set` lies below a member (computed once, linear). */
export function leafTest(set: FieldSet): (member: string) => boolean {
  const parents = new Set<string>();
  for (const member of set) {
    const path = JSON.parse(member) as string[];
    for (let i = 1; i < path.length; i++) parents.add(JSON.stringify(path.slice(0, i)));
  }
  return (member) => !parents.has(member);
}

/**
 * Returns the managedFields after an update (create, replace, patch) by the writer of `context`:
 * the writer takes ownership of every field it added or changed (other managers lose them), and
 * fields it removed leave every manager.
 *
 * @example a merge patch of spec.replicas by "m2" on an object applied by "m1" → "m1" no longer
 *   owns .spec.replicas, "m2" (operation Update) does.
 */
export function recordUpdate(before: JsonObject | undefined, after: JsonObject, context: FieldManagerContext): ManagedFieldsEntry[] {
  const sent = isJsonObject(after.metadata) ? after.metadata.managedFields : undefined;
  const managers = readManagers(sent === undefined ? before : after);
  const oldSet = before === undefined ? new Set<string>() : fieldSetOf(before, context.strategyOf, context.sections, true);
  const newSet = fieldSetOf(after, context.strategyOf, context.sections, true);
  const present = new Set(context.alwaysPresent.map((p) => JSON.stringify(p.map((f) => `f:${f}`))));
  const changed = new Set<string>();
  const isLeaf = leafTest(newSet);
  for (const member of newSet) {
    const path = JSON.parse(member) as string[];
    const leaf = isLeaf(member);
    if ((!oldSet.has(member) && (leaf || !present.has(member))) || (leaf && !deepEqual(valueAtPath(before, path), valueAtPath(after, path)))) changed.add(member);
  }
  const removed = [...oldSet].filter((m) => !newSet.has(m));
  if (changed.size === 0 && removed.length === 0) return encodeManagers(managers);
  for (const m of managers) for (const member of [...changed, ...removed]) m.set.delete(member);
  const mine = managerEntry(managers, context, 'Update');
  for (const member of changed) mine.set.add(member);
  // The apiserver records no time for writes through the scale subresource.
  if (context.subresource === 'scale') delete mine.entry.time;
  else mine.entry.time = context.time;
  return encodeManagers(managers);
}
