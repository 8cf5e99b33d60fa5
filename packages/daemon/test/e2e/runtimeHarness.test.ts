import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CriClient } from '../../src/cri/createCriClient.js';
import { pollUntil } from '@kruise-ts/k8s-adapter/testing';
import { processTree } from '../runtime/teardownRuntimeDir.js';
import { buildImage, pushImage, runPodThroughCri, startContainerd, startRegistry, SANDBOX_IMAGE, type TestContainerd, type TestRegistry } from '../runtime/index.js';

const ABANDON = fileURLToPath(new URL('fixtures/abandonRuntime.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

// The runtime harness itself: images built from scratch, pushed to loopback registries (one open,
// one with basic auth), pulled through containerd's CRI ImageService over plain http, pods run
// through the CRI RuntimeService, and everything removed on stop.
describe('runtime harness (containerd + CRI + registry + images)', () => {
  let containerd: TestContainerd;
  let open: TestRegistry;
  let secured: TestRegistry;
  let cri: CriClient;
  const started: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    [containerd, open, secured] = await Promise.all([startContainerd(), startRegistry(), startRegistry({ auth: { user: 'alice', password: 's3cret' } })]);
    started.push(containerd, open, secured);
    containerd.allowPlainHttp(open.host);
    containerd.allowPlainHttp(secured.host);
    cri = containerd.cri();
  });
  afterAll(async () => {
    await Promise.all(started.map((piece) => piece.stop()));
  });

  it('starts containerd with its CRI plugin and the pause image as the sandbox image', async () => {
    expect(await cri.version()).toMatchObject({ runtimeName: 'containerd', runtimeApiVersion: 'v1' });
    expect(await containerd.imageRefs()).toContain(SANDBOX_IMAGE);
  });

  it('builds distinct images per tag and caches them', async () => {
    const [v1, v2, again] = await Promise.all([buildImage({ name: 'busybox', tag: 'v1' }), buildImage({ name: 'busybox', tag: 'v2' }), buildImage({ name: 'busybox', tag: 'v1' })]);
    expect(again.layout).toBe(v1.layout);
    const [p1, p2] = await Promise.all([pushImage(open, v1), pushImage(open, v2)]);
    expect(p1.reference).toBe(`${open.host}/busybox:v1`);
    expect(p1.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p2.digest).not.toBe(p1.digest);
  });

  it('pulls through the CRI ImageService from the open registry over plain http', async () => {
    const pushed = await pushImage(open, await buildImage({ name: 'app', tag: 'open', files: { '/etc/motd': 'hello\n' } }));
    const imageRef = await cri.pullImage(pushed.reference);
    expect(imageRef).toMatch(/^sha256:/);
    const status = await cri.imageStatus(pushed.reference);
    expect(status?.repoTags).toContain(pushed.reference);
    expect(status?.repoDigests).toContain(`${open.host}/app@${pushed.digest}`);
    expect(await containerd.imageRefs()).toContain(pushed.reference);
  });

  it('pulls from the registry with basic auth only with its credentials', async () => {
    const pushed = await pushImage(secured, await buildImage({ name: 'private/app', tag: 'v1' }));
    await expect(cri.pullImage(pushed.reference)).rejects.toThrow(/401 Unauthorized/);
    expect(await cri.imageStatus(pushed.reference)).toBeUndefined();
    await expect(cri.pullImage(pushed.reference, { auth: { username: 'alice', password: 'wrong' } })).rejects.toThrow(/401 Unauthorized/);
    await cri.pullImage(pushed.reference, { auth: { username: 'alice', password: 's3cret' } });
    expect((await cri.listImages()).flatMap((image) => image.repoTags)).toContain(pushed.reference);
  });

  it('runs a pod with two containers through the CRI RuntimeService, as a kubelet does', async () => {
    const pushed = await pushImage(open, await buildImage({ name: 'app', tag: 'pod' }));
    const pod = await runPodThroughCri(containerd, {
      name: 'web',
      uid: 'uid-web',
      containers: [
        { name: 'main', image: pushed.reference, command: ['/bin/sh', '-c', 'cat /etc/kruise-ts-image; exec sleep 3600'] },
        { name: 'sidecar', image: pushed.reference },
      ],
    });
    expect(pod.ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const containers = await cri.listContainers({ podSandboxId: pod.podSandboxId });
    expect(containers.map((c) => [c.name, c.state]).sort()).toEqual([
      ['main', 'CONTAINER_RUNNING'],
      ['sidecar', 'CONTAINER_RUNNING'],
    ]);
    expect(await cri.listContainers({ labels: { 'io.kubernetes.pod.uid': 'uid-web', 'io.kubernetes.container.name': 'main' } })).toEqual([
      expect.objectContaining({ id: pod.containerIds.main, name: 'main' }),
    ]);
    await pollUntil(() => Promise.resolve(pod.logs('main').includes('app:pod') ? true : undefined), { timeoutMs: 10_000, what: 'the main container to print its image' });
    await cri.stopContainer(pod.containerIds.sidecar ?? '', 0);
    expect((await cri.listContainers({ podSandboxId: pod.podSandboxId })).find((c) => c.name === 'sidecar')?.state).toBe('CONTAINER_EXITED');
    await pod.remove();
    expect(await cri.listContainers({ podSandboxId: pod.podSandboxId })).toEqual([]);
  });

  it('stop removes every directory, process, mount and the CNI bridge', async () => {
    const extra = await startContainerd();
    const registry = await startRegistry();
    const pod = await runPodThroughCri(extra, { name: 'left-running', containers: [{ name: 'c', image: SANDBOX_IMAGE }] });
    expect(pod.podSandboxId).not.toBe('');
    const dirs = [extra.dir, registry.dir];
    const bridges = readFileSync(`${extra.dir}/cni/10-kruise-ts.conflist`, 'utf8').match(/"bridge": "(kts[0-9a-f]+)"/)?.[1];
    expect(bridges).toBeDefined();
    expect(existsSync(`/sys/class/net/${bridges ?? ''}`)).toBe(true);
    await Promise.all([extra.stop(), registry.stop()]);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const dir of dirs) expect(mounts).not.toContain(dir);
    expect(existsSync(`/sys/class/net/${bridges ?? ''}`)).toBe(false);
    await extra.stop(); // idempotent
  });

  it('leaves nothing behind when the test process exits or is killed without stop()', async () => {
    await Promise.all((['exit', 'signal'] as const).map(abandonAndCheck));
  });
});

/** Runs the fixture that abandons a runtime (process.exit or SIGTERM) and checks that nothing is left. */
async function abandonAndCheck(how: 'exit' | 'signal'): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@kruise-ts/source', ABANDON, how], { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const started = await pollUntil(() => Promise.resolve(stdout.includes('\n') ? (JSON.parse(stdout) as { dirs: string[]; podSandboxId: string }) : undefined), {
      timeoutMs: 60_000,
      what: 'the abandoned runtime to start',
      abort: exited.then((code) => `the fixture exited (${String(code)}): ${stderr}`),
    });
    expect(started.podSandboxId).not.toBe('');
    for (const dir of started.dirs) expect(existsSync(dir)).toBe(true);
    if (how === 'signal') child.kill('SIGTERM');
    await exited;
    for (const dir of started.dirs) expect(existsSync(dir)).toBe(false);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const dir of started.dirs) expect(mounts).not.toContain(dir);
    for (const dir of started.dirs) expect(processTree(dir)).toEqual([]);
}
