import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { at, T0 } from '../testing/index.js';
import { checkContainersUpdated, checkInPlaceUpdateCompleted, type InPlaceCompletion } from './checkInPlaceUpdateCompleted.js';
import { extractedEnvFromMetadataHash } from './envFromMetadata.js';
import { normalizeImageReference } from './normalizeImageReference.js';
import { planInPlaceUpdatePatch } from './planInPlaceUpdatePatch.js';
import { planNextContainerBatch } from './planNextContainerBatch.js';
import { barrierEnv, podWith, simulateKubelet, updateSpec, withResize } from './inplace.testkit.js';

const STATE = 'apps.kruise.io/inplace-update-state';
const META = 'apps.kruise.io/runtime-containers-meta';

/** A pod whose `main` container was switched nginx:1 → nginx:2 (state recorded), status as given. */
function updating(status: { image?: string; imageID?: string } | undefined, state = '{"revision":"web-2","lastContainerStatuses":{"main":{"imageID":"nginx:1@sha256:0"}}}', image = 'nginx:2'): Pod {
  const pod = podWith([{ name: 'main', image }], { annotations: { [STATE]: state } });
  const statuses = status === undefined ? [] : [{ name: 'main', ...status }];
  return { ...pod, status: { ...pod.status, containerStatuses: statuses } };
}

function withAnnotations(pod: Pod, annotations: Record<string, string>): Pod {
  return { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, ...annotations } } };
}

describe('checkInPlaceUpdateCompleted', () => {
  it.each<[string, Pod, InPlaceCompletion]>([
    ['a pod never updated in place counts as completed', podWith([{ name: 'main', image: 'nginx:1' }]), { kind: 'completed' }],
    ['the imageID changed', updating({ image: 'nginx:2', imageID: 'nginx:2@sha256:1' }), { kind: 'completed' }],
    ['same imageID, but the runtime reports the spec image (retag)', updating({ image: 'docker.io/library/nginx:2', imageID: 'nginx:1@sha256:0' }), { kind: 'completed' }],
    [
      'same imageID, untagged spec image compares as :latest',
      updating({ image: 'docker.io/library/nginx:latest', imageID: 'nginx:1@sha256:0' }, undefined, 'nginx'),
      { kind: 'completed' },
    ],
    ['same imageID and the old image: kubelet has not restarted it yet', updating({ image: 'nginx:1', imageID: 'nginx:1@sha256:0' }), { kind: 'waiting-image', container: 'main' }],
    ['the recorded container has no status', updating(undefined), { kind: 'container-status-missing', containers: ['main'] }],
    ['next batch pending', updating({ imageID: 'x' }, '{"revision":"web-2","nextContainerImages":{"app":"a:2"}}'), { kind: 'next-batch-pending', containers: ['app'] }],
    ['unreadable state', updating({ imageID: 'x' }, 'not json'), { kind: 'invalid-state', message: expect.stringContaining('not JSON') as string }],
  ])('%s', (_story, pod, expected) => {
    expect(checkInPlaceUpdateCompleted(pod, T0)).toEqual(expected);
  });

  it.each([
    ['10 s into a 30 s grace period', at(10), 20],
    ['grace elapsed but not yet applied', at(45), 0],
  ])('in grace: %s', (_story, now, remainingSeconds) => {
    const pod = withAnnotations(updating({ imageID: 'x' }, '{"revision":"web-2","updateTimestamp":"2025-01-01T00:00:00Z"}'), {
      'apps.kruise.io/inplace-update-grace': '{"revision":"web-2","graceSeconds":30}',
    });
    expect(checkInPlaceUpdateCompleted(pod, now)).toEqual({ kind: 'in-grace', remainingSeconds });
  });

  describe('resources', () => {
    const state = '{"revision":"web-2","lastContainerStatuses":{"main":{"resources":{"limits":{"cpu":"1"}}}},"updateResources":true}';
    const resized = (reported: Container['resources']): Pod => {
      const pod = updating({ image: 'nginx:2', imageID: 'same' }, state);
      pod.spec.containers[0]!.resources = { limits: { cpu: '2', memory: '1Gi' } };
      pod.status!.containerStatuses![0]!.resources = reported!;
      return pod;
    };
    it.each<[string, Container['resources'], InPlaceCompletion['kind']]>([
      ['status still reports the old cpu', { limits: { cpu: '1', memory: '1Gi' } }, 'waiting-resources'],
      ['status reports the new cpu (2000m equals 2)', { limits: { cpu: '2000m', memory: '1Gi' } }, 'completed'],
      ['status reports no limits at all', {}, 'waiting-resources'],
    ])('%s', (_story, reported, kind) => {
      expect(checkInPlaceUpdateCompleted(resized(reported), T0).kind).toBe(kind);
    });
  });

  // OpenKruise (NativeVerticalUpdate.IsUpdateCompleted) writes no resources into the state: with
  // InPlaceWorkloadVerticalScaling and `updateResources`, every container must report its spec
  // requests and limits.
  describe('resources, as OpenKruise records a resize', () => {
    const kruiseState = '{"revision":"web-2","updateTimestamp":"2025-01-01T00:00:00Z","lastContainerStatuses":{},"updateResources":true}';
    const spec = { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '1' } };
    const resized = (containers: { name: string; reported?: Container['resources'] | null }[], state = kruiseState): Pod => {
      const pod = podWith(containers.map((c) => ({ name: c.name, image: 'nginx:1', resources: spec })), { annotations: { [STATE]: state } });
      const statuses = containers.flatMap((c) => (c.reported === null ? [] : [{ name: c.name, image: 'nginx:1', imageID: 'same', ...(c.reported === undefined ? {} : { resources: c.reported }) }]));
      return { ...pod, status: { ...pod.status, containerStatuses: statuses } };
    };
    const applied = { limits: { cpu: '2000m', memory: '1Gi' }, requests: { cpu: '1' } };
    it.each<{ story: string; pod: Pod; gates?: { InPlaceWorkloadVerticalScaling: boolean }; expected: InPlaceCompletion }>([
      { story: 'status still reports the old cpu', pod: resized([{ name: 'main', reported: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1' } } }]), expected: { kind: 'waiting-resources', container: 'main' } },
      { story: 'status reports the spec resources', pod: resized([{ name: 'main', reported: applied }]), expected: { kind: 'completed' } },
      { story: 'status reports no resources at all', pod: resized([{ name: 'main' }]), expected: { kind: 'waiting-resources', container: 'main' } },
      { story: 'status reports an extra resource name', pod: resized([{ name: 'main', reported: { ...applied, requests: { cpu: '1', memory: '1Gi' } } }]), expected: { kind: 'waiting-resources', container: 'main' } },
      { story: 'every container counts, resized or not', pod: resized([{ name: 'main', reported: applied }, { name: 'sidecar', reported: { limits: { cpu: '1', memory: '1Gi' } } }]), expected: { kind: 'waiting-resources', container: 'sidecar' } },
      { story: 'a container without status', pod: resized([{ name: 'main', reported: applied }, { name: 'sidecar', reported: null }]), expected: { kind: 'container-status-missing', containers: ['sidecar'] } },
      { story: 'vertical scaling off: resources are not looked at', pod: resized([{ name: 'main', reported: { limits: { cpu: '1', memory: '1Gi' } } }]), gates: { InPlaceWorkloadVerticalScaling: false }, expected: { kind: 'completed' } },
      { story: 'no updateResources in the state: resources are not looked at', pod: resized([{ name: 'main', reported: { limits: { cpu: '1' } } }], '{"revision":"web-2","lastContainerStatuses":{}}'), expected: { kind: 'completed' } },
    ])('$story', ({ pod, gates, expected }) => {
      expect(checkInPlaceUpdateCompleted(pod, T0, gates === undefined ? {} : { featureGates: gates })).toEqual(expected);
    });
  });

  describe('env from metadata', () => {
    const container: Container = { name: 'main', image: 'nginx:1', env: [{ name: 'V', valueFrom: { fieldRef: { fieldPath: "metadata.labels['version']" } } }] };
    const base = (): Pod => {
      const pod = podWith([container], { annotations: { [STATE]: '{"revision":"web-2","updateEnvFromMetadata":true}' } });
      pod.status!.containerStatuses![0]!.containerID = 'containerd://abc';
      return pod;
    };
    const meta = (containerID: string, hash: number) => JSON.stringify({ containers: [{ name: 'main', containerID, restartCount: 1, hashes: { plainHash: 1, extractedEnvFromMetadataHash: hash } }] });
    const expected = extractedEnvFromMetadataHash(container, { labels: { app: 'web', version: 'v1' } });
    it.each<[string, Record<string, string>, InPlaceCompletion]>([
      ['kruise-daemon has not reported yet', {}, { kind: 'waiting-env-from-metadata', reason: 'runtime-meta-missing' }],
      ['the reported hash is the old one', { [META]: meta('containerd://abc', expected + 1) }, { kind: 'waiting-env-from-metadata', reason: 'runtime-meta-outdated', container: 'main' }],
      ['the report is for an older container', { [META]: meta('containerd://old', expected) }, { kind: 'waiting-env-from-metadata', reason: 'runtime-meta-outdated', container: 'main' }],
      ['the hash matches the pod labels', { [META]: meta('containerd://abc', expected) }, { kind: 'completed' }],
    ])('%s', (_story, annotations, completion) => {
      expect(checkInPlaceUpdateCompleted(withAnnotations(base(), annotations), T0)).toEqual(completion);
    });

    it('accepts another hash function (e.g. to match Go kruise-daemon values)', () => {
      const pod = withAnnotations(base(), { [META]: meta('containerd://abc', 42) });
      expect(checkInPlaceUpdateCompleted(pod, T0, { envFromMetadataHash: () => 42 })).toEqual({ kind: 'completed' });
    });
  });

  it('property: applying the planned patch (batch after batch) and reporting new imageIDs completes the update', () => {
    const containerArb = fc.record({ image: fc.constantFrom('a:1', 'b:1', 'c'), priority: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }) });
    const changeArb = fc.record({ image: fc.option(fc.constantFrom('a:2', 'b:2', 'c:3'), { nil: undefined }), cpu: fc.option(fc.constantFrom('2', '500m'), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(containerArb, changeArb), { minLength: 1, maxLength: 4 }), fc.boolean(), (entries, resizeSubresource) => {
        const containers: Container[] = entries.map(([c], i) => ({
          name: `c${String(i)}`,
          image: c.image,
          resources: { limits: { cpu: '1', memory: '1Gi' } },
          ...(c.priority === undefined ? {} : { env: barrierEnv(c.priority) }),
        }));
        const pick = (key: 'image' | 'cpu') => entries.flatMap(([, change], i) => (change[key] === undefined ? [] : [[`c${String(i)}`, change[key]] as const]));
        const spec = updateSpec({
          containerImages: Object.fromEntries(pick('image')),
          containerResources: Object.fromEntries(pick('cpu').map(([name, cpu]) => [name, { limits: { cpu } }])),
        });
        const start = planInPlaceUpdatePatch(simulateKubelet(podWith(containers)), spec, { now: T0, resizeSubresource });
        let pod = simulateKubelet(withResize(start.pod, start.kind === 'apply-batch' ? start.resizePatch : undefined));
        for (let pass = 0; pass < containers.length; pass++) {
          const next = planNextContainerBatch(pod, { now: at(pass + 1), resizeSubresource });
          if (next.kind !== 'apply-batch') break;
          pod = simulateKubelet(withResize(next.pod, next.resizePatch));
        }
        expect(checkInPlaceUpdateCompleted(pod, at(60))).toEqual({ kind: 'completed' });
        for (const [name, image] of pick('image')) expect(pod.spec.containers.find((c) => c.name === name)?.image).toBe(image);
      }),
    );
  });
});

describe('checkContainersUpdated against the Map walk it replaced', () => {
  // Frozen: the record walked as a Map (one entry per recorded container, deleted on its first status).
  function frozenImagesUpdated(pod: Pod, recordedStatuses: Record<string, { imageID?: string | undefined }>): InPlaceCompletion {
    const recorded = new Map(Object.entries(recordedStatuses));
    for (const status of pod.status?.containerStatuses ?? []) {
      const last = recorded.get(status.name);
      if (!last) continue;
      recorded.delete(status.name);
      const container = pod.spec.containers.find((c) => c.name === status.name);
      const updated = (last.imageID ?? '') !== (status.imageID ?? '') || (container?.image !== undefined && status.image !== undefined && normalizeImageReference(container.image) === normalizeImageReference(status.image));
      if (!updated) return { kind: 'waiting-image', container: status.name };
    }
    if (recorded.size > 0) return { kind: 'container-status-missing', containers: [...recorded.keys()].sort() };
    return { kind: 'completed' };
  }
  const name = fc.constantFrom('main', 'log', '9', '10', '__proto__');
  const imageID = fc.option(fc.constantFrom('', 'sha256:1', 'sha256:2'), { nil: undefined });

  it('gives the same verdict for any record, statuses (duplicates and strays included) and containers (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.record({ imageID }, { requiredKeys: [] }), { maxKeys: 3 }),
        fc.array(fc.record({ name, image: fc.constantFrom('nginx:1', 'docker.io/library/nginx:1', 'nginx:2'), imageID }), { maxLength: 4 }),
        fc.uniqueArray(fc.record({ name, image: fc.constantFrom('nginx:1', 'nginx:2') }), { selector: (c) => c.name, maxLength: 3 }),
        (recorded, statuses, containers) => {
          const pod: Pod = {
            metadata: { name: 'web-0' },
            spec: { containers },
            status: { containerStatuses: statuses.map(({ imageID: id, ...s }) => ({ ...s, ready: true, restartCount: 0, ...(id === undefined ? {} : { imageID: id }) })) },
          };
          const state = { revision: 'web-2', lastContainerStatuses: recorded };
          expect(checkContainersUpdated(pod, state)).toEqual(frozenImagesUpdated(pod, recorded));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
