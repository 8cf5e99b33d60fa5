import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '@kruise-ts/k8s-adapter';
import { pollUntil, startProcess, startTestCluster, type ManagedProcess, type TestCluster } from '@kruise-ts/k8s-adapter/testing';
import { RUNTIME_TOOLS, runCommand, startContainerd, type TestContainerd } from '../runtime/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BUILD = join(ROOT, 'scripts/image/build.sh');
const LAYOUT = join(ROOT, 'dist/image/kruise-ts-manager');
const CLONESET_CRD = join(ROOT, 'deploy/crds/apps.kruise.io_clonesets.yaml');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'packages/controllers/package.json'), 'utf8')) as { version: string }).version;
/** The reference deploy/manager/deployment.yaml runs. */
const REFERENCE = `ghcr.io/kruise-ts/kruise-ts-manager:${VERSION}`;
const NS = 'default';

interface ImageConfig {
  readonly config: { readonly User?: string; readonly WorkingDir?: string; readonly Entrypoint?: readonly string[]; readonly Labels?: Readonly<Record<string, string>> };
}

interface Manifest {
  readonly config: { readonly digest: string };
  readonly layers: readonly unknown[];
}

/** The OCI layout's manifest digest of tag `VERSION`. */
function manifestDigest(): string | undefined {
  const index = JSON.parse(readFileSync(join(LAYOUT, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === VERSION)?.digest;
}

/** The image config of tag `VERSION` in the OCI layout. */
function imageConfig(): ImageConfig {
  return blob((blob(manifestDigest() ?? 'sha256:missing') as Manifest).config.digest) as ImageConfig;
}

/** Reads the OCI layout's blob `digest` (`sha256:…`) as JSON. */
function blob(digest: string): unknown {
  return JSON.parse(readFileSync(join(LAYOUT, 'blobs', digest.replace(':', '/')), 'utf8'));
}

// issue 18: the manager image, built by scripts/image/build.sh (umoci, no Docker engine), run by
// containerd (`ctr run`, host network, read-only rootfs, kubeconfig mounted read-only) against the
// test cluster, reconciling a CloneSet on kwok nodes. The packages must be built (CI builds first).
describe('the kruise-ts-manager image under containerd', () => {
  let cluster: TestCluster;
  let containerd: TestContainerd;
  let manager: ManagedProcess;
  let digest: string;
  const started: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    const [built, c, runtime] = await Promise.all([
      runCommand(BUILD, ['manager'], { env: { ...process.env, KRUISE_TS_IMAGE_SKIP_BUILD: '1' }, timeoutMs: 240_000 }),
      startTestCluster({ nodes: 1, crds: [CLONESET_CRD] }),
      startContainerd(),
    ]);
    [cluster, containerd] = [c, runtime];
    started.push(cluster, containerd);
    // stdout: "<reference> <digest> <size> compressed"
    const line = built.stdout.trim().split('\n').at(-1) ?? '';
    const [printedReference, printedDigest] = line.split(' ');
    expect(printedReference, `build.sh printed "${line}"`).toBe(REFERENCE);
    digest = printedDigest ?? '';
    await containerd.importImage({ name: 'kruise-ts-manager', tag: VERSION, layout: LAYOUT, source: `oci:${LAYOUT}:${VERSION}` }, REFERENCE);

    // The kubeconfig, readable by the image's user (65532), mounted read-only.
    const mounts = join(cluster.dir, 'manager-image');
    mkdirSync(mounts, { recursive: true });
    const kubeconfig = join(mounts, 'kubeconfig');
    copyFileSync(cluster.kubeconfigPath, kubeconfig);
    chmodSync(kubeconfig, 0o444);

    // `ctr run` replaces the whole command line, so the test passes the image's own entrypoint.
    const entrypoint = imageConfig().config.Entrypoint ?? [];
    manager = startProcess({
      name: 'ctr run kruise-ts-manager',
      command: RUNTIME_TOOLS.ctr,
      args: [
        '--address', containerd.socket, '-n', 'k8s.io', 'run', '--rm', '--net-host', '--read-only',
        '--mount', `type=bind,src=${kubeconfig},dst=/etc/kruise-ts/kubeconfig,options=rbind:ro`,
        REFERENCE, 'kruise-ts-manager',
        ...entrypoint,
        '--kubeconfig=/etc/kruise-ts/kubeconfig', '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0',
        '--no-enable-webhooks', '--no-enable-leader-election', '--controllers=cloneset',
      ],
      logFile: join(cluster.dir, 'manager-image.log'),
    });
    started.unshift(manager);
  });
  afterAll(async () => {
    for (const piece of started) await piece.stop();
  });

  it('is the image build.sh printed: non-root, workdir /app, OCI labels', () => {
    expect(manifestDigest()).toBe(digest);
    expect((blob(digest) as Manifest).layers).toHaveLength(2);
    const config = imageConfig().config;
    expect(config.User).toBe('65532:65532');
    expect(config.WorkingDir).toBe('/app');
    expect(config.Entrypoint).toEqual(['/usr/local/bin/node', '/app/bin/kruise-ts-manager.js']);
    expect(config.Labels?.['org.opencontainers.image.version']).toBe(VERSION);
    expect(config.Labels?.['org.opencontainers.image.title']).toBe('kruise-ts-manager');
  });

  it('runs as uid 65532 under containerd and reconciles a CloneSet on the test cluster', async () => {
    const abort = manager.exited.then(async (exit) => `ctr run exited (${String(exit.code ?? exit.signal)}): ${await manager.logTail()}`);
    await cluster.client.create(Resources.CloneSet, {
      apiVersion: 'apps.kruise.io/v1beta1',
      kind: 'CloneSet',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { nodeName: cluster.nodes[0], containers: [{ name: 'main', image: 'nginx:1.27' }] } },
      },
    });
    const status = await pollUntil(
      async () => {
        const cs = await cluster.client.get(Resources.CloneSet, { namespace: NS, name: 'web' });
        const s = cs.status as { observedGeneration?: number; replicas?: number; readyReplicas?: number } | undefined;
        return s?.observedGeneration === cs.metadata.generation && s?.replicas === 2 && s.readyReplicas === 2 ? s : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'CloneSet web: 2 replicas ready, reconciled by the manager in the image', abort },
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nmanager (ctr run) log:\n${await manager.logTail(40)}`);
    });
    expect(status.replicas).toBe(2);
    // kwok runs the pods on its node (placed by nodeName: the test cluster has no scheduler).
    const pods = (await cluster.client.list(Resources.Pod, { namespace: NS, labelSelector: 'app=web' })).items;
    expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.kind)).toEqual(['CloneSet', 'CloneSet']);

    // The container's process runs as the image's user, on a read-only root filesystem.
    const { stdout } = await containerd.ctr(['tasks', 'ls']);
    const pid = /^kruise-ts-manager\s+(\d+)\s+RUNNING/m.exec(stdout)?.[1];
    expect(pid, `ctr tasks ls:\n${stdout}`).toBeDefined();
    const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    expect([uids?.[1], uids?.[2]]).toEqual(['65532', '65532']);
    const root = readFileSync(`/proc/${pid}/mounts`, 'utf8').split('\n').find((line) => line.split(' ')[1] === '/');
    expect(root?.split(' ')[3]?.split(',')).toContain('ro');
  });
});
