import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, PodTemplateSpec } from '../api/pod.js';
import { buildControllerRevision, revisionData, type ControllerRevision } from '../shared/revision.js';
import { classifyInPlaceUpdate, type ClassifyInPlaceUpdateOptions, type InPlaceVerdict } from './classifyInPlaceUpdate.js';
import { diffJson } from './diffJson.js';

const VCT = 'kruise.io/cloneset-volumeclaimtemplate-hash';
const envFromLabel = (name: string, key: string) => ({ name, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${key}']` } } });
const envFromAnnotation = (name: string, key: string) => ({ name, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${key}']` } } });
const guaranteed = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } };

function template(change: (containers: Container[], meta: { labels: Record<string, string>; annotations: Record<string, string> }) => void = () => undefined): PodTemplateSpec {
  const containers: Container[] = [
    { name: 'app', image: 'nginx:1', env: [{ name: 'MODE', value: 'a' }, envFromLabel('VERSION', 'version'), envFromAnnotation('OWNER', 'owner')], resources: structuredClone(guaranteed) },
    { name: 'sidecar', image: 'envoy:1', resources: structuredClone(guaranteed) },
  ];
  const meta = { labels: { app: 'web', version: 'v1' }, annotations: { owner: 'team-a', note: 'x' } };
  change(containers, meta);
  return { metadata: meta, spec: { containers } };
}

function revisionOf(t: PodTemplateSpec, vctHash?: string): ControllerRevision {
  const owner = { apiVersion: 'apps.kruise.io/v1beta1', kind: 'CloneSet', name: 'web', uid: 'u', ...(vctHash === undefined ? {} : { annotations: { [VCT]: vctHash } }) };
  return buildControllerRevision({ owner, template: t, revision: 1, collisionCount: 0 });
}

function classify(next: PodTemplateSpec, options: ClassifyInPlaceUpdateOptions = {}): InPlaceVerdict {
  return classifyInPlaceUpdate(revisionOf(template()), revisionOf(next), options);
}

const vertical = { featureGates: { InPlaceWorkloadVerticalScaling: true } };

describe('classifyInPlaceUpdate: template finalizers (OpenKruise two-way metadata patch)', () => {
  const withFinalizers = (finalizers: string[] | undefined): PodTemplateSpec => {
    const t = template();
    return { ...t, metadata: { ...t.metadata, ...(finalizers === undefined ? {} : { finalizers }) } };
  };
  it.each<{ story: string; before: string[] | undefined; after: string[] | undefined; patch: object | undefined }>([
    { story: 'a finalizer added to the template', before: undefined, after: ['example.com/guard'], patch: { finalizers: ['example.com/guard'] } },
    { story: 'a finalizer dropped from the template', before: ['example.com/a', 'example.com/b'], after: ['example.com/b'], patch: { deleteFinalizers: ['example.com/a'] } },
    { story: 'one swapped for another', before: ['example.com/a'], after: ['example.com/c'], patch: { finalizers: ['example.com/c'], deleteFinalizers: ['example.com/a'] } },
  ])('$story', ({ before, after, patch }) => {
    const verdict = classifyInPlaceUpdate(revisionOf(withFinalizers(before)), revisionOf(withFinalizers(after)));
    expect(verdict.kind).toBe('in-place');
    expect(verdict.kind === 'in-place' ? verdict.spec.metadataPatch : 'recreate').toEqual(patch);
  });
});

describe('classifyInPlaceUpdate: in place', () => {
  it('an image change of container 0 is in place, named after the old template', () => {
    const next = template((c) => (c[0]!.image = 'nginx:2'));
    const verdict = classify(next);
    expect(verdict).toMatchObject({ kind: 'in-place', paths: ['/spec/containers/0/image'] });
    expect(verdict.kind === 'in-place' && verdict.spec).toEqual({
      revision: revisionOf(next).metadata.name,
      containerImages: { app: 'nginx:2' },
      containerRefMetadata: {},
      containerResources: {},
      updateEnvFromMetadata: false,
    });
  });

  it.each<[string, PodTemplateSpec, ClassifyInPlaceUpdateOptions, object]>([
    ['both images change', template((c) => ((c[0]!.image = 'nginx:2'), (c[1]!.image = 'envoy:2'))), {}, { containerImages: { app: 'nginx:2', sidecar: 'envoy:2' } }],
    ['a plain label is added: metadata patch', template((_c, m) => (m.labels.tier = 'fe')), {}, { metadataPatch: { labels: { tier: 'fe' } }, containerImages: {} }],
    ['a label is removed: metadata patch deletes it', template((_c, m) => delete m.labels.app), {}, { metadataPatch: { labels: { app: null } } }],
    [
      'a label read by an env fieldRef: env-from-metadata update',
      template((_c, m) => (m.labels.version = 'v2')),
      {},
      { containerRefMetadata: { app: { labels: { version: 'v2' } } }, updateEnvFromMetadata: true },
    ],
    [
      'an annotation read by an env fieldRef: env-from-metadata update',
      template((_c, m) => (m.annotations.owner = 'team-b')),
      {},
      { containerRefMetadata: { app: { annotations: { owner: 'team-b' } } }, updateEnvFromMetadata: true },
    ],
    [
      'env-from-metadata gate off: the referenced label is a plain patch',
      template((_c, m) => (m.labels.version = 'v2')),
      { featureGates: { InPlaceUpdateEnvFromMetadata: false } },
      { containerRefMetadata: {}, updateEnvFromMetadata: false, metadataPatch: { labels: { version: 'v2' } } },
    ],
    [
      'vertical scaling: cpu request and limit both rise, still Guaranteed',
      template((c) => (c[0]!.resources = { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } })),
      vertical,
      { containerResources: { app: { limits: { cpu: '2' }, requests: { cpu: '2' } } } },
    ],
    ['the target revision can be overridden (short hash)', template((c) => (c[0]!.image = 'nginx:2')), { revision: 'abc' }, { revision: 'abc' }],
  ])('%s', (_story, next, options, expected) => {
    const verdict = classify(next, options);
    expect(verdict.kind).toBe('in-place');
    expect(verdict.kind === 'in-place' && verdict.spec).toMatchObject(expected);
  });

  it('a revision written by Go (resources: {}, creationTimestamp: null) compares equal to ours', () => {
    const goData = structuredClone(revisionData(template())) as unknown as { spec: { template: Record<string, unknown> } };
    goData.spec.template.metadata = { ...template().metadata, creationTimestamp: null };
    const old: ControllerRevision = { ...revisionOf(template()), data: goData };
    const verdict = classifyInPlaceUpdate(old, revisionOf(template((c) => (c[1]!.image = 'envoy:2'))));
    expect(verdict).toMatchObject({ kind: 'in-place', spec: { containerImages: { sidecar: 'envoy:2' } } });
  });
});

describe('classifyInPlaceUpdate: recreate', () => {
  it.each<[string, PodTemplateSpec, ClassifyInPlaceUpdateOptions, object]>([
    ['an env value changes', template((c) => (c[0]!.env![0]!.value = 'b')), {}, { reason: 'spec-changed', paths: ['/spec/containers/0/env/0/value'] }],
    ['a container is added', template((c) => c.push({ name: 'log', image: 'fluentd:1' })), {}, { reason: 'spec-changed', paths: ['/spec/containers/2'] }],
    ['a container is renamed', template((c) => (c[1]!.name = 'proxy')), {}, { reason: 'spec-changed', paths: ['/spec/containers/1/name'] }],
    ['cpu changes without the vertical scaling gate', template((c) => (c[0]!.resources!.limits!.cpu = '2')), {}, { reason: 'resources-not-in-place', paths: ['/spec/containers/0/resources/limits/cpu'] }],
    [
      'vertical scaling: only the cpu request changes, QoS Guaranteed → Burstable',
      template((c) => (c[0]!.resources!.requests!.cpu = '500m')),
      vertical,
      { reason: 'qos-class-changed', paths: ['/spec/containers/0/resources/requests/cpu'] },
    ],
    [
      'vertical scaling: a new resource entry is an add',
      template((c) => (c[1]!.resources = { limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' }, requests: guaranteed.requests })),
      vertical,
      { reason: 'resources-not-in-place', paths: ['/spec/containers/1/resources/limits/nvidia.com~1gpu'] },
    ],
    [
      'vertical scaling: ephemeral-storage cannot be resized',
      template((c) => (c[0]!.resources = { ...guaranteed, limits: { ...guaranteed.limits, 'ephemeral-storage': '1Gi' } })),
      vertical,
      { reason: 'resources-not-in-place' },
    ],
    [
      'vertical scaling: an unreadable quantity',
      template((c) => (c[0]!.resources!.limits!.cpu = 'lots')),
      vertical,
      { reason: 'resources-not-in-place', paths: ['/spec/containers/0/resources/limits/cpu'] },
    ],
    [
      'a resize together with an env change: spec-changed, every refused path listed',
      template((c) => ((c[0]!.resources!.limits!.cpu = '2'), (c[0]!.env![0]!.value = 'b'))),
      {},
      { reason: 'spec-changed', paths: ['/spec/containers/0/env/0/value', '/spec/containers/0/resources/limits/cpu'] },
    ],
  ])('%s', (_story, next, options, expected) => {
    expect(classify(next, options)).toMatchObject({ kind: 'recreate', ...expected });
  });

  it.each([
    ['old revision missing', undefined, revisionOf(template())],
    ['new revision missing', revisionOf(template()), undefined],
  ])('no-revision: %s', (_story, from, to) => {
    expect(classifyInPlaceUpdate(from, to)).toEqual({ kind: 'recreate', reason: 'no-revision', paths: [] });
  });

  it('invalid-revision: data without a pod template', () => {
    expect(classifyInPlaceUpdate({ ...revisionOf(template()), data: { spec: {} } }, revisionOf(template()))).toMatchObject({ kind: 'recreate', reason: 'invalid-revision' });
  });
});

describe('classifyInPlaceUpdate: volumeClaimTemplates hash', () => {
  const gate = { RecreatePodWhenChangeVCTInCloneSetGate: true };
  const next = template((c) => (c[0]!.image = 'nginx:2'));
  it.each<[string, string | undefined, string | undefined, ClassifyInPlaceUpdateOptions, InPlaceVerdict['kind']]>([
    ['gate on, hashes differ: recreate', '111', '222', { featureGates: gate }, 'recreate'],
    ['gate on, hashes equal: in place', '111', '111', { featureGates: gate }, 'in-place'],
    ['gate on, hashes differ, InPlaceOnly ignores it', '111', '222', { featureGates: gate, ignoreVolumeClaimTemplatesHashDiff: true }, 'in-place'],
    ['gate on, old revision predates the annotation: in place', undefined, '222', { featureGates: gate }, 'in-place'],
    ['gate off (default), hashes differ: in place', '111', '222', {}, 'in-place'],
  ])('%s', (_story, before, after, options, kind) => {
    const verdict = classifyInPlaceUpdate(revisionOf(template(), before), revisionOf(next, after), options);
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'recreate') expect(verdict).toMatchObject({ reason: 'volume-claim-templates-changed', paths: ['/metadata/annotations/kruise.io~1cloneset-volumeclaimtemplate-hash'] });
  });
});

describe('classifyInPlaceUpdate: property', () => {
  type Mutation = (containers: Container[], meta: { labels: Record<string, string>; annotations: Record<string, string> }) => void;
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.tuple(fc.nat(1), fc.constantFrom('nginx:1', 'nginx:2', 'envoy:2')).map(([i, image]): Mutation => (c) => (c[i]!.image = image)),
    fc.constantFrom('a', 'b').map((value): Mutation => (c) => (c[0]!.env![0]!.value = value)),
    fc.tuple(fc.constantFrom('app', 'version', 'tier'), fc.constantFrom('web', 'v2')).map(([key, value]): Mutation => (_c, m) => (m.labels[key] = value)),
    fc.constantFrom('owner', 'note').map((key): Mutation => (_c, m) => void Reflect.deleteProperty(m.annotations, key)),
    fc.constant<Mutation>((c) => c.push({ name: 'extra', image: 'busybox' })),
    fc.constantFrom('1', '2').map((cpu): Mutation => (c) => (c[1]!.resources!.limits!.cpu = cpu)),
    fc.constant<Mutation>((c) => (c[0]!.command = ['sh'])),
  );

  it('is in-place iff every template path it changes is metadata or an image replace', () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const next = template((c, m) => {
          for (const mutate of mutations) mutate(c, m);
        });
        const allowed = diffJson(template(), next).every(
          (op) => op.path === '/metadata' || op.path.startsWith('/metadata/') || (op.op === 'replace' && /^\/spec\/containers\/\d+\/image$/.test(op.path)),
        );
        expect(classify(next).kind).toBe(allowed ? 'in-place' : 'recreate');
      }),
    );
  });
});
