import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { daemonRbac, daemonSet } from './renderDaemon.js';

const docs = (text: string): Record<string, unknown>[] => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);

describe('deploy/daemon', () => {
  it('grants the daemon NodeImage reads, NodeImage status writes, events, its node’s ContainerRecreateRequests, pods (pods/status for container meta) and NodePodProbe (status for probe results) only (no wildcard, no delete)', () => {
    const role = docs(daemonRbac()).find((d) => d.kind === 'ClusterRole') as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const grants = role.rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0] ?? ''}/${res}:${v}`)));
    expect(grants.sort()).toEqual(['/events:create', '/events:patch', '/pods/status:get', '/pods/status:patch', '/pods/status:update', '/pods:get', '/pods:list', '/pods:watch', 'apps.kruise.io/containerrecreaterequests/status:get', 'apps.kruise.io/containerrecreaterequests/status:patch', 'apps.kruise.io/containerrecreaterequests/status:update', 'apps.kruise.io/containerrecreaterequests:get', 'apps.kruise.io/containerrecreaterequests:list', 'apps.kruise.io/containerrecreaterequests:patch', 'apps.kruise.io/containerrecreaterequests:watch', 'apps.kruise.io/nodeimages/status:get', 'apps.kruise.io/nodeimages/status:patch', 'apps.kruise.io/nodeimages/status:update', 'apps.kruise.io/nodeimages:get', 'apps.kruise.io/nodeimages:list', 'apps.kruise.io/nodeimages:watch', 'apps.kruise.io/nodepodprobes/status:get', 'apps.kruise.io/nodepodprobes/status:patch', 'apps.kruise.io/nodepodprobes/status:update', 'apps.kruise.io/nodepodprobes:get', 'apps.kruise.io/nodepodprobes:list', 'apps.kruise.io/nodepodprobes:watch']);
  });

  it('reads Secrets only in kruise-daemon-config (a Role there: get), where the manager copies ImagePullJob pull secrets', () => {
    const all = docs(daemonRbac());
    const role = all.find((d) => d.kind === 'Role') as { metadata: { namespace: string }; rules: unknown[] };
    expect(role.metadata.namespace).toBe('kruise-daemon-config');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    expect(all.find((d) => d.kind === 'RoleBinding')).toMatchObject({ metadata: { namespace: 'kruise-daemon-config' }, roleRef: { kind: 'Role', name: 'kruise-ts-daemon' }, subjects: [{ kind: 'ServiceAccount', name: 'kruise-ts-daemon', namespace: 'kruise-system' }] });
  });

  it('runs one pod per node with NODE_NAME from spec.nodeName, the runtime socket, and probes on loopback', () => {
    const [ds] = docs(daemonSet()) as [{ spec: { template: { spec: { hostNetwork: boolean; containers: { args: string[]; env: unknown[]; livenessProbe: { httpGet: { host: string } } }[] } } } }];
    const pod = ds.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.hostNetwork).toBe(true);
    expect(container?.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(container?.args).toEqual(['--runtime-endpoint=unix:///run/containerd/containerd.sock', '--addr=127.0.0.1:10221']);
    expect(container?.livenessProbe.httpGet.host).toBe('127.0.0.1');
  });
});
