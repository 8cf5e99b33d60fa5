/**
 * Times the kruise-ts-manager (built, `packages/controllers/dist/main.js`, Advanced StatefulSet
 * controller only, no webhooks) on a real test cluster
 * (etcd + kube-apiserver + kube-scheduler + kwok, 10 simulated nodes) at the manager's default
 * client rate limit (--rest-config-qps 30, burst 50): an `apps.kruise.io/v1beta1` StatefulSet
 * (podManagementPolicy Parallel) going 0→500 Ready pods, then an in-place image rollout of the 500
 * pods (podUpdatePolicy InPlaceIfPossible, maxUnavailable 10%) until every pod is updated and
 * Ready. Prints seconds, pods/second, the manager's peak RSS (VmHWM) at the end of each, and the
 * manager's API writes per pod (and how many the apiserver refused) for the scale-up and for the rollout,
 * counted from the kube-apiserver's audit log (the manager runs as its own user). Never asserts a
 * time.
 *
 *   pnpm --filter @kruise-ts/bench cluster:sts [replicas]   (builds every package first)
 */
import type { StatefulSet } from '@kruise-ts/core';
import { aStatefulSet } from '@kruise-ts/core/testing';
import { KruiseResources, Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { perPod } from './auditWrites.js';
import { crdFile, imagePatch, isRolledOut, managerWrites, peakRssMiB, phase, replicasArg, startBenchManager, until, withBenchCluster } from './clusterBench.js';

const REPLICAS = replicasArg();
const NAME = 'bench';

async function parallelScaleAndRollout(client: KubeClient, kubeconfig: string, auditLog: string): Promise<string[]> {
  const ns = 'bench-sts';
  await client.create(Resources.Namespace, { metadata: { name: ns } });
  const manager = startBenchManager(kubeconfig, 'statefulset', ns);
  // The builder's set (selector and pod label `app: bench`, the InPlaceUpdateReady readiness gate
  // in-place updates need), without the uid and generation the apiserver assigns.
  const built = aStatefulSet({
    name: NAME,
    namespace: ns,
    replicas: REPLICAS,
    podManagementPolicy: 'Parallel',
    podUpdatePolicy: 'InPlaceIfPossible',
    maxUnavailable: '10%',
    containers: [{ name: 'app', image: 'nginx:1.25' }],
  }) as StatefulSet & KubeObject;
  const { uid: _uid, generation: _generation, ...metadata } = built.metadata;
  const statefulSet = { ...built, metadata };
  const key = { name: NAME, namespace: ns };
  const status = async () => (await client.get(KruiseResources.StatefulSet, key)).status;
  const scale = await phase(auditLog, async () => {
    await client.create(KruiseResources.StatefulSet, statefulSet);
    await until('all pods ready', async () => (await status())?.readyReplicas === REPLICAS);
  });
  const scaleRss = peakRssMiB(manager.pid);
  const oldRevision = (await status())?.updateRevision;
  const rollout = await phase(
    auditLog,
    async () => {
      await client.patch(KruiseResources.StatefulSet, key, imagePatch('nginx:1.26'));
      await until('rollout done', async () => isRolledOut(await status(), oldRevision, REPLICAS));
    },
    scale,
  );
  const rss = peakRssMiB(manager.pid);
  await manager.stop();
  const [scaleWrites, rolloutWrites] = await managerWrites(auditLog, ns, [scale, rollout]);
  const rate = (s: number): string => (REPLICAS / s).toFixed(1);
  const label = (text: string): string => text.padEnd(38);
  return [
    `${label(`Parallel 0→${String(REPLICAS)} ready (default QPS)`)} ${scale.seconds.toFixed(1).padStart(6)} s (${rate(scale.seconds).padStart(6)} pods/s)   refused writes ${String(scaleWrites.refused)}   manager peak RSS ${scaleRss.toFixed(0)} MiB`,
    `${label('')} manager writes: ${perPod(scaleWrites, REPLICAS)}`,
    `${label('in-place rollout (maxUnavailable 10%)')} ${rollout.seconds.toFixed(1).padStart(6)} s (${rate(rollout.seconds).padStart(6)} pods/s)   refused writes ${String(rolloutWrites.refused)}   manager peak RSS ${rss.toFixed(0)} MiB`,
    `${label('')} manager writes: ${perPod(rolloutWrites, REPLICAS)}`,
  ];
}

const lines = await withBenchCluster([crdFile('apps.kruise.io_statefulsets.yaml')], ({ client, managerKubeconfig, auditLog }) => parallelScaleAndRollout(client, managerKubeconfig, auditLog));
process.stdout.write(`\nAdvanced StatefulSet on a real apiserver + kwok (${String(REPLICAS)} replicas, manager from dist/, node ${process.version}):\n${lines.join('\n')}\n`);
