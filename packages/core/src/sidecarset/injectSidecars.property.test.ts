import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod, Volume } from '../api/pod.js';
import type { SidecarContainer, SidecarSet } from '../api/sidecarSet.js';
import { injectSidecars, type SidecarInjection } from './injectSidecars.js';
import { NOW } from './sidecarset.testkit.js';

const volumeName = fc.constantFrom('data', 'logs', 'certs', 'cfg');
const mountPath = fc.constantFrom('/data', '/var/log', '/etc/certs', '/etc/cfg', '/tmp');
const mount = fc.record({ name: volumeName, mountPath });
const env = fc.record({ name: fc.constantFrom('A', 'B', 'POD'), value: fc.constantFrom('1', '2') });
const volume: fc.Arbitrary<Volume> = fc.oneof(
  volumeName.map((name) => ({ name, emptyDir: {} })),
  volumeName.map((name) => ({ name, hostPath: { path: `/host/${name}` } })),
);

const appContainers = fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }).chain((ids) =>
  fc.tuple(...ids.map((id) => fc.record({ env: fc.uniqueArray(env, { selector: (e) => e.name, maxLength: 2 }), volumeMounts: fc.uniqueArray(mount, { selector: (m) => m.mountPath, maxLength: 2 }) }).map((c): Container => ({ name: `app-${String(id)}`, image: `app:${String(id)}`, ...c })))),
);

const podArb: fc.Arbitrary<Pod> = fc
  .record({ containers: appContainers, volumes: fc.uniqueArray(volume, { selector: (v) => v.name, maxLength: 3 }), annotations: fc.dictionary(fc.constantFrom('a', 'b', 'oom'), fc.constantFrom('x', '{"k":1}'), { maxKeys: 2 }) })
  .map(({ containers, volumes, annotations }) => ({
    metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' }, annotations },
    spec: { containers, volumes, initContainers: [{ name: 'setup', image: 'busybox:1' }], imagePullSecrets: [{ name: 'pod-secret' }] },
  }));

function sidecar(set: number, index: number, init: boolean): fc.Arbitrary<SidecarContainer> {
  return fc
    .record({
      podInjectPolicy: fc.constantFrom('BeforeAppContainer' as const, 'AfterAppContainer' as const),
      share: fc.boolean(),
      hot: fc.boolean(),
      native: fc.boolean(),
      volumeMounts: fc.uniqueArray(mount, { selector: (m) => m.mountPath, maxLength: 2 }),
      transfer: fc.constantFrom('app-0', 'app-1', 'app-9'),
    })
    .map((c) => ({
      name: `${init ? 'init' : 'sc'}-${String(set)}-${String(index)}`,
      image: `sidecar:${String(set)}`,
      podInjectPolicy: c.podInjectPolicy,
      shareVolumePolicy: { type: c.share ? 'enabled' : 'disabled' },
      volumeMounts: c.volumeMounts,
      transferEnv: [{ sourceContainerName: c.transfer, envNames: ['A', 'B'] }],
      ...(init && c.native && { restartPolicy: 'Always' }),
      ...((!init || c.native) && c.hot && { upgradeStrategy: { upgradeType: 'HotUpgrade' as const, hotUpgradeEmptyImage: 'empty:1' } }),
    }));
}

const sidecarSets: fc.Arbitrary<SidecarSet[]> = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, set) =>
      fc
        .record({
          containers: fc.integer({ min: 0, max: 2 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_x, i) => sidecar(set, i, false)))),
          initContainers: fc.integer({ min: 0, max: 1 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_x, i) => sidecar(set, i, true)))),
          volumes: fc.uniqueArray(volume, { selector: (v) => v.name, maxLength: 3 }),
          policy: fc.constantFrom('Retain' as const, 'Overwrite' as const, 'MergePatchJson' as const),
        })
        .map(({ containers, initContainers, volumes, policy }): SidecarSet => ({
          metadata: { name: `ss-${String(set)}` },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            containers,
            initContainers,
            volumes,
            imagePullSecrets: [{ name: `secret-${String(set)}` }, { name: 'pod-secret' }],
            patchPodMetadata: [{ patchPolicy: policy, annotations: { oom: `{"ss-${String(set)}":1}` } }],
          },
        })),
    ),
  ),
);

const podOf = (result: SidecarInjection): Pod | undefined => (result.kind === 'injected' || result.kind === 'metadata-patched' ? result.pod : undefined);

describe('injectSidecars properties', () => {
  it('injecting an injected pod again changes nothing', () => {
    fc.assert(
      fc.property(podArb, sidecarSets, (pod, sets) => {
        const once = podOf(injectSidecars(pod, sets, {}, { now: NOW }));
        fc.pre(once !== undefined);
        const twice = podOf(injectSidecars(once, sets, {}, { now: NOW }));
        expect(twice ?? once).toEqual(once);
      }),
    );
  });

  it('never changes nor removes the pod’s own containers, init containers and volumes', () => {
    fc.assert(
      fc.property(podArb, sidecarSets, (pod, sets) => {
        const out = podOf(injectSidecars(pod, sets, {}, { now: NOW })) ?? pod;
        const kept = (before: readonly { name: string }[] | undefined, after: readonly { name: string }[] | undefined) => {
          const names = new Set((before ?? []).map((c) => c.name));
          expect((after ?? []).filter((c) => names.has(c.name))).toEqual(before ?? []);
        };
        kept(pod.spec.containers, out.spec.containers);
        kept(pod.spec.initContainers, out.spec.initContainers);
        expect(out.spec.volumes?.slice(0, pod.spec.volumes?.length ?? 0)).toEqual(pod.spec.volumes);
        expect(new Set(out.spec.volumes?.map((v) => v.name)).size).toBe(out.spec.volumes?.length);
      }),
    );
  });
});
