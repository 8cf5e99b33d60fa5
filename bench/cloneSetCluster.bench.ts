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
import { Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { perPod } from './auditWrites.js';
import { crdFile, imagePatch, isRolledOut, managerWrites, peakRssMiB, phase, replicasArg, startBenchManager, until, withBenchCluster } from './clusterBench.js';

const REPLICAS = replicasArg();

async function scenario(client: KubeClient, kubeconfig: string, auditLog: string, label: string, qpsArgs: string[]): Promise<string[]> {
  const ns = `bench-${label}`;
  await client.create(Resources.Namespace, { metadata: { name: ns } });
  const manager = startBenchManager(kubeconfig, 'cloneset', ns, qpsArgs);
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
  const scale = await phase(auditLog, async () => {
    await client.create(Resources.CloneSet, cloneSet);
    await until('all pods ready', async () => (await status())?.readyReplicas === REPLICAS);
  });
  const oldRevision = (await status())?.updateRevision;
  const rollout = await phase(
    auditLog,
    async () => {
      await client.patch(Resources.CloneSet, { name: 'bench', namespace: ns }, imagePatch('nginx:1.26'));
      await until('rollout done', async () => isRolledOut(await status(), oldRevision, REPLICAS));
    },
    scale,
  );
  const rss = peakRssMiB(manager.pid);
  await manager.stop();
  const rate = (s: number): string => (REPLICAS / s).toFixed(1);
  const [scaleWrites, rolloutOnly] = await managerWrites(auditLog, ns, [scale, rollout]);
  const scaleSeconds = scale.seconds;
  const rolloutSeconds = rollout.seconds;
  return [
    `${label.padEnd(28)} 0→${String(REPLICAS)} ready ${scaleSeconds.toFixed(1).padStart(6)} s (${rate(scaleSeconds).padStart(6)} pods/s)   in-place rollout ${rolloutSeconds.toFixed(1).padStart(6)} s (${rate(rolloutSeconds).padStart(6)} pods/s)   manager peak RSS ${rss.toFixed(0)} MiB`,
    `${''.padEnd(28)} manager writes, 0→${String(REPLICAS)}: ${perPod(scaleWrites, REPLICAS)}`,
    `${''.padEnd(28)} manager writes, in-place rollout: ${perPod(rolloutOnly, REPLICAS)}`,
  ];
}

const lines = await withBenchCluster([crdFile('apps.kruise.io_clonesets.yaml')], async ({ client, managerKubeconfig, auditLog }) => [
  ...(await scenario(client, managerKubeconfig, auditLog, 'default-qps', [])),
  ...(await scenario(client, managerKubeconfig, auditLog, 'unlimited-qps', ['--rest-config-qps=0'])),
]);
process.stdout.write(`\nCloneSet on a real apiserver + kwok (${String(REPLICAS)} replicas, manager from dist/, node ${process.version}):\n${lines.join('\n')}\n`);
