import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { envtestBuildScript, envtestCacheDir, envtestVersions } from '@kruise-ts/k8s-adapter/testing';

/**
 * Where the kubelet of the pinned Kubernetes version lives: next to the envtest binaries in the
 * kruise-ts cache, e.g. `~/.cache/kruise-ts/kubelet/v1.36.3/kubelet`.
 */
export function kubeletPath(env: NodeJS.ProcessEnv = process.env): string {
  const versions = envtestVersions(env);
  return join(resolve(envtestCacheDir(versions, env), '..', '..'), 'kubelet', versions.k8s, 'kubelet');
}

/**
 * Returns the kubelet binary, building `k8s.io/kubernetes/cmd/kubelet` with Go first when it is
 * missing, from the same wrapper module as the test cluster's kube-apiserver (the envtest
 * `build.sh` with `K8S_BINARIES=kubelet`; ~2 min with a warm Go cache, ~85 MB). Never skips: a
 * failed build rejects with the build's output.
 */
export async function ensureKubelet(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = kubeletPath(env);
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    // build it
  }
  const versions = envtestVersions(env);
  process.stderr.write(`kubelet ${versions.k8s}: building into ${path} (a few minutes)\n`);
  // The build's progress lines go straight to this process's stderr (minutes on a cold cache).
  const child = spawn('bash', [envtestBuildScript, resolve(path, '..')], {
    env: { ...env, K8S_VERSION: versions.k8s, ETCD_VERSION: versions.etcd, KWOK_VERSION: versions.kwok, K8S_BINARIES: 'kubelet' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new Error(`building the kubelet failed (exit ${String(code)}); run by hand: K8S_BINARIES=kubelet K8S_VERSION=${versions.k8s} ETCD_VERSION=${versions.etcd} KWOK_VERSION=${versions.kwok} bash ${envtestBuildScript} ${resolve(path, '..')}`);
  await access(path, constants.X_OK);
  return path;
}
