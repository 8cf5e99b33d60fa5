import { describe, expect, it } from 'vitest';
import type { Container } from '../api/pod.js';
import { T0 } from '../testing/index.js';
import { batchContainerPatches, planInPlaceUpdateBatch, type BatchStateTemplate } from './applyInPlaceUpdateBatch.js';
import type { ContainerPatch } from './diffPodForPatch.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import type { InPlaceUpdateState } from './inPlaceUpdateState.js';
import { barrierEnv, podWith, updateSpec } from './inplace.testkit.js';

const STATE = 'apps.kruise.io/inplace-update-state';
const fresh: InPlaceUpdateState = { revision: 'web-2', updateTimestamp: '2025-01-01T00:00:00Z', lastContainerStatuses: {}, updateImages: true };

describe('planInPlaceUpdateBatch', () => {
  it('plans the batch from the metadata given, the containers left to the caller', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }]);
    const plan = planInPlaceUpdateBatch(pod, { labels: { app: 'web' }, finalizers: ['f'] }, updateSpec({ containerImages: { main: 'nginx:2' } }), fresh, { now: T0 });
    expect(plan).toMatchObject({ batch: ['main'], metadata: { labels: { app: 'web' }, finalizers: ['f'] } });
    expect(plan.metadata.annotations).toEqual({
      [STATE]:
        '{"revision":"web-2","updateTimestamp":"2025-01-01T00:00:00Z","lastContainerStatuses":{"main":{"imageID":"nginx:1@sha256:0"}},"updateImages":true,' +
        '"containerBatchesRecord":[{"containers":["main"],"timestamp":"2025-01-01T00:00:00Z"}]}',
    });
    expect([...plan.inBatch]).toEqual(['main']);
  });

  it('remembers the state of a batch in the templates given, and reuses it for the next pod with the same batch', () => {
    const templates = new Map<string, BatchStateTemplate>();
    const spec = updateSpec({ containerImages: { app: 'app:2', sidecar: 'envoy:2' } });
    const containers: Container[] = [{ name: 'app', image: 'app:1', env: barrierEnv(0) }, { name: 'sidecar', image: 'envoy:1', env: barrierEnv(1) }];
    const first = planInPlaceUpdateBatch(podWith(containers), {}, spec, fresh, { now: T0 }, templates);
    const second = planInPlaceUpdateBatch(podWith(containers), {}, spec, fresh, { now: T0 }, templates);
    // Without the app container nothing waits: another template.
    const alone = planInPlaceUpdateBatch(podWith(containers.slice(1)), {}, spec, fresh, { now: T0 }, templates);
    expect(templates.size).toBe(2);
    expect(second.metadata.annotations[STATE]).toBe(first.metadata.annotations[STATE]);
    expect(first.state).toMatchObject({ nextContainerImages: { app: 'app:2' }, preCheckBeforeNext: { containersRequiredReady: ['sidecar'] } });
    expect(alone.state).not.toHaveProperty('preCheckBeforeNext');
  });
});

describe('batchContainerPatches', () => {
  const spec = (changes: Partial<InPlaceUpdateSpec>) => updateSpec(changes);
  const main: Container = { name: 'main', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' } } };
  const log: Container = { name: 'log', image: 'busybox:1' };

  it.each<{ story: string; spec: InPlaceUpdateSpec; batch: string[]; resize: boolean; patches: ContainerPatch[] }>([
    { story: 'a new image', spec: spec({ containerImages: { main: 'nginx:2' } }), batch: ['main'], resize: false, patches: [{ name: 'main', image: 'nginx:2' }] },
    { story: 'the same image → nothing', spec: spec({ containerImages: { log: 'busybox:1' } }), batch: ['log'], resize: false, patches: [] },
    { story: 'a container outside the batch → nothing', spec: spec({ containerImages: { log: 'busybox:2' } }), batch: ['main'], resize: false, patches: [] },
    {
      story: 'resources merged into the container, without pods/resize',
      spec: spec({ containerResources: { main: { limits: { cpu: '2' } } } }),
      batch: ['main'],
      resize: false,
      patches: [{ name: 'main', resources: { limits: { cpu: '2', memory: '1Gi' } } }],
    },
    { story: 'resources left to pods/resize', spec: spec({ containerResources: { main: { limits: { cpu: '2' } } } }), batch: ['main'], resize: true, patches: [] },
    { story: 'resources that change nothing → nothing', spec: spec({ containerResources: { main: { limits: { cpu: '1' } } } }), batch: ['main'], resize: false, patches: [] },
  ])('$story', ({ spec: changes, batch, resize, patches }) => {
    expect(batchContainerPatches([main, log], changes, new Set(batch), resize)).toEqual(patches);
  });
});
