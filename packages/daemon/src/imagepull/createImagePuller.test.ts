import type { NodeImage } from '@kruise-ts/core';
import { createFakeClock, type FakeClock } from '@kruise-ts/k8s-adapter';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PullSecret } from '../secrets/dockerKeyring.js';
import { createFakeImageRuntime, type FakeImageRuntime } from '../testing/fakeImageRuntime.js';
import { createImagePuller, type ImagePuller, type ImagePullerOptions, type PullEvent } from './createImagePuller.js';

const REG = '127.0.0.1:5000';
const nodeImage = (images: NonNullable<NonNullable<NodeImage['spec']>['images']>, status?: NodeImage['status']): NodeImage => ({ metadata: { name: 'node-a' }, spec: { images }, ...(status === undefined ? {} : { status }) });
const secret: PullSecret = { metadata: { namespace: 'ns', name: 'pull' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [REG]: { username: 'u', password: 'p' } } })).toString('base64') } };

let clock: FakeClock;
let puller: ImagePuller | undefined;
afterEach(async () => {
  await puller?.stop();
  clock.dispose();
});

function setup(runtime: FakeImageRuntime, extra: Partial<ImagePullerOptions> = {}, mode: 'auto' | 'manual' = 'auto'): { events: PullEvent[]; changes: () => number } {
  clock = createFakeClock({ mode });
  const events: PullEvent[] = [];
  let changes = 0;
  puller = createImagePuller({
    runtime,
    clock,
    readSecrets: (refs) => {
      const missing = refs.find((r) => r.name !== 'pull');
      return missing === undefined ? Promise.resolve(refs.map(() => secret)) : Promise.reject(new Error(`Secret ${String(missing.namespace)}/${String(missing.name)} not found`));
    },
    onEvent: (e) => events.push(e),
    onChange: () => { changes += 1; },
    ...extra,
  });
  return { events, changes: () => changes };
}

const tagStatus = (p: ImagePuller, image: string, tag: string) => p.status().imageStatuses?.[image]?.tags.find((t) => t.tag === tag);

describe('createImagePuller', () => {
  it('pulls every tag with at most maxWorkers at once and reports Succeeded with the image id', async () => {
    const runtime = createFakeImageRuntime();
    for (const t of ['1', '2', '3', '4', '5']) runtime.setImage(`${REG}/app:${t}`, { kind: 'available', steps: 3 });
    const { events } = setup(runtime, { maxWorkers: 2 });
    puller?.sync(nodeImage({ [`${REG}/app`]: { tags: ['1', '2', '3', '4', '5'].map((tag) => ({ tag })) } }));
    expect(puller?.status()).toMatchObject({ desired: 5, succeeded: 0 });
    await vi.waitFor(() => { expect(puller?.status()).toMatchObject({ desired: 5, succeeded: 5, failed: 0, pulling: 0 }); });
    expect(runtime.maxInFlight()).toBe(2);
    expect(runtime.stored()).toHaveLength(5);
    expect(tagStatus(puller as ImagePuller, `${REG}/app`, '1')).toMatchObject({ phase: 'Succeeded', progress: 100, imageID: expect.stringMatching(/^127\.0\.0\.1:5000\/app@sha256:/) as unknown, version: 0 });
    expect(events.filter((e) => e.reason === 'PullImageSucceed')).toHaveLength(5);
  });

  it('queued tags are Waiting while the workers are busy', () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/slow:1`, { kind: 'hanging' });
    runtime.setImage(`${REG}/slow:2`, { kind: 'hanging' });
    setup(runtime, { maxWorkers: 1 });
    puller?.sync(nodeImage({ [`${REG}/slow`]: { tags: [{ tag: '1' }, { tag: '2' }] } }));
    expect(puller?.status().imageStatuses?.[`${REG}/slow`]?.tags.map((t) => t.phase)).toEqual(['Pulling', 'Waiting']);
    expect(puller?.counts()).toEqual({ queued: 1, running: 1, finished: 0 });
  });

  it('a missing image fails after backoffLimit + 1 attempts with the runtime’s message, backing off 1 s, 2 s', async () => {
    const runtime = createFakeImageRuntime();
    const { events } = setup(runtime);
    const start = clock.now();
    puller?.sync(nodeImage({ [`${REG}/missing`]: { tags: [{ tag: '1', pullPolicy: { backoffLimit: 2 }, ownerReferences: [{ kind: 'ImagePullJob', name: 'job', namespace: 'ns' }] }] } }));
    await vi.waitFor(() => { expect(puller?.status().failed).toBe(1); });
    expect(runtime.pulls).toHaveLength(3);
    expect(clock.now() - start).toBe(3000);
    expect(tagStatus(puller as ImagePuller, `${REG}/missing`, '1')?.message).toBe(`pulling failed after 3 attempts (backoffLimit 2): CRI PullImage "${REG}/missing:1" failed: NOT_FOUND: failed to resolve reference "${REG}/missing:1": not found`);
    expect(events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'PullImageFailed', owners: [{ kind: 'ImagePullJob', name: 'job', namespace: 'ns' }] })]);
  });

  it('pulls with the credentials of the pull secret; without it the registry refuses', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/private:1`, { kind: 'available', auth: { username: 'u', password: 'p' } });
    runtime.setImage(`${REG}/private:2`, { kind: 'available', auth: { username: 'u', password: 'p' } });
    setup(runtime);
    puller?.sync(nodeImage({ [`${REG}/private`]: { pullSecrets: [{ namespace: 'ns', name: 'pull' }], tags: [{ tag: '1' }, { tag: '2', pullPolicy: { backoffLimit: 0 } }] } }));
    await vi.waitFor(() => { expect(puller?.status()).toMatchObject({ succeeded: 2 }); });
    expect(runtime.pulls.every((p) => p.auth !== undefined)).toBe(true);

    const anonymous = createFakeImageRuntime();
    anonymous.setImage(`${REG}/private:1`, { kind: 'available', auth: { username: 'u', password: 'p' } });
    await puller?.stop();
    clock.dispose();
    setup(anonymous);
    puller?.sync(nodeImage({ [`${REG}/private`]: { tags: [{ tag: '1', pullPolicy: { backoffLimit: 0 } }] } }));
    await vi.waitFor(() => { expect(puller?.status().failed).toBe(1); });
    expect(tagStatus(puller as ImagePuller, `${REG}/private`, '1')?.message).toContain('401 Unauthorized');
  });

  it('a missing pull Secret fails the attempt naming it', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/app:1`, { kind: 'available' });
    setup(runtime);
    puller?.sync(nodeImage({ [`${REG}/app`]: { pullSecrets: [{ namespace: 'ns', name: 'nope' }], tags: [{ tag: '1', pullPolicy: { backoffLimit: 0 } }] } }));
    await vi.waitFor(() => { expect(puller?.status().failed).toBe(1); });
    expect(tagStatus(puller as ImagePuller, `${REG}/app`, '1')?.message).toContain('Secret ns/nope not found');
  });

  it('an attempt longer than timeoutSeconds is cancelled and retried, then fails', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/slow:1`, { kind: 'hanging' });
    setup(runtime);
    puller?.sync(nodeImage({ [`${REG}/slow`]: { tags: [{ tag: '1', pullPolicy: { timeoutSeconds: 5, backoffLimit: 1 } }] } }));
    await vi.waitFor(() => { expect(puller?.status().failed).toBe(1); });
    expect(runtime.pulls).toHaveLength(2);
    expect(tagStatus(puller as ImagePuller, `${REG}/slow`, '1')?.message).toBe(`pulling failed after 2 attempts (backoffLimit 1): CRI PullImage "${REG}/slow:1" failed: CANCELLED: context canceled`);
  });

  it('activeDeadlineSeconds fails the task once passed', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/slow:1`, { kind: 'hanging' });
    setup(runtime);
    puller?.sync(nodeImage({ [`${REG}/slow`]: { tags: [{ tag: '1', pullPolicy: { timeoutSeconds: 600, activeDeadlineSeconds: 10 } }] } }));
    await vi.waitFor(() => { expect(puller?.status().failed).toBe(1); });
    expect(tagStatus(puller as ImagePuller, `${REG}/slow`, '1')?.message).toMatch(/^pulling exceeds the activeDeadlineSeconds \(10\)/);
  });

  it('a new version restarts the pull; a tag removed from the spec stops its worker and drops its status', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/slow:1`, { kind: 'hanging' });
    runtime.setImage(`${REG}/slow:2`, { kind: 'hanging' });
    setup(runtime, {}, 'manual'); // time stands still: the hanging pulls do not time out
    puller?.sync(nodeImage({ [`${REG}/slow`]: { tags: [{ tag: '1' }, { tag: '2' }] } }));
    await vi.waitFor(() => { expect(runtime.inFlight()).toBe(2); });
    puller?.sync(nodeImage({ [`${REG}/slow`]: { tags: [{ tag: '1', version: 1 }] } }));
    await vi.waitFor(() => { expect(runtime.pulls).toHaveLength(3); });
    expect(runtime.inFlight()).toBe(1);
    expect(puller?.status()).toEqual({ desired: 1, succeeded: 0, failed: 0, pulling: 1, imageStatuses: { [`${REG}/slow`]: { tags: [expect.objectContaining({ tag: '1', version: 1, phase: 'Pulling' })] } } });
  });

  it('IfNotPresent skips an image the runtime has; Always asks the registry and pulls only a moved tag (OpenKruise shouldPull)', async () => {
    const runtime = createFakeImageRuntime();
    let served = 'sha256:aaaa';
    runtime.setImage(`${REG}/app:1`, { kind: 'available', digest: served });
    await runtime.pullImage(`${REG}/app:1`);
    const asked: string[] = [];
    setup(runtime, { registryDigest: (name, tag) => { asked.push(`${name}:${tag}`); return Promise.resolve(served); } });
    puller?.sync(nodeImage({ [`${REG}/app`]: { tags: [{ tag: '1' }] } }));
    await vi.waitFor(() => { expect(puller?.status().succeeded).toBe(1); });
    expect([runtime.pulls.length, asked]).toEqual([1, []]);
    // Always, the registry serves the digest the runtime has: no pull.
    puller?.sync(nodeImage({ [`${REG}/app`]: { tags: [{ tag: '1', version: 1, imagePullPolicy: 'Always' }] } }));
    await vi.waitFor(() => { expect(tagStatus(puller as ImagePuller, `${REG}/app`, '1')).toMatchObject({ version: 1, phase: 'Succeeded' }); });
    expect([runtime.pulls.length, asked]).toEqual([1, [`${REG}/app:1`]]);
    // The tag moved: pulled again, the new image id reported.
    served = 'sha256:bbbb';
    runtime.setImage(`${REG}/app:1`, { kind: 'available', digest: served });
    puller?.sync(nodeImage({ [`${REG}/app`]: { tags: [{ tag: '1', version: 2, imagePullPolicy: 'Always' }] } }));
    await vi.waitFor(() => { expect(tagStatus(puller as ImagePuller, `${REG}/app`, '1')).toMatchObject({ version: 2, phase: 'Succeeded' }); });
    expect(runtime.pulls).toHaveLength(2);
    expect((await runtime.imageStatus(`${REG}/app:1`))?.repoDigests).toEqual([`${REG}/app@sha256:bbbb`]);
    expect(tagStatus(puller as ImagePuller, `${REG}/app`, '1')?.imageID).toBe(`${REG}/app@${(await runtime.imageStatus(`${REG}/app:1`))?.id ?? ''}`);
  });

  it('Always with the registry unreachable pulls (as OpenKruise when the digest cannot be read); with pull secrets it asks with each matching credential', async () => {
    const runtime = createFakeImageRuntime();
    runtime.setImage(`${REG}/app:1`, { kind: 'available', digest: 'sha256:aaaa' });
    await runtime.pullImage(`${REG}/app:1`);
    const auths: unknown[] = [];
    setup(runtime, { registryDigest: (_name, _tag, auth) => { auths.push(auth); return Promise.reject(new Error('connect ECONNREFUSED')); } });
    puller?.sync(nodeImage({ [`${REG}/app`]: { pullSecrets: [{ namespace: 'ns', name: 'pull' }], tags: [{ tag: '1', imagePullPolicy: 'Always' }] } }));
    await vi.waitFor(() => { expect(puller?.status().succeeded).toBe(1); });
    expect(runtime.pulls).toHaveLength(2);
    expect(auths).toEqual([{ username: 'u', password: 'p' }]);
  });

  it('a tag reported finished at the same version is adopted, not pulled', () => {
    const runtime = createFakeImageRuntime();
    setup(runtime);
    const done = { tag: '1', phase: 'Succeeded' as const, version: 0, completionTime: '2026-01-01T00:00:00Z', imageID: 'x@sha256:1' };
    puller?.sync(nodeImage({ [`${REG}/app`]: { tags: [{ tag: '1' }] } }, { desired: 1, succeeded: 1, imageStatuses: { [`${REG}/app`]: { tags: [done] } } }));
    expect(puller?.status()).toMatchObject({ desired: 1, succeeded: 1, imageStatuses: { [`${REG}/app`]: { tags: [done] } } });
    expect(runtime.pulls).toHaveLength(0);
  });

  it('property: every tag ends Succeeded or Failed, available ones pulled once, never more than maxWorkers at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 1, maxLength: 12 }), async (maxWorkers, entries) => {
        const runtime = createFakeImageRuntime();
        const images: Record<string, { tags: { tag: string; pullPolicy: { backoffLimit: number } }[] }> = {};
        for (const [name, tag, available] of entries) {
          const tags = (images[`${REG}/${name}`] ??= { tags: [] }).tags;
          if (tags.some((t) => t.tag === String(tag))) continue;
          tags.push({ tag: String(tag), pullPolicy: { backoffLimit: 1 } });
          if (available) runtime.setImage(`${REG}/${name}:${String(tag)}`, { kind: 'available', steps: tag % 3 });
        }
        setup(runtime, { maxWorkers });
        puller?.sync(nodeImage(images));
        const desired = Object.values(images).reduce((n, i) => n + i.tags.length, 0);
        await vi.waitFor(() => {
          const s = puller?.status();
          expect((s?.succeeded ?? 0) + (s?.failed ?? 0)).toBe(desired);
        });
        expect(runtime.maxInFlight()).toBeLessThanOrEqual(maxWorkers);
        expect(puller?.status().succeeded).toBe(runtime.stored().length);
        await puller?.stop();
        clock.dispose();
      }),
      { numRuns: 25 },
    );
  });
});
