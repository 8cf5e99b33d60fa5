import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '@kruise-ts/core';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import type { AuditEvent, FaultProxy, TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { expect, vi } from 'vitest';
import { isReady, podsOf } from './cloneSetManifest.js';
import type { survivingPodWatch } from './survivingPodWatch.js';

// What the CloneSet fault e2e files (issue 20) share: a manager's kubeconfig through a fault
// proxy, an in-place rollout up to the fault, the split-brain count from the audit log, and the
// end state of the rollout.

/** Returns the path of a kubeconfig of `user` (in `system:masters`, its writes told apart in the audit log) whose server is `proxy`. */
export async function kubeconfigThroughProxy(cluster: TestCluster, user: string, proxy: FaultProxy): Promise<string> {
  const direct = await readFile(await cluster.kubeconfigFor(user, ['system:masters']), 'utf8');
  const kubeconfig = join(cluster.dir, `${user}-through-proxy.kubeconfig`);
  await writeFile(kubeconfig, direct.replaceAll(cluster.server, `https://127.0.0.1:${String(proxy.port)}`), { mode: 0o600 });
  return kubeconfig;
}

/** Writes that act on the cluster: everything `user` wrote but the leader-election Lease itself and dry runs (every replica's clock probe at start). */
export const actingWrites = (events: readonly AuditEvent[], user: string): AuditEvent[] => events.filter((e) => e.user === user && e.resource !== 'leases' && !e.dryRun);

/**
 * The acting writes of two replicas, and those of `oldLeader` the apiserver received at or after
 * the first of `newLeader`'s (a split brain when not empty), each as `verb resource name code`.
 *
 * @example old leader's writes at t = 1, 2, 9, new leader's from t = 5 → late: the one at t = 9
 */
export function leaderWrites(events: readonly AuditEvent[], oldLeader: string, newLeader: string): { byOld: AuditEvent[]; byNew: AuditEvent[]; lateByOld: string[] } {
  const byOld = actingWrites(events, oldLeader);
  const byNew = actingWrites(events, newLeader);
  const firstOfNew = Math.min(...byNew.map((e) => e.receivedAt));
  const lateByOld = byOld.filter((e) => e.receivedAt >= firstOfNew).map((e) => `${e.verb} ${e.resource} ${e.name} ${String(e.code)}`);
  return { byOld, byNew, lateByOld };
}

/**
 * Asserts the end of an in-place rollout of CloneSet `web` to `image` under a fault: the same pods
 * (names and uids) as `before`, all on `image` and Ready, no other pod ever seen by `watch`, and
 * never more than `maxUnavailable` unavailable.
 */
export async function expectRolledOutInPlace(client: KubeClient, namespace: string, before: ReadonlyMap<string | undefined, string | undefined>, watch: ReturnType<typeof survivingPodWatch>, maxUnavailable: number, image = 'nginx:1.26'): Promise<void> {
  const after = await podsOf(client, namespace, 'web');
  expect(new Map(after.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(before);
  expect(after.every((p: Pod) => p.spec.containers[0]?.image === image && isReady(p))).toBe(true);
  expect([...watch.seen].filter((n) => !before.has(n))).toEqual([]);
  expect(watch.maxUnavailable()).toBeLessThanOrEqual(maxUnavailable);
}

/**
 * Changes the image of CloneSet `web` to `image` (an in-place rollout) and resolves once at least
 * `atLeast` of its pods run it (the moment to inject a fault); returns a count of those pods now.
 */
export async function rollOutUntil(client: KubeClient, namespace: string, atLeast: number, image = 'nginx:1.26'): Promise<() => Promise<number>> {
  const updated = async (): Promise<number> => (await podsOf(client, namespace, 'web')).filter((p) => p.spec.containers[0]?.image === image).length;
  await client.patch(Resources.CloneSet, { name: 'web', namespace }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }] });
  await vi.waitFor(async () => {
    expect(await updated()).toBeGreaterThanOrEqual(atLeast);
  }, { timeout: 30_000, interval: 50 });
  return updated;
}
