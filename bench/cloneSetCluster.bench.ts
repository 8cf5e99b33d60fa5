/**
 * Times the kruise-ts-manager (built, `packages/controllers/dist/main.js`, CloneSet controller only, no
 * webhooks) on a real test cluster
 * (etcd + kube-apiserver + kube-scheduler + kwok, 10 simulated nodes): a CloneSet going 0→500
 * Ready pods, then an in-place image rollout of the 500 pods (maxUnavailable 20%), once at the
 * manager's default client rate limit (--rest-config-qps 30, burst 50) and once unlimited.
 * Prints seconds, pods/second, the manager's peak RSS (VmHWM), and the manager's API writes per pod
 * for the scale-up and for the in-place rollout, counted from the kube-apiserver's audit log (the
 * manager runs as its own user). Never asserts a time.
 *
 *   pnpm --filter @kruise-ts/bench cluster [replicas]   (builds every package first)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { startTestCluster } from '@kruise-ts/k8s-adapter/testing';
import { auditFlags, auditMark, perPod, tallyWrites } from './auditWrites.js';

const REPLICAS = Number(process.argv[2] ?? 500);
const manager = fileURLToPath(new URL('../packages/controllers/dist/main.js', import.meta.url));
const crd = fileURLToPath(new URL('../deploy/crds/apps.kruise.io_clonesets.yaml', import.meta.url));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

const MANAGER_USER = 'kruise-ts-manager';

async function scenario(client: KubeClient, kubeconfig: string, auditLog: string, label: string, qpsArgs: string[]): Promise<string[]> {
  const ns = `bench-${label}`;
  await client.create(Resources.Namespace, { metadata: { name: ns } });
  const proc = spawn(process.execPath, [manager, `--kubeconfig=${kubeconfig}`, '--no-enable-leader-election', '--no-enable-webhooks', '--controllers=cloneset', '--metrics-addr=127.0.0.1:0', '--health-probe-addr=127.0.0.1:0', '--log-level=warn', `--namespace=${ns}`, ...qpsArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`manager exited early (code ${String(code)}):\n${output}\n`);
      process.exit(1);
    }
  });
  let stopping = false;
  const pid = proc.pid ?? 0;
  const labels = { app: 'bench' };
  const cloneSet = {
    metadata: { name: 'bench', namespace: ns },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { podUpdatePolicy: 'InPlaceIfPossible' as const, maxUnavailable: '20%' } },
    },
  };
  const status = async () => (await client.get(Resources.CloneSet, { name: 'bench', namespace: ns })).status;
  const marks = [auditMark(auditLog)];
  const t0 = performance.now();
  await client.create(Resources.CloneSet, cloneSet);
  await until('all pods ready', async () => (await status())?.readyReplicas === REPLICAS);
  const scaleSeconds = (performance.now() - t0) / 1000;
  const oldRevision = (await status())?.updateRevision;
  marks.push(auditMark(auditLog));
  const t1 = performance.now();
  await client.patch(Resources.CloneSet, { name: 'bench', namespace: ns }, { type: 'json', operations: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }] });
  await until('rollout done', async () => {
    const s = await status();
    return s?.updateRevision !== oldRevision && s?.updatedReadyReplicas === REPLICAS && s.updateRevision === s.currentRevision && s.readyReplicas === REPLICAS;
  });
  const rolloutSeconds = (performance.now() - t1) / 1000;
  marks.push(auditMark(auditLog));
  const rss = peakRssMiB(pid);
  stopping = true;
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  const rate = (s: number): string => (REPLICAS / s).toFixed(1);
  // The audit log is written as requests complete: give the last ones a moment to land.
  await new Promise((r) => setTimeout(r, 1000));
  const [m0 = 0, m1 = 0, m2 = 0] = marks;
  const scaleWrites = tallyWrites(auditLog, m0, MANAGER_USER, ns, m1);
  const rolloutOnly = tallyWrites(auditLog, m1, MANAGER_USER, ns, m2);
  return [
    `${label.padEnd(28)} 0→${String(REPLICAS)} ready ${scaleSeconds.toFixed(1).padStart(6)} s (${rate(scaleSeconds).padStart(6)} pods/s)   in-place rollout ${rolloutSeconds.toFixed(1).padStart(6)} s (${rate(rolloutSeconds).padStart(6)} pods/s)   manager peak RSS ${rss.toFixed(0)} MiB`,
    `${''.padEnd(28)} manager writes, 0→${String(REPLICAS)}: ${perPod(scaleWrites, REPLICAS)}`,
    `${''.padEnd(28)} manager writes, in-place rollout: ${perPod(rolloutOnly, REPLICAS)}`,
  ];
}

const auditDir = mkdtempSync(join(tmpdir(), 'kruise-ts-bench-audit-'));
const audit = auditFlags(auditDir);
const cluster = await startTestCluster({
  apiServerArgs: audit.args,
  nodes: Array.from({ length: 10 }, (_, i) => ({ zone: `zone-${String(i % 3)}`, allocatable: { cpu: '64', memory: '512Gi', pods: '1000' } })),
  scheduler: true,
  controllerManager: true,
  crds: [crd],
});
try {
  const managerKubeconfig = await cluster.kubeconfigFor(MANAGER_USER, ['system:masters']);
  const lines = [
    ...(await scenario(cluster.client, managerKubeconfig, audit.logPath, 'default-qps', [])),
    ...(await scenario(cluster.client, managerKubeconfig, audit.logPath, 'unlimited-qps', ['--rest-config-qps=0'])),
  ];
  process.stdout.write(`\nCloneSet on a real apiserver + kwok (${String(REPLICAS)} replicas, manager from dist/, node ${process.version}):\n${lines.join('\n')}\n`);
} finally {
  await cluster.stop();
  rmSync(auditDir, { recursive: true, force: true });
}
