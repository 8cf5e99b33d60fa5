import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImage, startContainerd, startRegistry, SANDBOX_IMAGE, type TestContainerd, type TestRegistry } from '../runtime/index.js';

// The runtime harness itself: images built from scratch, pushed to loopback registries (one open,
// one with basic auth), pulled by a private containerd over plain http, and everything removed.
describe('runtime harness (containerd + registry + images)', () => {
  let containerd: TestContainerd;
  let open: TestRegistry;
  let secured: TestRegistry;
  const started: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    [containerd, open, secured] = await Promise.all([startContainerd(), startRegistry(), startRegistry({ auth: { user: 'alice', password: 's3cret' } })]);
    started.push(containerd, open, secured);
    containerd.allowPlainHttp(open.host);
    containerd.allowPlainHttp(secured.host);
  });
  afterAll(async () => {
    await Promise.all(started.map((piece) => piece.stop()));
  });

  it('starts containerd with the pause image as the CRI sandbox image', async () => {
    expect(await containerd.imageRefs()).toContain(SANDBOX_IMAGE);
    const { stdout } = await containerd.ctr(['plugins', 'ls']);
    expect(stdout).toMatch(/io\.containerd\.grpc\.v1\s+cri\s+linux\/amd64\s+ok/);
  });

  it('builds distinct images per tag and caches them', async () => {
    const [v1, v2, again] = await Promise.all([buildImage({ name: 'busybox', tag: 'v1' }), buildImage({ name: 'busybox', tag: 'v2' }), buildImage({ name: 'busybox', tag: 'v1' })]);
    expect(again.layout).toBe(v1.layout);
    const [p1, p2] = await Promise.all([pushImage(open, v1), pushImage(open, v2)]);
    expect(p1.reference).toBe(`${open.host}/busybox:v1`);
    expect(p1.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(p2.digest).not.toBe(p1.digest);
  });

  it('pulls an image from the open registry over plain http into the CRI namespace', async () => {
    const pushed = await pushImage(open, await buildImage({ name: 'app', tag: 'open', files: { '/etc/motd': 'hello\n' } }));
    await containerd.ctr(['images', 'pull', '--hosts-dir', `${containerd.dir}/certs.d`, pushed.reference]);
    expect(await containerd.imageRefs()).toContain(pushed.reference);
    const { stdout } = await containerd.ctr(['images', 'ls', `name==${pushed.reference}`]);
    expect(stdout).toContain(pushed.digest);
  });

  it('pulls from the registry with basic auth only with its credentials', async () => {
    const pushed = await pushImage(secured, await buildImage({ name: 'private/app', tag: 'v1' }));
    const hostsDir = `${containerd.dir}/certs.d`;
    await expect(containerd.ctr(['images', 'pull', '--hosts-dir', hostsDir, pushed.reference])).rejects.toThrow(/401 Unauthorized/);
    expect(await containerd.imageRefs()).not.toContain(pushed.reference);
    await containerd.ctr(['images', 'pull', '--hosts-dir', hostsDir, '--user', 'alice:s3cret', pushed.reference]);
    expect(await containerd.imageRefs()).toContain(pushed.reference);
  });

  it('runs a container of a pulled image on runc', async () => {
    const pushed = await pushImage(open, await buildImage({ name: 'app', tag: 'run' }));
    await containerd.ctr(['images', 'pull', '--hosts-dir', `${containerd.dir}/certs.d`, pushed.reference]);
    const { stdout } = await containerd.ctr(['run', '--rm', pushed.reference, 'harness-run', '/bin/cat', '/etc/kruise-ts-image']);
    expect(stdout.trim()).toBe('app:run');
  });

  it('stop removes every directory, process and mount', async () => {
    const extra = await startContainerd();
    const registry = await startRegistry();
    const dirs = [extra.dir, registry.dir];
    await Promise.all([extra.stop(), registry.stop()]);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const dir of dirs) expect(mounts).not.toContain(dir);
    await extra.stop(); // idempotent
  });
});
