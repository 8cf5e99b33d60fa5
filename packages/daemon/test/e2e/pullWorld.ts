import type { ImageTagStatus } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { pollUntil, startTestCluster, type TestCluster, type TestClusterOptions } from '@kruise-ts/k8s-adapter/testing';
import { startContainerd, startRegistry, type TestContainerd, type TestRegistry } from '../runtime/index.js';
import { startDaemon, type DaemonProcess } from './daemonProcess.js';
import { startThrottlingProxy, type ThrottlingProxy } from './throttlingProxy.js';

/** What the daemon e2e tests run against, and the processes they started. */
export interface PullWorld {
  readonly cluster: TestCluster;
  readonly client: KubeClient;
  /** One containerd the daemons share (two node names, one runtime: the issue allows it). */
  readonly containerd: TestContainerd;
  /** A registry without auth. */
  readonly open: TestRegistry;
  /** A registry with basic auth alice / s3cret. */
  readonly secured: TestRegistry;
  /** `open` behind a 64 KiB/s proxy: pulls through `proxy.host` are slow enough to kill a daemon mid-pull. */
  readonly proxy: ThrottlingProxy;
  /** Every daemon (and manager) process started, to stop at the end. */
  readonly processes: DaemonProcess[];
  /** Starts a kruise-ts-daemon for `node` on the shared containerd. */
  startNode(node: string): DaemonProcess;
  /** The status `node` reports for `ref` (`name:tag`), if any. */
  tagStatus(node: string, ref: string): Promise<ImageTagStatus | undefined>;
  stop(): Promise<void>;
}

/** Starts the test cluster (`cluster` options), containerd, both registries and the slow proxy. */
export async function startPullWorld(cluster: TestClusterOptions): Promise<PullWorld> {
  const [testCluster, containerd, open, secured] = await Promise.all([startTestCluster(cluster), startContainerd(), startRegistry(), startRegistry({ auth: { user: 'alice', password: 's3cret' } })]);
  const proxy = await startThrottlingProxy(open.host, 64 * 1024);
  for (const host of [open.host, secured.host, proxy.host]) containerd.allowPlainHttp(host);
  const processes: DaemonProcess[] = [];
  const client = testCluster.client;
  return {
    cluster: testCluster,
    client,
    containerd,
    open,
    secured,
    proxy,
    processes,
    startNode(node) {
      const daemon = startDaemon(node, { kubeconfig: testCluster.kubeconfigPath, runtimeEndpoint: containerd.endpoint });
      processes.push(daemon);
      return daemon;
    },
    async tagStatus(node, ref) {
      const colon = ref.lastIndexOf(':');
      return (await client.get(KruiseResources.NodeImage, { name: node })).status?.imageStatuses?.[ref.slice(0, colon)]?.tags.find((t) => t.tag === ref.slice(colon + 1));
    },
    async stop() {
      await Promise.all(processes.map((p) => p.kill('SIGTERM')));
      await proxy.close();
      await Promise.all([containerd.stop(), open.stop(), secured.stop(), testCluster.stop()]);
    },
  };
}

/** The fields of an Event the daemon tests read. */
export interface RecordedEvent {
  readonly reason?: string;
  readonly message?: string;
  readonly involvedObject?: { readonly kind?: string; readonly name?: string };
}

/**
 * Waits (up to 30 s) until `namespace` holds at least `atLeast` Events that `match` keeps, and
 * returns those. Events are recorded after the status a daemon reports, through their own queue
 * and rate limit: a list right after the status may not hold them yet on a loaded machine.
 */
export function recordedEvents(client: KubeClient, namespace: string, what: string, match: (event: RecordedEvent) => boolean, atLeast = 1): Promise<RecordedEvent[]> {
  return pollUntil(async () => {
    const events = (await client.list(Resources.Event, { namespace })).items as unknown as RecordedEvent[];
    const kept = events.filter(match);
    return kept.length >= atLeast ? kept : undefined;
  }, { timeoutMs: 30_000, what: `${String(atLeast)} ${what} event(s) in ${namespace}` });
}
