import type { KubeObject } from '../resourceType.js';

/**
 * Returns the values an object is indexed under (none, one or several); the store maps each value
 * back to the objects. Must be pure and depend only on the object.
 *
 * @example byNodeName(pod on node `kwok-node-0`) → ['kwok-node-0']
 */
export type IndexFunction<T extends KubeObject = KubeObject> = (object: T) => readonly string[];

/** Name of the index by the uid of the object itself (used by resource-version expectations). */
export const UID_INDEX = 'uid';
/** Name of the index by the uid of the controller ownerReference. */
export const OWNER_INDEX = 'owner';
/** Name of the index by `spec.nodeName` (pods). */
export const NODE_INDEX = 'node';

/** Returns `[uid]`, or `[]` for an object without a uid. */
export const byUid: IndexFunction = (object) => (object.metadata.uid === undefined ? [] : [object.metadata.uid]);

/**
 * Returns the uid of the ownerReference with `controller: true`, the one that manages the object
 * (at most one per object), or `[]`.
 *
 * @example ownerReferences [{ uid: 'a' }, { uid: 'b', controller: true }] → ['b']
 */
export const byControllerOwner: IndexFunction = (object) => {
  const owner = object.metadata.ownerReferences?.find((reference) => reference.controller === true);
  return owner === undefined ? [] : [owner.uid];
};

/** Returns `[spec.nodeName]` when the object has a non-empty one (a scheduled pod), else `[]`. */
export const byNodeName: IndexFunction = (object) => {
  const spec = object.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' && spec.nodeName !== '' ? [spec.nodeName] : [];
};

/** Returns the name of the index built by {@link byLabel} for `key`: `label:<key>`. */
export function labelIndexName(key: string): string {
  return `label:${key}`;
}

/**
 * Returns an index function mapping objects to the value of label `key` (`[]` without the label).
 *
 * @example byLabel('app')(pod labelled app=web) → ['web']
 */
export function byLabel(key: string): IndexFunction {
  return (object) => {
    const value = object.metadata.labels?.[key];
    return value === undefined ? [] : [value];
  };
}

/**
 * Returns the index definitions for label keys, named by {@link labelIndexName}, to spread into
 * an informer's `indexes`.
 *
 * @example labelIndexes(['app']) → { 'label:app': byLabel('app') }; then store.byIndex('label:app', 'web')
 */
export function labelIndexes(keys: readonly string[]): Record<string, IndexFunction> {
  return Object.fromEntries(keys.map((key) => [labelIndexName(key), byLabel(key)]));
}

/** The indexes every informer store has: by uid, by controller owner uid and by node name. */
export const DEFAULT_INDEXES: Readonly<Record<string, IndexFunction>> = {
  [UID_INDEX]: byUid,
  [OWNER_INDEX]: byControllerOwner,
  [NODE_INDEX]: byNodeName,
};
