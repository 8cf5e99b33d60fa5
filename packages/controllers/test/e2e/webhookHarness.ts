import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CloneSetV1alpha1 } from '@kruise-ts/core';
import { KruiseResources, Resources, kruiseCrdName, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import type { TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { expect, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { startManager, type ManagerProcess } from './managerProcess.js';

/** The seed manifest: an OpenKruise v1alpha1 CloneSet in namespace `kri-dev`, odd registry images and all. */
export const seedCloneSet = (): CloneSetV1alpha1 & KubeObject =>
  parse(readFileSync(fileURLToPath(new URL('../../../../examples/plan-only/cloneset.yaml', import.meta.url)), 'utf8')) as CloneSetV1alpha1 & KubeObject;

/**
 * Starts kruise-ts-manager with its webhooks on `127.0.0.1:<port>`, configured by URL so the test
 * apiserver calls it there, and resolves once it logged `webhook server ready` (certificates
 * provisioned, configurations and CRD conversion in place).
 */
export async function startWebhookManager(kubeconfig: string, port: number, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ManagerProcess> {
  const manager = startManager(kubeconfig, [
    '--enable-webhooks',
    '--webhook-host=127.0.0.1',
    `--webhook-port=${String(port)}`,
    `--webhook-url=https://127.0.0.1:${String(port)}`,
    '--no-enable-leader-election',
    ...args,
  ], env);
  await manager.waitForLog('webhook server ready', 90_000);
  return manager;
}

const PLURALS: Readonly<Record<string, string>> = { Namespace: 'namespaces', ServiceAccount: 'serviceaccounts', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' };

/** Creates every document of `deploy/<relative>` (namespace and RBAC kinds) through raw POSTs. */
export async function applyDeployManifests(client: KubeClient, relative: string): Promise<void> {
  const text = readFileSync(fileURLToPath(new URL(`../../../../deploy/${relative}`, import.meta.url)), 'utf8');
  for (const document of parseAllDocuments(text)) {
    const object = document.toJS() as KubeObject;
    const plural = PLURALS[object.kind ?? ''];
    if (plural === undefined) throw new Error(`applyDeployManifests: no path for ${object.kind ?? '?'}`);
    const prefix = object.apiVersion === 'v1' ? '/api/v1' : `/apis/${object.apiVersion ?? ''}`;
    const namespace = object.metadata.namespace === undefined ? '' : `/namespaces/${object.metadata.namespace}`;
    await client.request('POST', `${prefix}${namespace}/${plural}`, { body: object });
  }
}

/** Waits until the apiserver converts CloneSets through the webhook (the CRD switched to `strategy: Webhook` and served). */
export async function waitForCloneSetConversion(cluster: TestCluster): Promise<void> {
  await vi.waitFor(async () => {
    const crd = await cluster.client.get(Resources.CustomResourceDefinition, { name: kruiseCrdName(KruiseResources.CloneSet) });
    expect((crd.spec.conversion as { strategy?: string } | undefined)?.strategy).toBe('Webhook');
  }, { timeout: 30_000, interval: 200 });
}

/** Returns the message of the error `promise` rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the request to be refused, but it succeeded');
}
