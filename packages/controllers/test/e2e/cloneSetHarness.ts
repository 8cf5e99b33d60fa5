import { fileURLToPath } from 'node:url';
import type { CloneSet, Pod } from '@kruise-ts/core';
import { Resources, createSharedInformerFactory, systemClock, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { startTestCluster, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { createCloneSetController, type CloneSetController } from '../../src/cloneset/createCloneSetController.js';
import { parseFeatureGates } from '../../src/manager/featureGates.js';
import { createEventRecorder } from '../../src/runtime/eventRecorder.js';
import { createLogger, type LogLevel } from '../../src/runtime/logger.js';

export const crdFile = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

/** Starts a test cluster with the CloneSet CRD, 3 kwok nodes, a scheduler and garbage collection. */
export function startCloneSetCluster(): Promise<TestCluster> {
  return startTestCluster({ nodes: 3, controllerManager: true, scheduler: true, crds: [crdFile] });
}

/** Runs the CloneSet controller in this process against `client`; returns a stop function. */
export function runCloneSetController(client: KubeClient, featureGates = ''): { stop: () => Promise<void>; controller: CloneSetController } {
  const clock = systemClock();
  const gates = parseFeatureGates(featureGates);
  if (gates.kind !== 'ok') throw new Error(gates.problems.join('; '));
  const informers = createSharedInformerFactory(client, { clock });
  const events = createEventRecorder({ client, component: 'kruise-ts-manager', clock });
  // KRUISE_TS_TEST_LOG=debug shows the controller's logs on stderr.
  const logger = createLogger({ level: (process.env.KRUISE_TS_TEST_LOG ?? 'silent') as LogLevel, destination: process.stderr });
  const controller = createCloneSetController({ client, clock, informers, events, featureGates: gates.gates, logger });
  const abort = new AbortController();
  const running = controller.controller.start(abort.signal);
  return {
    controller,
    stop: async () => {
      abort.abort();
      await running.catch(() => undefined);
      await controller.stop();
      informers.stopAll();
    },
  };
}

export type CloneSetObject = CloneSet & KubeObject;

/** Returns a v1beta1 CloneSet manifest for `name` in `namespace`. */
export function cloneSetManifest(name: string, namespace: string, spec: Partial<CloneSet['spec']> = {}): CloneSetObject {
  return {
    apiVersion: 'apps.kruise.io/v1beta1',
    kind: 'CloneSet',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}

/** Returns the pods of CloneSet `name` (by its selector label). */
export async function podsOf(client: KubeClient, namespace: string, name: string): Promise<(Pod & KubeObject)[]> {
  return (await client.list(Resources.Pod, { namespace, labelSelector: `app=${name}` })).items;
}

/** Returns whether the pod's Ready condition is True. */
export const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
