import { describe, expect, it } from 'vitest';
import { sidecarSet } from '../sidecarset/sidecarset.testkit.js';
import { SIDECARSET_NAME_LABEL } from './labels.js';
import type { SidecarSet } from './sidecarSet.js';
import {
  buildSidecarSetRevision,
  hashSidecarSetRevisionBytes,
  KUBERNETES_REVISION_HASH_LABEL,
  planSidecarSetRevision,
  restoreSidecarSetFromRevision,
  sidecarSetRevisionBytes,
} from './sidecarSetRevision.js';
import { withSidecarSetDefaults } from './withSidecarSetDefaults.js';

const log = (image: string) => sidecarSet('log', { containers: [{ name: 'fluentd', image }] });
const revisionOf = (image: string, revision: number) => buildSidecarSetRevision({ sidecarSet: log(image), namespace: 'kruise-system', revision, collisionCount: 0 });

describe('planSidecarSetRevision', () => {
  const plan = (image: string, revisions: ReturnType<typeof revisionOf>[]) => planSidecarSetRevision({ sidecarSet: log(image), namespace: 'kruise-system', collisionCount: 0, revisions });

  it('creates revision #1, labelled with the SidecarSet name, when there is none', () => {
    const result = plan('fluentd:1', []);
    expect(result.kind).toBe('create');
    expect(result.revision).toMatchObject({ revision: 1, metadata: { namespace: 'kruise-system', labels: { [SIDECARSET_NAME_LABEL]: 'log' } } });
  });

  it.each([
    ['the spec is the newest revision: used as is', 'fluentd:2', 'existing', 2],
    ['the spec went back to an older revision: renumbered to be the newest', 'fluentd:1', 'renumber', 1],
    ['a new spec: created with the next number', 'fluentd:3', 'create', 3],
  ])('%s', (_story, image, kind, revision) => {
    const result = plan(image, [revisionOf('fluentd:1', 1), revisionOf('fluentd:2', 2)]);
    expect(result.kind).toBe(kind);
    expect(result.revision.revision).toBe(revision);
    if (result.kind === 'renumber') expect(result.revisionNumber).toBe(3);
  });

  it('names the revision after the data and the collision count', () => {
    const first = planSidecarSetRevision({ sidecarSet: log('fluentd:1'), namespace: 'kruise-system', collisionCount: 0, revisions: [] });
    const bumped = planSidecarSetRevision({ sidecarSet: log('fluentd:1'), namespace: 'kruise-system', collisionCount: 1, revisions: [] });
    expect(first.revision.metadata.name).toMatch(/^log-/);
    expect(bumped.revision.metadata.name).not.toBe(first.revision.metadata.name);
  });
});

// Revision data and names as OpenKruise writes them: values produced by OpenKruise's code path
// (`getPatch`, Kubernetes' `HashControllerRevision`) run in Go 1.26 with k8s.io/api v0.36 on the
// same specs, after kruise-ts's defaulting (what the apiserver holds).
describe('sidecarSetRevisionBytes (OpenKruise getPatch)', () => {
  const plain: SidecarSet = { metadata: { name: 'log' }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:1' }] } };
  const logAgent = withSidecarSetDefaults({
    metadata: { name: 'log' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      containers: [
        {
          name: 'log-agent',
          image: 'fluent/fluent-bit:2.0',
          command: ['sh', '-c', 'tail -F /var/log/app.log && sleep 1'],
          env: [{ name: 'LEVEL', value: '<info>' }, { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }],
          resources: { limits: { cpu: '0.5', memory: '1024Mi' }, requests: { cpu: 0.25, memory: '64Mi' } },
          volumeMounts: [{ name: 'logs', mountPath: '/var/log' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 2020 } },
        },
      ],
      volumes: [{ name: 'logs', emptyDir: {} }, { name: 'conf', configMap: { name: 'fluent-bit' } }],
    },
  });
  const mesh = withSidecarSetDefaults({
    metadata: { name: 'mesh' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }],
      imagePullSecrets: [{ name: 'registry' }],
      patchPodMetadata: [{ annotations: { 'oom-score': '{"proxy":1}' }, patchPolicy: 'MergePatchJson' }],
      updateStrategy: { type: 'NotUpdate' },
    },
  });

  it.each([
    {
      story: 'a bare container: zero-value structs added, every unset field null, keys sorted',
      ss: plain,
      bytes:
        '{"spec":{"$patch":"replace","containers":[{"image":"fluentd:1","name":"fluentd","resources":{},"shareVolumePolicy":{},"upgradeStrategy":{}}],"imagePullSecrets":null,"initContainers":null,"patchPodMetadata":null,"volumes":null}}',
      name: 'log-688c8cbf44',
    },
    {
      story: 'a defaulted container: quantities canonical (0.5 → 500m, 1024Mi → 1Gi), divisor "0", <>& escaped, volumes recorded',
      ss: logAgent,
      bytes:
        '{"spec":{"$patch":"replace","containers":[{"command":["sh","-c","tail -F /var/log/app.log \\u0026\\u0026 sleep 1"],"env":[{"name":"LEVEL","value":"\\u003cinfo\\u003e"},{"name":"CPU","valueFrom":{"resourceFieldRef":{"divisor":"0","resource":"limits.cpu"}}}],"image":"fluent/fluent-bit:2.0","imagePullPolicy":"IfNotPresent","livenessProbe":{"failureThreshold":3,"httpGet":{"path":"/healthz","port":2020,"scheme":"HTTP"},"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1},"name":"log-agent","podInjectPolicy":"BeforeAppContainer","resources":{"limits":{"cpu":"500m","memory":"1Gi"},"requests":{"cpu":"250m","memory":"64Mi"}},"shareVolumePolicy":{"type":"disabled"},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","upgradeStrategy":{"upgradeType":"ColdUpgrade"},"volumeMounts":[{"mountPath":"/var/log","name":"logs"}]}],"imagePullSecrets":null,"initContainers":null,"patchPodMetadata":null,"volumes":[{"emptyDir":{},"name":"logs"},{"configMap":{"defaultMode":420,"name":"fluent-bit"},"name":"conf"}]}}',
      name: 'log-54d5bb688',
    },
    {
      story: 'a native sidecar init container, imagePullSecrets and patchPodMetadata; no containers is null',
      ss: mesh,
      bytes:
        '{"spec":{"$patch":"replace","containers":null,"imagePullSecrets":[{"name":"registry"}],"initContainers":[{"image":"envoy:1.30","imagePullPolicy":"IfNotPresent","name":"proxy","podInjectPolicy":"AfterAppContainer","ports":[{"containerPort":15001,"protocol":"TCP"}],"resources":{},"restartPolicy":"Always","shareVolumePolicy":{"type":"disabled"},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","upgradeStrategy":{"upgradeType":"ColdUpgrade"}}],"patchPodMetadata":[{"annotations":{"oom-score":"{\\"proxy\\":1}"},"patchPolicy":"MergePatchJson"}],"volumes":null}}',
      name: 'mesh-599d77f9c9',
    },
  ])('$story', ({ ss, bytes, name }) => {
    expect(sidecarSetRevisionBytes(ss)).toBe(bytes);
    const revision = buildSidecarSetRevision({ sidecarSet: ss, namespace: 'kruise-system', revision: 1, collisionCount: 0 });
    expect(revision.metadata.name).toBe(name);
    expect(revision.metadata.labels?.[KUBERNETES_REVISION_HASH_LABEL]).toBe(name.slice(name.indexOf('-') + 1));
    // What the apiserver stores is JSON.stringify of `data`: the same bytes up to Go's HTML escaping.
    expect(JSON.stringify(revision.data)).toBe(bytes.replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&'));
  });

  it('restores the recorded fields from a revision OpenKruise wrote', () => {
    const revision = buildSidecarSetRevision({ sidecarSet: logAgent, namespace: 'kruise-system', revision: 1, collisionCount: 0 });
    const stored = { ...revision, data: JSON.parse(sidecarSetRevisionBytes(logAgent)) as unknown };
    const restored = restoreSidecarSetFromRevision({ ...logAgent, spec: { ...logAgent.spec, containers: [{ name: 'log-agent', image: 'fluent/fluent-bit:3.0' }] } }, stored);
    expect(restored?.spec.containers?.[0]).toMatchObject({ name: 'log-agent', image: 'fluent/fluent-bit:2.0', command: ['sh', '-c', 'tail -F /var/log/app.log && sleep 1'] });
    expect(restored?.spec.initContainers).toBeUndefined();
    expect(restored?.status?.latestRevision).toBe(revision.metadata.name);
  });

  it('a collision count of 1 hashes the digit 1 after the bytes', () => {
    expect(hashSidecarSetRevisionBytes('{}', 1)).not.toBe(hashSidecarSetRevisionBytes('{}', 0));
    expect(hashSidecarSetRevisionBytes('{}1')).toBe(hashSidecarSetRevisionBytes('{}', 1));
  });
});
