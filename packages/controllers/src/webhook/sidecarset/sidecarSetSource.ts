import { NAMESPACE_NAME_LABEL, SIDECARSET_NAME_LABEL, parseSidecarSet, type ControllerRevision, type Labels, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, NotFoundError, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';

/**
 * What the SidecarSet webhooks read of the cluster: every SidecarSet (parsed to v1beta1), their
 * ControllerRevisions, and the labels of a namespace. The manager's implementation is the
 * informer-backed cache (`createSidecarSetCache`, on every replica); `clientSidecarSetSource`
 * lists through the apiserver on each call; `staticSidecarSetSource` serves fixed data (tests,
 * benchmarks). Every method may wait (the cache's first sync) and gives up when `signal` aborts.
 */
export interface SidecarSetSource {
  /** Returns every SidecarSet that parses, sorted by name (the order OpenKruise injects them in). */
  sidecarSets(signal: AbortSignal): Promise<readonly SidecarSet[]>;
  /** Returns the SidecarSets' ControllerRevisions (labelled `kruise.io/sidecarset-name`, in the manager's namespace). */
  revisions(signal: AbortSignal): Promise<readonly ControllerRevision[]>;
  /** Returns the labels of `namespace`; undefined when it does not exist. */
  namespaceLabels(namespace: string, signal: AbortSignal): Promise<Labels>;
}

/** A SidecarSet whose stored form kruise-ts cannot read: left out of injection and conflict checks. */
export interface UnreadableSidecarSet {
  readonly name: string;
  readonly problems: string;
}

const byName = (a: SidecarSet, b: SidecarSet): number => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * Returns the SidecarSets among `objects` that parse (v1alpha1 converted), sorted by name, and the
 * names of those that do not with their problems.
 *
 * @example [log (valid), broken (spec.containers: expected array)] → { sidecarSets: [log], unreadable: [{ name: 'broken', problems: 'spec.containers: …' }] }
 */
export function readSidecarSets(objects: readonly KubeObject[]): { sidecarSets: SidecarSet[]; unreadable: UnreadableSidecarSet[] } {
  const sidecarSets: SidecarSet[] = [];
  const unreadable: UnreadableSidecarSet[] = [];
  for (const object of objects) {
    const parsed = parseSidecarSet(object);
    if (parsed.kind === 'valid') sidecarSets.push(parsed.value);
    else unreadable.push({ name: object.metadata.name ?? '', problems: parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ') });
  }
  return { sidecarSets: sidecarSets.sort(byName), unreadable };
}

/**
 * Returns a {@link SidecarSetSource} that asks the apiserver on every call (no cache): SidecarSets
 * listed cluster-wide, revisions listed in `managerNamespace`, a namespace read by name. For tools
 * and for registries built without the manager's cache; the manager itself uses the cache.
 */
export function clientSidecarSetSource(client: KubeClient, managerNamespace: string): SidecarSetSource {
  return {
    async sidecarSets(signal) {
      return readSidecarSets((await client.list(KruiseResources.SidecarSet, { signal })).items).sidecarSets;
    },
    async revisions(signal) {
      return (await client.list(Resources.ControllerRevision, { namespace: managerNamespace, labelSelector: SIDECARSET_NAME_LABEL, signal })).items;
    },
    async namespaceLabels(namespace, signal) {
      try {
        return (await client.get(Resources.Namespace, { name: namespace }, { signal })).metadata.labels ?? {};
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
  };
}

/** Fixed data for {@link staticSidecarSetSource}. */
export interface StaticSidecarSetData {
  readonly sidecarSets: readonly SidecarSet[];
  readonly revisions?: readonly ControllerRevision[] | undefined;
  /** Labels by namespace name; a namespace not listed exists with only `kubernetes.io/metadata.name`. */
  readonly namespaces?: Readonly<Record<string, Labels>> | undefined;
}

/**
 * Returns a {@link SidecarSetSource} over fixed data, for tests and benchmarks.
 *
 * @example staticSidecarSetSource({ sidecarSets: [logSidecarSet], namespaces: { apps: { team: 'a' } } })
 */
export function staticSidecarSetSource(data: StaticSidecarSetData): SidecarSetSource {
  const sorted = [...data.sidecarSets].sort(byName);
  return {
    sidecarSets: () => Promise.resolve(sorted),
    revisions: () => Promise.resolve(data.revisions ?? []),
    namespaceLabels: (namespace) => Promise.resolve(data.namespaces?.[namespace] ?? { [NAMESPACE_NAME_LABEL]: namespace }),
  };
}
