import { parseResourceDistribution, selectTargetNamespaces, type ResourceDistribution } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeObject, type Namespace, type ObjectStore } from '@kruise-ts/k8s-adapter';
import { runningController, type ControllerDeps, type RunningController } from '../runtime/controllerDeps.js';
import { createController } from '../runtime/createController.js';
import { generationChanged, labelsChanged, type EventPredicate } from '../runtime/predicates.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../runtime/watches.js';
import { namespaceView } from './observeResourceDistribution.js';
import { reconcileResourceDistribution } from './reconcileResourceDistribution.js';

/** Options of {@link createResourceDistributionController}. */
export interface ResourceDistributionControllerOptions extends ControllerDeps {
  /** Distributions reconciled at once (default 3, OpenKruise's `--resourcedistribution-workers`). */
  readonly concurrency?: number | undefined;
}

const DISTRIBUTION_OWNER = { group: 'apps.kruise.io', kind: 'ResourceDistribution', namespaced: false } as const;

/** A changed or deleted copy brings its distribution back; a created one is its own write (OpenKruise ignores creations). */
const notCreated: EventPredicate<KubeObject> = (event) => event.type !== 'added';

/**
 * Returns the names of the distributions whose targets take in `namespace` (by name, list or
 * selector): a namespace created, deleted or relabelled brings them back, with its labels before
 * and after the change (enqueueMapped maps both), so a namespace that stops matching loses its copy.
 */
function distributionsFor(distributions: ObjectStore<ResourceDistribution & KubeObject>, namespace: Namespace): string[] {
  const view = namespaceView(namespace);
  return distributions
    .list()
    .filter((object) => {
      const parsed = parseResourceDistribution(object);
      return parsed.kind === 'valid' && selectTargetNamespaces(parsed.value.spec.targets, [view]).matched.includes(view.name);
    })
    .map((object) => object.metadata.name ?? '');
}

/**
 * Returns the ResourceDistribution controller (`resourcedistribution`, run only with the
 * ResourceDistributionGate gate, off by default as in OpenKruise): informers on
 * ResourceDistributions (spec changes), namespaces (created, deleted, relabelled), and Secrets and
 * ConfigMaps (changes and deletions of copies, by their controller reference), and
 * `reconcileResourceDistribution` for each. The Secret cache keeps the data of copies only
 * (the shared factory's `distributedCopyView`). Call `controller.start(signal)`.
 */
export function createResourceDistributionController(options: ResourceDistributionControllerOptions): RunningController {
  const { informers, clock } = options;
  const distributions = informers.informerFor(KruiseResources.ResourceDistribution);
  const namespaces = informers.informerFor(Resources.Namespace);
  const secrets = informers.informerFor(Resources.Secret);
  const configMaps = informers.informerFor(Resources.ConfigMap);
  const caches = { distributions: distributions.store, namespaces: namespaces.store, secrets: secrets.store, configMaps: configMaps.store };
  const deps = { client: options.client, clock, events: options.events, caches };
  const controller = createController({
    name: 'resourcedistribution',
    concurrency: options.concurrency ?? 3,
    clock,
    logger: options.logger,
    metrics: options.metrics,
    watches: [
      enqueueObject(distributions, { predicate: generationChanged }),
      enqueueMapped(namespaces, (namespace) => distributionsFor(distributions.store, namespace), { predicate: labelsChanged }),
      enqueueOwner(secrets, DISTRIBUTION_OWNER, { predicate: notCreated }),
      enqueueOwner(configMaps, DISTRIBUTION_OWNER, { predicate: notCreated }),
    ],
    reconcile: (key, context) => reconcileResourceDistribution(deps, key, context),
  });
  return runningController(controller, [], [distributions, namespaces, secrets, configMaps]);
}
