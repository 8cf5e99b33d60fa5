import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { checkImageDigests, type ImageDigests } from '../memory/imageDigests.js';
import type { ClusterPki } from './clusterPki.js';

/** Returns etcd's flags: loopback only, no fsync (test data is disposable), a data dir in `dir`. */
export function etcdArgs(dir: string, clientPort: number, peerPort: number): string[] {
  return [
    '--name=kruise-ts-test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${String(clientPort)}`,
    `--advertise-client-urls=http://127.0.0.1:${String(clientPort)}`,
    `--listen-peer-urls=http://127.0.0.1:${String(peerPort)}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${String(peerPort)}`,
    `--initial-cluster=kruise-ts-test=http://127.0.0.1:${String(peerPort)}`,
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=8589934592',
    '--log-level=warn',
  ];
}

/**
 * Returns kube-apiserver's flags, as envtest runs it (RBAC, ServiceAccount admission off since no
 * token controller runs) plus client-certificate auth from our CA and no request limits.
 */
export function apiServerArgs(dir: string, port: number, etcdPort: number, pki: ClusterPki): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${String(etcdPort)}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${String(port)}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCertFile}`,
    `--tls-private-key-file=${pki.servingKeyFile}`,
    `--client-ca-file=${pki.caFile}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://127.0.0.1:${String(port)}/`,
    `--service-account-key-file=${pki.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyFile}`,
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--endpoint-reconciler-type=none',
    '--max-requests-inflight=0',
    '--max-mutating-requests-inflight=0',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ];
}

/**
 * Returns kube-controller-manager's flags: only the controllers a workload test needs (garbage
 * collection of owned objects, namespace deletion, PVC/PV protection so deleted claims go away once
 * unused); node lifecycle stays off so simulated nodes are never tainted when a heartbeat is late.
 * `extraControllers` adds more (`job-controller` for a test that runs batch/v1 Jobs).
 */
export function controllerManagerArgs(kubeconfig: string, pki: ClusterPki, extraControllers: readonly string[] = []): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    '--secure-port=0',
    `--controllers=${['garbage-collector-controller', 'namespace-controller', 'persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller', ...extraControllers].join(',')}`,
    `--service-account-private-key-file=${pki.serviceAccountKeyFile}`,
    `--root-ca-file=${pki.caFile}`,
    '--use-service-account-credentials=false',
    '--kube-api-qps=5000',
    '--kube-api-burst=10000',
    '--concurrent-gc-syncs=20',
  ];
}

/** Returns kube-scheduler's configuration file (no client throttling, no leader election). */
export function schedulerConfig(kubeconfig: string): string {
  return [
    'apiVersion: kubescheduler.config.k8s.io/v1',
    'kind: KubeSchedulerConfiguration',
    'clientConnection:',
    `  kubeconfig: ${JSON.stringify(kubeconfig)}`,
    '  qps: 5000',
    '  burst: 10000',
    'leaderElection:',
    '  leaderElect: false',
    '',
  ].join('\n');
}

/** The directory of the kwok stages shipped with the package (envtest/kwok/*.yaml). */
export const kwokStagesDir = fileURLToPath(new URL('../../envtest/kwok/', import.meta.url));

/** The empty mapping the stages that report an imageID start from (envtest/kwok/README.md). */
const IMAGE_DIGESTS_MARKER = '{{ $imageDigests := dict }}';

/**
 * Returns the Go template that binds `$imageDigests` to `digests` as a sprig `dict` literal, e.g.
 * `{{ $imageDigests := dict "nginx:1.25" "sha256:aaa" }}`; JSON string literals are Go string
 * literals, so any reference is quoted safely.
 */
function imageDigestsTemplate(digests: ImageDigests): string {
  const pairs = Object.entries(digests).flatMap(([image, digest]) => [JSON.stringify(image), JSON.stringify(digest)]);
  return `{{ $imageDigests := ${['dict', ...pairs].join(' ')} }}`;
}

/** Options of {@link kwokConfig}. */
export interface KwokConfigOptions {
  /** Image references mapped to content digests, rendered into the stages that report an imageID. */
  readonly imageDigests?: ImageDigests;
}

/**
 * Returns kwok's configuration: every stage in {@link kwokStagesDir} plus play parallelism, with
 * `imageDigests` rendered into the stages' `$imageDigests` (their imageID is then
 * `<repository>@<digest>` for a mapped reference).
 */
export async function kwokConfig(options: KwokConfigOptions = {}): Promise<string> {
  const files = (await readdir(kwokStagesDir)).filter((f) => f.endsWith('.yaml')).sort();
  const digests = imageDigestsTemplate(checkImageDigests(options.imageDigests ?? {}));
  const stages = await Promise.all(files.map(async (f) => (await readFile(join(kwokStagesDir, f), 'utf8')).replaceAll(IMAGE_DIGESTS_MARKER, digests)));
  const header = [
    'apiVersion: config.kwok.x-k8s.io/v1alpha1',
    'kind: KwokConfiguration',
    'options:',
    '  podPlayStageParallelism: 16',
    '  nodePlayStageParallelism: 4',
    '  nodeLeaseParallelism: 4',
    '  podsOnNodeSyncParallelism: 2',
    '',
  ].join('\n');
  return [header, ...stages.map((s) => s.trim() + '\n')].join('---\n');
}
