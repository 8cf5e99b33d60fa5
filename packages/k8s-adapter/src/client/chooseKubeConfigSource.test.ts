import { describe, expect, it } from 'vitest';
import { chooseKubeConfigSource, SERVICE_ACCOUNT_TOKEN, type KubeConfigLookup } from './chooseKubeConfigSource.js';

function lookup(files: readonly string[], env: Record<string, string> = {}, home: string | undefined = '/home/ada'): KubeConfigLookup {
  return { env, home, exists: (p) => files.includes(p) };
}

const HOME_CONFIG = '/home/ada/.kube/config';

describe('chooseKubeConfigSource', () => {
  it.each([
    ['an explicit path that exists wins over everything', '/etc/admin.conf', lookup(['/etc/admin.conf', HOME_CONFIG], { KUBECONFIG: HOME_CONFIG }), { kind: 'files', paths: ['/etc/admin.conf'], from: 'path' }],
    ['an explicit path that does not exist is not replaced by another', '/nonexistent', lookup([HOME_CONFIG]), { kind: 'none', missing: ['/nonexistent'], detail: 'kubeconfig /nonexistent: no such file' }],
    ['KUBECONFIG keeps the files that exist, in order', '', lookup(['/b', '/c'], { KUBECONFIG: '/a:/b:/c' }), { kind: 'files', paths: ['/b', '/c'], from: 'KUBECONFIG' }],
    ['KUBECONFIG wins over the service account', '', lookup(['/a', SERVICE_ACCOUNT_TOKEN], { KUBECONFIG: '/a', KUBERNETES_SERVICE_HOST: '10.0.0.1' }), { kind: 'files', paths: ['/a'], from: 'KUBECONFIG' }],
    ['KUBECONFIG naming only missing files', '', lookup([HOME_CONFIG], { KUBECONFIG: '/a:/b' }), { kind: 'none', missing: ['/a', '/b'], detail: 'KUBECONFIG names no file that exists (/a, /b)' }],
    ['in a pod, the service account wins over ~/.kube/config', '', lookup([SERVICE_ACCOUNT_TOKEN, HOME_CONFIG], { KUBERNETES_SERVICE_HOST: '10.0.0.1' }), { kind: 'in-cluster' }],
    ['outside a pod, ~/.kube/config', '', lookup([HOME_CONFIG]), { kind: 'files', paths: [HOME_CONFIG], from: 'home' }],
  ])('%s', (_story, path, input, expected) => {
    expect(chooseKubeConfigSource(path, input)).toEqual(expected);
  });

  it('says what it looked at when it finds nothing (instead of client-node falling back to localhost:8080)', () => {
    expect(chooseKubeConfigSource('', lookup([]))).toEqual({
      kind: 'none',
      missing: [],
      detail: 'no kubeconfig found: no --kubeconfig, KUBECONFIG unset, not in a cluster (KUBERNETES_SERVICE_HOST unset), /home/ada/.kube/config does not exist; pass --kubeconfig=<file> or set KUBECONFIG',
    });
    expect(chooseKubeConfigSource('', lookup([], { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, ''))).toMatchObject({
      kind: 'none',
      detail: expect.stringContaining(`KUBERNETES_SERVICE_HOST is set but ${SERVICE_ACCOUNT_TOKEN} does not exist, ~/.kube/config does not exist`) as unknown,
    });
  });
});
