import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials, loadPackageDefinition, status, type ServiceDefinition, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCriClient, criTarget, type CriClient } from './createCriClient.js';
import { CriError } from './criError.js';
import { loadCriProto } from './loadCriProto.js';

type Handler = (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>) => void;

describe('criTarget', () => {
  it.each([
    ['unix:///run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock'],
    ['/run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock'],
  ])('%s → %s', (endpoint, want) => {
    expect(criTarget(endpoint)).toBe(want);
  });
  it.each([['tcp://127.0.0.1:1234'], ['unix://relative.sock'], ['containerd.sock']])('rejects %s naming the flag', (endpoint) => {
    expect(() => criTarget(endpoint)).toThrow(/--runtime-endpoint .* is not a unix socket/);
  });
});

// A CRI server made from the same vendored proto, on a unix socket: the client's requests and
// responses go through real gRPC and protobuf encoding.
describe('createCriClient against a gRPC CRI server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-'));
  const socket = join(dir, 'cri.sock');
  const server = new Server();
  const seen: Record<string, unknown>[] = [];
  let client: CriClient;

  beforeAll(async () => {
    const pkg = loadPackageDefinition(loadCriProto()) as unknown as { runtime: { v1: Record<string, { service: ServiceDefinition }> } };
    const pullImage: Handler = (call, callback) => {
      seen.push(call.request);
      const image = (call.request.image as { image: string }).image;
      if (image.includes('missing')) callback({ code: status.NOT_FOUND, details: `failed to resolve reference "${image}"` });
      else if (image.includes('slow')) setTimeout(() => { callback(null, { imageRef: 'sha256:late' }); }, 60_000).unref();
      else callback(null, { imageRef: 'sha256:abc' });
    };
    const images = [{ id: 'sha256:abc', repoTags: ['127.0.0.1:5000/busybox:1.36'], repoDigests: [], size: 4096 }];
    const listImages: Handler = (_call, callback) => { callback(null, { images }); };
    const imageStatus: Handler = (call, callback) => {
      const image = (call.request.image as { image: string }).image;
      callback(null, { image: images.find((i) => i.repoTags.includes(image)) ?? null });
    };
    const removeImage: Handler = (_call, callback) => { callback(null, {}); };
    const listContainers: Handler = (call, callback) => {
      seen.push(call.request);
      callback(null, { containers: [{ id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 2 }, image: { image: 'busybox' }, state: 'CONTAINER_RUNNING', labels: { a: 'b' }, createdAt: '1767261600123456789' }] });
    };
    const version: Handler = (_call, callback) => { callback(null, { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '1.0', runtimeApiVersion: 'v1' }); };
    const unimplemented: Handler = (_call, callback) => { callback({ code: status.UNIMPLEMENTED, details: 'no' }); };
    const withDefault = (service: ServiceDefinition, impl: Record<string, Handler>): Record<string, Handler> =>
      Object.fromEntries(Object.keys(service).map((name) => [name, impl[name] ?? unimplemented]));
    const imageService = pkg.runtime.v1.ImageService?.service;
    const runtimeService = pkg.runtime.v1.RuntimeService?.service;
    if (imageService === undefined || runtimeService === undefined) throw new Error('CRI services missing from the proto');
    server.addService(imageService, withDefault(imageService, { PullImage: pullImage, ListImages: listImages, ImageStatus: imageStatus, RemoveImage: removeImage }));
    server.addService(runtimeService, withDefault(runtimeService, { ListContainers: listContainers, Version: version }));
    await new Promise<void>((resolve, reject) => { server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (error) => { if (error) reject(error); else resolve(); }); });
    client = createCriClient({ endpoint: socket, callTimeoutMs: 5000 });
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pulls with credentials and the sandbox config, adding OpenKruise’s pulling-image-by annotation', async () => {
    const progress: number[] = [];
    await expect(client.pullImage('127.0.0.1:5000/busybox:1.36', { auth: { username: 'u', password: 'p' }, sandboxConfig: { labels: { l: '1' } }, onProgress: (p) => progress.push(p) })).resolves.toBe('sha256:abc');
    expect(seen.at(-1)).toMatchObject({ image: { image: '127.0.0.1:5000/busybox:1.36' }, auth: { username: 'u', password: 'p' }, sandboxConfig: { labels: { l: '1' }, annotations: { 'apps.kruise.io/pulling-image-by': 'kruise-daemon' } } });
    expect(progress).toEqual([100]);
  });

  it('a failed pull is a CriError naming the image and the gRPC status', async () => {
    const error = await client.pullImage('127.0.0.1:5000/missing:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CriError);
    expect((error as CriError).message).toBe('CRI PullImage "127.0.0.1:5000/missing:1" failed: NOT_FOUND: failed to resolve reference "127.0.0.1:5000/missing:1"');
  });

  it('an aborted pull rejects with CANCELLED and the abort reason', async () => {
    const abort = new AbortController();
    const pending = client.pullImage('127.0.0.1:5000/slow:1', { signal: abort.signal });
    abort.abort(new Error('pull timed out after 1s'));
    await expect(pending).rejects.toThrow('CRI PullImage "127.0.0.1:5000/slow:1" failed: CANCELLED: pull timed out after 1s');
  });

  it('lists images and reads one image’s status (undefined when absent)', async () => {
    await expect(client.listImages()).resolves.toEqual([{ id: 'sha256:abc', repoTags: ['127.0.0.1:5000/busybox:1.36'], repoDigests: [], size: 4096 }]);
    await expect(client.imageStatus('127.0.0.1:5000/busybox:1.36')).resolves.toMatchObject({ id: 'sha256:abc' });
    await expect(client.imageStatus('127.0.0.1:5000/none:1')).resolves.toBeUndefined();
    await expect(client.removeImage('127.0.0.1:5000/busybox:1.36')).resolves.toBeUndefined();
  });

  it('lists containers with a filter, and reads the runtime version', async () => {
    await expect(client.listContainers({ podSandboxId: 's1', labels: { a: 'b' } })).resolves.toEqual([{ id: 'c1', podSandboxId: 's1', name: 'app', attempt: 2, image: 'busybox', state: 'CONTAINER_RUNNING', labels: { a: 'b' }, createdAt: 1767261600123 }]);
    expect(seen.at(-1)).toMatchObject({ filter: { podSandboxId: 's1', labelSelector: { a: 'b' } } });
    await expect(client.version()).resolves.toMatchObject({ runtimeName: 'fake', runtimeApiVersion: 'v1' });
  });

  it('an unimplemented method is a CriError with UNIMPLEMENTED', async () => {
    await expect(client.stopContainer('c1', 1)).rejects.toThrow('CRI StopContainer "c1" failed: UNIMPLEMENTED: no');
  });
});
