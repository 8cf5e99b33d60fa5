import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIDECARSET_INJECTED_LIST_ANNOTATION, type Container, type Pod, type SidecarSet } from '@kruise-ts/core';
import { KruiseResources, Resources, defineResource, kruiseCrdName, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { freePort, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startCloneSetCluster } from './useCloneSetCluster.js';
import type { ManagerProcess } from './managerProcess.js';
import { applyDeployManifests, startWebhookManager } from './webhookHarness.js';


/** core/v1 Services (the examples expose their sidecars' ports). */
export const Services = defineResource({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true });

/** Generous wait for a condition on a loaded 2-core machine. */
export const WAIT = { timeout: 120_000, interval: 250 } as const;

export type PodObject = Pod & KubeObject;

/** Starts a test cluster with the CloneSet and SidecarSet CRDs, 3 kwok nodes, a scheduler and garbage collection. */
export function startSidecarSetCluster(): Promise<TestCluster> {
  return startCloneSetCluster();
}

/** A kruise-ts-manager process serving webhooks on a fixed loopback port (restartable at the same address). */
export interface SidecarSetManager {
  readonly port: number;
  readonly kubeconfig: string;
  /** The running process (replaced by `restart`). */
  current: ManagerProcess;
  /** Starts a new manager process on the same port (after the previous one was killed). */
  restart(): Promise<ManagerProcess>;
}

/**
 * Installs deploy/'s namespace and RBAC and starts kruise-ts-manager as its service account with
 * its webhooks on loopback (so the apiserver calls them) and every controller; resolves once the
 * SidecarSet CRD converts through the webhook.
 */
export async function startSidecarSetManager(cluster: TestCluster, args: readonly string[] = []): Promise<SidecarSetManager> {
  await applyDeployManifests(cluster.client, 'manager/namespace.yaml');
  await applyDeployManifests(cluster.client, 'manager/rbac.yaml');
  const kubeconfig = await cluster.kubeconfigFor('system:serviceaccount:kruise-system:kruise-ts-manager', ['system:serviceaccounts', 'system:serviceaccounts:kruise-system']);
  const port = await freePort();
  const manager: SidecarSetManager = {
    port,
    kubeconfig,
    current: await startWebhookManager(kubeconfig, port, args),
    async restart() {
      manager.current = await startWebhookManager(kubeconfig, port, args);
      return manager.current;
    },
  };
  await vi.waitFor(async () => {
    const crd = await cluster.client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(KruiseResources.SidecarSet) });
    expect((crd.spec.conversion as { strategy?: string } | undefined)?.strategy).toBe('Webhook');
  }, { timeout: 30_000, interval: 200 });
  return manager;
}

/** The cluster and the manager of a test file. */
export interface SidecarSetEnvironment {
  readonly cluster: TestCluster;
  readonly client: KubeClient;
  readonly manager: SidecarSetManager;
}

/**
 * Registers the `beforeAll` that starts a cluster ({@link startSidecarSetCluster}) and the manager
 * ({@link startSidecarSetManager}) and the `afterAll` that stops both; returns accessors valid in
 * the hooks and tests that come after.
 */
export function useSidecarSetEnvironment(): SidecarSetEnvironment {
  let cluster: TestCluster | undefined;
  let manager: SidecarSetManager | undefined;
  beforeAll(async () => {
    cluster = await startSidecarSetCluster();
    manager = await startSidecarSetManager(cluster);
  });
  afterAll(async () => {
    await manager?.current.kill('SIGKILL');
    await cluster?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the SidecarSet test environment is not started (use it in hooks and tests)');
    return value;
  };
  return {
    get cluster() {
      return started(cluster);
    },
    get client() {
      return started(cluster).client;
    },
    get manager() {
      return started(manager);
    },
  };
}

/** Returns the log lines of the manager that mention a forbidden request (there must be none). */
export const forbiddenLogs = (manager: ManagerProcess): Record<string, unknown>[] => manager.logs.filter((l) => /ForbiddenError|Forbidden| 403 /.test(JSON.stringify(l)));

/** Creates namespace `name` with `labels`. */
export async function createLabelledNamespace(client: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

/** Returns a v1beta1 SidecarSet manifest selecting `app=<app>`. */
export function sidecarSetManifest(name: string, app: string, spec: Partial<SidecarSet['spec']> = {}): SidecarSet & KubeObject {
  return { apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app } }, ...spec } };
}

/** Returns a pod manifest labelled `app=<app>` with one container `app` (nginx). */
export function podManifest(name: string, namespace: string, app: string, containers: readonly Container[] = [{ name: 'app', image: 'nginx:1.25' }]): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app } }, spec: { containers: [...containers] } };
}

/** Returns the names of the pod's containers and init containers. */
export const containerNames = (pod: Pod): { initContainers: string[]; containers: string[] } => ({
  initContainers: (pod.spec.initContainers ?? []).map((c) => c.name),
  containers: pod.spec.containers.map((c) => c.name),
});

/**
 * Waits until the webhooks see what the test just wrote: dry-run creates `probe` (the apiserver
 * calls the pod webhook and stores nothing) until its injected-list annotation is `expected`
 * (`undefined`: nothing injected). The manager's caches follow the apiserver by a watch; a pod
 * created right after a SidecarSet change could otherwise be admitted by a cache a step behind.
 */
export async function waitForInjection(client: KubeClient, probe: PodObject, expected: string | undefined, check: (pod: PodObject) => boolean = () => true): Promise<void> {
  await vi.waitFor(async () => {
    const pod = await client.create(Resources.Pod, { ...probe, metadata: { ...probe.metadata, name: `probe-${String(Date.now())}` } }, { dryRun: true });
    expect(pod.metadata.annotations?.[SIDECARSET_INJECTED_LIST_ANNOTATION]).toBe(expected);
    expect(check(pod)).toBe(true);
  }, { timeout: 30_000, interval: 100 });
}

/** Returns the documents of a manifest file (path relative to the repository root). */
export function readManifests(relative: string): KubeObject[] {
  const text = readFileSync(fileURLToPath(new URL(`../../../../${relative}`, import.meta.url)), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as KubeObject);
}

/** Creates `objects` in order, as `kubectl create -f` would, and returns what the apiserver stored. */
export async function createAll(client: KubeClient, objects: readonly KubeObject[]): Promise<KubeObject[]> {
  const created: KubeObject[] = [];
  for (const object of objects) {
    const kind = object.kind === 'SidecarSet' && object.apiVersion === 'apps.kruise.io/v1alpha1' ? 'SidecarSetV1alpha1' : (object.kind ?? '');
    const type = { SidecarSet: KruiseResources.SidecarSet, SidecarSetV1alpha1: KruiseResources.SidecarSetV1alpha1, CloneSet: Resources.CloneSet, ConfigMap: Resources.ConfigMap, Secret: Resources.Secret, Namespace: Resources.Namespace, Service: Services }[kind];
    if (type === undefined) throw new Error(`createAll: no resource type for ${kind}`);
    created.push(await client.create(type, object));
  }
  return created;
}

/** Waits until `count` pods matching `labelSelector` (e.g. `app=web`) in `namespace` run and are Ready; returns them by name. */
export async function waitForReadyPods(client: KubeClient, namespace: string, labelSelector: string, count: number): Promise<Map<string, PodObject>> {
  let pods: PodObject[] = [];
  await vi.waitFor(async () => {
    pods = (await client.list(Resources.Pod, { namespace, labelSelector })).items;
    expect(pods.filter((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toHaveLength(count);
  }, WAIT);
  return new Map(pods.map((p) => [p.metadata.name ?? '', p]));
}
