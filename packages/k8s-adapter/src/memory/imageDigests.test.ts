import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Resources } from '../resourceType.js';
import { checkImageDigests, imageIdOf } from './imageDigests.js';
import { createMemoryCluster } from './memoryCluster.js';

const A = `sha256:${'a'.repeat(64)}`;
const derived = (image: string): string => `sha256:${createHash('sha256').update(image).digest('hex')}`;

describe('imageIdOf', () => {
  it.each([
    { story: 'a mapped tag reports its digest', image: 'nginx:1.25', digests: { 'nginx:1.25': A }, id: `nginx@${A}` },
    { story: 'another tag mapped to the same digest reports the same id', image: 'nginx:stable', digests: { 'nginx:1.25': A, 'nginx:stable': A }, id: `nginx@${A}` },
    { story: 'an unmapped tag keeps the id derived from the reference', image: 'nginx:1.26', digests: { 'nginx:1.25': A }, id: `nginx@${derived('nginx:1.26')}` },
    { story: 'no tag: the repository is the reference', image: 'busybox', digests: {}, id: `busybox@${derived('busybox')}` },
    { story: 'a registry port is not a tag', image: 'localhost:5000/app', digests: { 'localhost:5000/app': A }, id: `localhost:5000/app@${A}` },
    { story: 'a registry with port and a tag', image: 'localhost:5000/app:v1', digests: {}, id: `localhost:5000/app@${derived('localhost:5000/app:v1')}` },
    { story: 'an inherited property name is not a mapping', image: 'constructor', digests: {}, id: `constructor@${derived('constructor')}` },
  ])('$story', ({ image, digests, id }) => {
    expect(imageIdOf(image, digests)).toBe(id);
  });
});

describe('checkImageDigests', () => {
  it('accepts OCI digests', () => {
    const digests = { 'nginx:1.25': A, 'app:v1': 'sha512:0f', 'x:y': 'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8' };
    expect(checkImageDigests(digests)).toBe(digests);
  });
  it.each([
    { story: 'a bare hex', digests: { 'nginx:1.25': 'a'.repeat(64) }, message: /imageDigests\["nginx:1.25"\]: .* is not a digest/ },
    { story: 'an empty digest', digests: { 'nginx:1.25': '' }, message: /is not a digest/ },
    { story: 'an upper-case algorithm', digests: { 'nginx:1.25': 'SHA256:aa' }, message: /is not a digest/ },
    { story: 'an empty reference', digests: { '': A }, message: /"" is not an image reference/ },
    { story: 'a reference with a space', digests: { 'nginx 1.25': A }, message: /is not an image reference/ },
  ])('rejects $story', ({ digests, message }) => {
    expect(() => checkImageDigests(digests)).toThrow(message);
  });
});

describe('the simulated kubelet with imageDigests', () => {
  it('reports the mapped digest; an in-place change to another tag of the same digest keeps the imageID, an unmapped tag changes it', async () => {
    await using cluster = await createMemoryCluster({ kubelet: { imageDigests: { 'nginx:1.25': A, 'nginx:stable': A } } });
    const { client, clock, settle } = cluster;
    const key = { name: 'web', namespace: 'default' };
    const app = async () => (await client.get(Resources.Pod, key)).status?.containerStatuses?.[0];
    await client.create(Resources.Pod, { metadata: key, spec: { nodeName: cluster.nodes[0], containers: [{ name: 'app', image: 'nginx:1.25' }] } });
    await clock.advance(1000);
    await settle();
    expect(await app()).toMatchObject({ image: 'nginx:1.25', imageID: `nginx@${A}`, restartCount: 0 });

    const setImage = async (image: string) => {
      await client.patch(Resources.Pod, key, { type: 'json', operations: [{ op: 'replace', path: '/spec/containers/0/image', value: image }] });
      await settle();
    };
    await setImage('nginx:stable');
    // A kubelet restarts the container (the image reference is part of its spec hash) but pulls the same content.
    expect(await app()).toMatchObject({ image: 'nginx:stable', imageID: `nginx@${A}`, restartCount: 1 });
    await setImage('nginx:1.26');
    expect(await app()).toMatchObject({ image: 'nginx:1.26', imageID: `nginx@${derived('nginx:1.26')}`, restartCount: 2 });
  });

  it('rejects a malformed digest when the cluster is created', async () => {
    await expect(createMemoryCluster({ kubelet: { imageDigests: { 'nginx:1.25': 'latest' } } })).rejects.toThrow(/is not a digest/);
  });
});
