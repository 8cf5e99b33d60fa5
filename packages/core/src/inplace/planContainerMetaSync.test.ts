import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { currentEnvFromMetadataHash, extractedEnvFromMetadataHash } from './envFromMetadata.js';
import { formatRuntimeContainerMetaSet, listEnvHashReads, planContainerMetaSync, readRuntimeContainerMetaSet, shouldSyncContainerMeta, type ContainerMetaRuntimeStatus } from './planContainerMetaSync.js';

const META = 'apps.kruise.io/runtime-containers-meta';
const app: Container = { name: 'app', image: 'app:v1', env: [{ name: 'CFG', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['cfg']" } } }, { name: 'PLAIN', value: 'x' }] };
const side: Container = { name: 'side', image: 'side:v1' };

/** A CloneSet pod with annotation cfg=`cfg`, both containers started as c-app / c-side. */
function pod(options: { cfg?: string; meta?: string; updating?: boolean; owner?: string; ids?: [string, string] } = {}): Pod {
  const [appId, sideId] = options.ids ?? ['containerd://c-app', 'containerd://c-side'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      namespace: 'default',
      annotations: { cfg: options.cfg ?? 'v1', ...(options.meta === undefined ? {} : { [META]: options.meta }) },
      ownerReferences: [{ apiVersion: options.owner ?? 'apps.kruise.io/v1alpha1', kind: 'CloneSet', name: 'web', uid: 'u', controller: true }],
    },
    spec: { containers: [app, side] },
    status: {
      phase: 'Running',
      conditions: options.updating === undefined ? [] : [{ type: 'InPlaceUpdateReady', status: options.updating ? 'False' : 'True' }],
      containerStatuses: [
        { name: 'app', containerID: appId, restartCount: 0, ready: true, image: 'app:v1', imageID: 'sha256:a' },
        { name: 'side', containerID: sideId, restartCount: 0, ready: true, image: 'side:v1', imageID: 'sha256:s' },
      ],
    },
  };
}

const runtime = (appId = 'containerd://c-app', restartCount = 0): ContainerMetaRuntimeStatus[] => [
  { name: 'app', containerID: appId, restartCount, running: true },
  { name: 'side', containerID: 'containerd://c-side', restartCount: 0, running: true },
];
const hashOf = (cfg: string, container: Container = app): number => extractedEnvFromMetadataHash(container, { annotations: { cfg } });
/** The annotation a daemon wrote for containers started with cfg=`cfg`. */
const reported = (cfg: string, appId = 'containerd://c-app'): string =>
  formatRuntimeContainerMetaSet({ containers: [{ name: 'app', containerID: appId, restartCount: 0, hashes: { extractedEnvFromMetadataHash: hashOf(cfg) } }, { name: 'side', containerID: 'containerd://c-side', restartCount: 0, hashes: { extractedEnvFromMetadataHash: hashOf(cfg, side) } }] });

describe('currentEnvFromMetadataHash', () => {
  it('equals the expected hash when the container holds the values the metadata gives', () => {
    expect(currentEnvFromMetadataHash(app, { CFG: 'v1', PLAIN: 'x', HOME: '/' })).toBe(hashOf('v1'));
    expect(currentEnvFromMetadataHash(app, { CFG: 'v1' })).not.toBe(hashOf('v2'));
  });
  it('property: current(env from metadata m) === expected(m) for any value', () => {
    fc.assert(fc.property(fc.string(), (value) => currentEnvFromMetadataHash(app, { CFG: value }) === hashOf(value)));
  });
});

describe('shouldSyncContainerMeta', () => {
  it.each([
    ['a pod of a Deployment (not Kruise)', pod({ owner: 'apps/v1' }), undefined, false],
    ['no meta reported yet', pod(), undefined, true],
    ['meta up to date', pod({ meta: reported('v1') }), undefined, false],
    ['a container id changed', pod({ meta: reported('v1'), ids: ['containerd://c-app2', 'containerd://c-side'] }), undefined, true],
    ['the annotation read by env changed', pod({ meta: reported('v1'), cfg: 'v2' }), pod({ meta: reported('v1') }), true],
    ['another annotation changed', pod({ meta: reported('v1') }), pod({ meta: reported('v1') }), false],
  ])('%s → %s', (_story, current, old, expected) => {
    expect(shouldSyncContainerMeta(old, current, true)).toBe(expected);
  });
  it('without the gate an env-read annotation change is not a reason', () => {
    expect(shouldSyncContainerMeta(pod({ meta: reported('v1') }), pod({ meta: reported('v1'), cfg: 'v2' }), false)).toBe(false);
  });
});

describe('listEnvHashReads', () => {
  it('reads every running container of a pod without meta, none once reported', () => {
    expect(listEnvHashReads(pod(), runtime(), true).map((r) => r.name)).toEqual(['app', 'side']);
    expect(listEnvHashReads(pod({ meta: reported('v1') }), runtime(), true)).toEqual([]);
    expect(listEnvHashReads(pod(), runtime(), false)).toEqual([]);
  });
  it('reads a restarted container (new id) and skips one not running', () => {
    const rt = runtime('containerd://c-app2', 1);
    expect(listEnvHashReads(pod({ meta: reported('v1'), ids: ['containerd://c-app2', 'containerd://c-side'] }), rt, true)).toEqual([{ name: 'app', containerID: 'containerd://c-app2' }]);
    expect(listEnvHashReads(pod(), [{ ...rt[0]!, running: false }], true)).toEqual([]);
  });
});

describe('planContainerMetaSync', () => {
  it('first report: every container with its id, restart count and current hash; nothing restarted', () => {
    const plan = planContainerMetaSync({ pod: pod({ updating: false }), runtime: runtime(), envHashes: { 'containerd://c-app': hashOf('v1'), 'containerd://c-side': hashOf('v1', side) }, envFromMetadata: true });
    expect(plan.changed).toBe(true);
    expect(plan.restarts).toEqual([]);
    expect(formatRuntimeContainerMetaSet(plan.metaSet)).toBe(reported('v1'));
  });
  it('annotation v1→v2 during an in-place update: restarts only the container that reads it', () => {
    const plan = planContainerMetaSync({ pod: pod({ cfg: 'v2', meta: reported('v1'), updating: true }), runtime: runtime(), envHashes: {}, envFromMetadata: true });
    expect(plan.restarts).toEqual([{ name: 'app', containerID: 'containerd://c-app', reason: 'env-from-metadata-changed', currentHash: hashOf('v1'), expectedHash: hashOf('v2') }]);
    expect(plan.changed).toBe(false);
  });
  it.each([
    ['no in-place update running (InPlaceUpdateReady True)', false],
    ['no InPlaceUpdateReady condition', undefined],
  ])('annotation changed but %s: no restart', (_story, updating) => {
    const plan = planContainerMetaSync({ pod: pod({ cfg: 'v2', meta: reported('v1'), ...(updating === undefined ? {} : { updating }) }), runtime: runtime(), envHashes: {}, envFromMetadata: true });
    expect(plan.restarts).toEqual([]);
  });
  it('gate off: no hashes, no restarts', () => {
    const plan = planContainerMetaSync({ pod: pod({ cfg: 'v2', updating: true }), runtime: runtime(), envHashes: {}, envFromMetadata: false });
    expect(plan.restarts).toEqual([]);
    expect(plan.metaSet.containers.map((c) => c.hashes)).toEqual([{}, {}]);
  });
  it('after the restart: the new id is reported with the hash it holds, which the manager expects', () => {
    const current = pod({ cfg: 'v2', meta: reported('v1'), updating: true, ids: ['containerd://c-app2', 'containerd://c-side'] });
    const plan = planContainerMetaSync({ pod: current, runtime: runtime('containerd://c-app2', 1), envHashes: { 'containerd://c-app2': hashOf('v2') }, envFromMetadata: true });
    expect(plan.restarts).toEqual([]);
    expect(plan.changed).toBe(true);
    expect(plan.metaSet.containers[0]).toEqual({ name: 'app', containerID: 'containerd://c-app2', restartCount: 1, hashes: { extractedEnvFromMetadataHash: hashOf('v2') } });
    expect(plan.metaSet.containers[1]).toEqual(readRuntimeContainerMetaSet(current)?.containers[1]);
  });
  it('a failed env read leaves the hash unset and asks for a sync in 3 s', () => {
    const plan = planContainerMetaSync({ pod: pod(), runtime: runtime(), envHashes: { 'containerd://c-side': 7 }, envFromMetadata: true });
    expect(plan.requeueAfterMs).toBe(3000);
    expect(plan.metaSet.containers[0]?.hashes).toEqual({});
  });
  it('property: a container is restarted exactly when updating and its reported hash differs from the expected', () => {
    fc.assert(
      fc.property(fc.constantFrom('v1', 'v2', 'v3'), fc.constantFrom('v1', 'v2', 'v3'), fc.boolean(), (started, now, updating) => {
        const plan = planContainerMetaSync({ pod: pod({ cfg: now, meta: reported(started), updating }), runtime: runtime(), envHashes: {}, envFromMetadata: true });
        expect(plan.restarts.map((r) => r.name)).toEqual(updating && started !== now ? ['app'] : []);
      }),
    );
  });
});
