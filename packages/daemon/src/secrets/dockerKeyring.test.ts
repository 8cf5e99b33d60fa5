import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupRegistryAuths, parseDockerKeyring, type PullSecret } from './dockerKeyring.js';
import { parseImageRepository } from './parseImageRepository.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const configJson = (auths: Record<string, unknown>): PullSecret => ({ metadata: { namespace: 'ns', name: 'pull' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } });

describe('parseImageRepository', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['busybox:1.36', 'docker.io/library/busybox'],
    ['team/app:v1', 'docker.io/team/app'],
    ['127.0.0.1:5000/busybox:1.36', '127.0.0.1:5000/busybox'],
    ['localhost/app', 'localhost/app'],
    ['quay.io/coreos/etcd@sha256:abcd', 'quay.io/coreos/etcd'],
    ['registry.example.com:443/a/b/c:tag', 'registry.example.com:443/a/b/c'],
  ])('%s → %s', (image, want) => {
    expect(parseImageRepository(image)).toBe(want);
  });

  it.each([[''], ['127.0.0.1:5000/'], ['Upper/Case']])('rejects %j naming the reference', (image) => {
    expect(() => parseImageRepository(image)).toThrow(/image reference/);
  });
});

describe('parseDockerKeyring', () => {
  it('reads dockerconfigjson auths, decoding auth into user and password, keys without scheme and /v1/', () => {
    const keyring = parseDockerKeyring([configJson({ 'https://index.docker.io/v1/': { auth: b64('hub:pw') }, '127.0.0.1:5000': { username: 'u', password: 'p' } })]);
    expect(keyring).toEqual([
      { key: 'index.docker.io', auth: { username: 'hub', password: 'pw' } },
      { key: '127.0.0.1:5000', auth: { username: 'u', password: 'p' } },
    ]);
  });

  it('reads legacy dockercfg and ignores other Secret types', () => {
    const dockercfg: PullSecret = { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'quay.io': { auth: b64('q:x') } })) } };
    const opaque: PullSecret = { type: 'Opaque', data: { '.dockerconfigjson': b64('{}') } };
    expect(parseDockerKeyring([dockercfg, opaque])).toEqual([{ key: 'quay.io', auth: { username: 'q', password: 'x' } }]);
  });

  it('throws naming the Secret when data is not base64 JSON', () => {
    expect(() => parseDockerKeyring([{ metadata: { namespace: 'ns', name: 'bad' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '%%%' } }])).toThrow('Secret ns/bad data[".dockerconfigjson"] is not base64 JSON');
  });
});

describe('lookupRegistryAuths', () => {
  const keyring = parseDockerKeyring([
    configJson({ 'quay.io': { auth: b64('host:1') }, 'quay.io/coreos': { auth: b64('path:2') }, '*.gcr.io': { auth: b64('glob:3') }, 'index.docker.io/v1/': { auth: b64('hub:4') }, '127.0.0.1:5000': { auth: b64('local:5') } }),
  ]);
  it.each([
    ['quay.io/coreos/etcd', ['path', 'host']],
    ['quay.io/other/app', ['host']],
    ['eu.gcr.io/proj/app', ['glob']],
    ['gcr.io/proj/app', []],
    ['docker.io/library/busybox', ['hub']],
    ['127.0.0.1:5000/busybox', ['local']],
    ['127.0.0.1:5001/busybox', []],
  ])('%s → %j (most specific first, kubelet order)', (repository, users) => {
    expect(lookupRegistryAuths(keyring, repository).map((a) => ('username' in a ? a.username : ''))).toEqual(users);
  });

  it('property: an exact host key always matches every repository on that host', () => {
    const part = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(fc.array(part, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.array(part, { minLength: 1, maxLength: 3 }), (hostParts, port, path) => {
        const host = hostParts.join('.') + (port === undefined ? '' : `:${String(port)}`);
        const ring = parseDockerKeyring([configJson({ [host]: { username: 'u', password: 'p' } })]);
        expect(lookupRegistryAuths(ring, `${host}/${path.join('/')}`)).toEqual([{ username: 'u', password: 'p' }]);
        expect(lookupRegistryAuths(ring, `other.${host}/${path.join('/')}`)).toEqual([]);
      }),
    );
  });
});
