import { fileURLToPath } from 'node:url';
import type { Pod } from '@kruise-ts/core';
import { expect } from 'vitest';
import type { KubeApiError } from '../../src/errors.js';
import type { KubeClient, WatchEvent, WatchOptions } from '../../src/ports.js';
import { KruiseResources } from '../../src/kruiseResources.js';
import { defineResource, Resources, type KubeObject, type ResourceType } from '../../src/resourceType.js';

/** A cluster the contract suite runs against: the memory cluster or a real kube-apiserver. */
export interface ContractTarget {
  readonly client: KubeClient;
  /** A simulated node (kwok or the memory kubelet) pods can be bound to. */
  readonly nodeName: string;
  /** Waits for the kubelet, scheduler and controllers to act: advances the fake clock (memory) or sleeps (real). */
  settle(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Builds a {@link ContractTarget}; called once per suite. */
export type ContractFactory = () => Promise<ContractTarget>;

/** A CloneSet as the suite writes it (spec and status kept loosely). */
export type CloneSetObject = KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> };

/** CloneSets (apps.kruise.io/v1beta1, `KruiseResources.CloneSet` read loosely): the custom resource of the suite, with status and scale subresources. */
export const CloneSets = defineResource<CloneSetObject>(KruiseResources.CloneSet);
/** batch/v1 Jobs, the owners of pods that run to completion. */
export const Jobs = defineResource<KubeObject & { spec: Record<string, unknown> }>({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true });
/** The CloneSet CRD the real cluster installs. */
export const cloneSetCrdFile = fileURLToPath(new URL('../../../../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

/** Shape of a uid. */
export const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Shape of a creation or deletion timestamp. */
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let counter = 0;

/** Returns the name of a fresh namespace it creates for one test. */
export async function newNamespace(client: KubeClient): Promise<string> {
  const name = `contract-${String(++counter)}`;
  await client.create(Resources.Namespace, { metadata: { name } });
  return name;
}

/** Returns a CloneSet of one container, with `app: <name>` labels. */
export function cloneSet(name: string, namespace: string, extra: Partial<CloneSetObject['metadata']> = {}): CloneSetObject {
  return {
    metadata: { name, namespace, labels: { app: name }, ...extra },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

/** Returns a pod of the given containers (default one nginx), optionally bound to `nodeName`. */
export function pod(name: string, namespace: string, spec: Record<string, unknown> = {}, metadata: Partial<KubeObject['metadata']> = {}): Pod & KubeObject {
  return { metadata: { name, namespace, ...metadata }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } };
}

/** Returns what `assertion` returns once it passes, retrying (settling the cluster in between) for up to `timeoutMs` of real time. */
export async function eventually<T>(target: ContractTarget, assertion: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline || attempt > 300) throw error;
      await target.settle();
    }
  }
}

/** Returns the pod `name` once it is Running. */
export async function runningPod(target: ContractTarget, namespace: string, name: string): Promise<Pod & KubeObject> {
  return eventually(target, async () => {
    const current = await target.client.get(Resources.Pod, { name, namespace });
    expect(current.status?.phase).toBe('Running');
    return current;
  });
}

/** Returns the error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<KubeApiError> {
  const result = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (result.ok) expect.fail(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error as KubeApiError;
}

/** A watch being collected: its events so far, whether it ended (and how), and a stop. */
export interface CollectedWatch<T> {
  readonly events: WatchEvent<T>[];
  readonly ended: boolean;
  readonly error: unknown;
  stop(): Promise<void>;
}

/** Returns a watch consumed in the background, collecting its events. */
export function collectWatch<T extends KubeObject>(client: KubeClient, type: ResourceType<T>, options: WatchOptions = {}): CollectedWatch<T> {
  const abort = new AbortController();
  const state = { events: [] as WatchEvent<T>[], ended: false, error: undefined as unknown };
  const done = (async () => {
    try {
      for await (const event of client.watch(type, { ...options, signal: abort.signal })) state.events.push(event);
    } catch (error) {
      state.error = error;
    } finally {
      state.ended = true;
    }
  })();
  return {
    get events() {
      return state.events;
    },
    get ended() {
      return state.ended;
    },
    get error() {
      return state.error;
    },
    async stop() {
      abort.abort();
      await done;
    },
  };
}

/** Returns `TYPE name` lines of watch events (BOOKMARKs left out), for comparing sequences. */
export function eventLines<T extends KubeObject>(events: readonly WatchEvent<T>[]): string[] {
  return events.flatMap((e) => (e.type === 'BOOKMARK' ? [] : [`${e.type} ${e.object.metadata.name ?? ''}`]));
}
