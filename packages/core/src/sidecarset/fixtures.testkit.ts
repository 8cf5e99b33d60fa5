import type { Pod } from '../api/pod.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';

/**
 * The SidecarSets and pods of OpenKruise's pod webhook tests (`pkg/webhook/pod/mutating/
 * sidecarset_test.go`), as data, for the kruise-ts transcriptions of those tests (not exported
 * from the package).
 */

const selector = { matchLabels: { app: 'suxing-test' } };

/** `sidecarSet1`: init-2 and init-1 (no policy), dns-f before the app, log-agent after. */
export const sidecarSet1: SidecarSet = {
  metadata: { name: 'sidecarset1', annotations: { 'kruise.io/sidecarset-hash': 'c4k2dbb95d' }, labels: {} },
  spec: {
    selector,
    initContainers: [
      { name: 'init-2', image: 'busybox:1.0.0' },
      { name: 'init-1', image: 'busybox:1.0.0' },
    ],
    containers: [
      { name: 'dns-f', image: 'dns-f-image:1.0', podInjectPolicy: 'BeforeAppContainer', shareVolumePolicy: { type: 'disabled' } },
      { name: 'log-agent', image: 'log-agent-image:1.0', podInjectPolicy: 'AfterAppContainer', shareVolumePolicy: { type: 'disabled' } },
    ],
  },
};

/** `sidecarsetWithTransferEnv`: init dns-e and container dns-f both take `hello2` from nginx. */
export const sidecarSetWithTransferEnv: SidecarSet = {
  metadata: { name: 'sidecarset2', annotations: { 'kruise.io/sidecarset-hash': 'c4k2dbb95d' }, labels: {} },
  spec: {
    selector,
    initContainers: [{ name: 'dns-e', image: 'dns-e-image:1.0', volumeMounts: [{ name: 'volume-1', mountPath: '' }], transferEnv: [{ sourceContainerName: 'nginx', envName: 'hello2' }] }],
    containers: [
      {
        name: 'dns-f',
        image: 'dns-f-image:1.0',
        volumeMounts: [{ name: 'volume-1', mountPath: '' }],
        podInjectPolicy: 'BeforeAppContainer',
        shareVolumePolicy: { type: 'disabled' },
        transferEnv: [{ sourceContainerName: 'nginx', envName: 'hello2' }],
      },
    ],
    volumes: [{ name: 'volume-1' }, { name: 'volume-2' }],
  },
};

// dns-f of `sidecarSet3`: after the app, sharing the pod's volumes.
const dnsF: SidecarContainer[] = [
  {
    name: 'dns-f',
    image: 'dns-f-image:1.0',
    volumeMounts: [
      { name: 'volume-1', mountPath: '/a/b/c' },
      { name: 'volume-2', mountPath: '/d/e/f' },
    ],
    podInjectPolicy: 'AfterAppContainer',
    shareVolumePolicy: { type: 'enabled' },
  },
];
const set3Meta = { name: 'sidecarset3', annotations: { 'kruise.io/sidecarset-hash': 'gm967682cm' }, labels: {} };

/** `sidecarSet3`: dns-f after the app sharing the pod's volumes, log-agent after. */
export const sidecarSet3: SidecarSet = {
  metadata: set3Meta,
  spec: {
    selector,
    containers: [...dnsF, { name: 'log-agent', image: 'log-agent-image:1.0', podInjectPolicy: 'AfterAppContainer', shareVolumePolicy: { type: 'disabled' } }],
    volumes: [{ name: 'volume-1' }, { name: 'volume-2' }],
  },
};

const staragent = { name: 'volume-staragent', mountPath: '/staragent' };

/** `sidecarSetWithStaragent` with its first container only: init dns-e and container dns-f, both sharing volumes. */
export const sidecarSetWithStaragent: SidecarSet = {
  metadata: set3Meta,
  spec: {
    selector,
    initContainers: [
      {
        name: 'dns-e',
        image: 'dns-e-image:1.0',
        volumeMounts: [{ name: 'volume-3', mountPath: '/g/h/i' }, { name: 'volume-4', mountPath: '/j/k/l' }, staragent],
        podInjectPolicy: 'BeforeAppContainer',
        shareVolumePolicy: { type: 'enabled' },
      },
    ],
    containers: dnsF.map((c) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), staragent] })),
    volumes: ['volume-1', 'volume-2', 'volume-staragent', 'volume-3', 'volume-4'].map((name) => ({ name })),
  },
};

/** `pod1`: init-0 and nginx (env hello1, hello2; mounts /a/b, /e/f). */
export const pod1: Pod = {
  metadata: { name: 'test-pod', namespace: 'default', labels: { app: 'suxing-test' } },
  spec: {
    initContainers: [{ name: 'init-0', image: 'busybox:1.0.0' }],
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.15.1',
        env: [
          { name: 'hello1', value: 'world1' },
          { name: 'hello2', value: 'world2' },
        ],
        volumeMounts: [
          { name: 'volume-a', mountPath: '/a/b' },
          { name: 'volume-b', mountPath: '/e/f' },
        ],
      },
    ],
    volumes: [{ name: 'volume-a' }, { name: 'volume-b' }],
  },
};

/** `podWithStaragent`: nginx mounting /a/b, /e/f and /staragent. */
export const podWithStaragent: Pod = {
  ...pod1,
  spec: {
    containers: [
      {
        ...pod1.spec.containers[0],
        name: 'nginx',
        volumeMounts: [
          { name: 'volume-a', mountPath: '/a/b' },
          { name: 'volume-b', mountPath: '/e/f' },
          { name: 'volume-staragent', mountPath: '/staragent' },
        ],
      },
    ],
    volumes: [{ name: 'volume-a' }, { name: 'volume-b' }, { name: 'volume-staragent' }],
  },
};
