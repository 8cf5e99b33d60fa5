import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/pod.js';
import { containerLaunchPriority } from '../inplace/selectContainerBatch.js';
import { aPod } from '../testing/index.js';
import { planLaunchPriorityInjection } from './planLaunchPriorityInjection.js';

const c = (name: string, priority?: string): Container => ({ name, image: 'busybox', ...(priority !== undefined && { env: [{ name: 'KRUISE_CONTAINER_PRIORITY', value: priority }] }) });
const pod = (containers: readonly Container[], annotations: Record<string, string> = {}): Pod => aPod({ name: 'web-0', containers, annotations });
const never = (): string => {
  throw new Error('no suffix expected');
};
const barrierOf = (container: Container | undefined) => container?.env?.find((e) => e.name === 'KRUISE_CONTAINER_BARRIER')?.valueFrom?.configMapKeyRef;

describe('planLaunchPriorityInjection', () => {
  it.each([
    { story: 'one container, even Ordered', containers: [c('a')], annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' }, want: { kind: 'skip', reason: 'single-container' } },
    { story: 'no priority env', containers: [c('a'), c('b')], annotations: {}, want: { kind: 'skip', reason: 'no-priority' } },
    { story: 'every priority 0', containers: [c('a', '0'), c('b', '0')], annotations: {}, want: { kind: 'skip', reason: 'no-priority' } },
    { story: 'all equal (2, 2)', containers: [c('a', '2'), c('b', '2')], annotations: {}, want: { kind: 'skip', reason: 'equal-priorities' } },
    { story: 'an annotation other than Ordered', containers: [c('a'), c('b')], annotations: { 'apps.kruise.io/container-launch-priority': 'ordered' }, want: { kind: 'skip', reason: 'no-priority' } },
    { story: 'a priority that is not an integer', containers: [c('a', '1'), c('b', 'high')], annotations: {}, want: { kind: 'invalid', field: 'spec.containers[1].env[0].value', message: 'KRUISE_CONTAINER_PRIORITY must be an integer, got "high"' } },
    { story: 'a decimal priority', containers: [c('a', '1.5'), c('b')], annotations: {}, want: { kind: 'invalid', field: 'spec.containers[0].env[0].value', message: 'KRUISE_CONTAINER_PRIORITY must be an integer, got "1.5"' } },
  ])('$story → $want.kind', ({ containers, annotations, want }) => {
    expect(planLaunchPriorityInjection(pod(containers, annotations), never)).toEqual(want);
  });

  it.each([
    { story: 'Ordered: 0, -1, -2 in spec order (the env is not read)', containers: [c('a', '5'), c('b'), c('c')], annotations: { 'apps.kruise.io/container-launch-priority': 'Ordered' }, source: 'ordered', priorities: [0, -1, -2] },
    { story: 'env: 1 and unset (0)', containers: [c('a'), c('b', '1')], annotations: {}, source: 'env', priorities: [0, 1] },
    { story: 'env: Go integers "+3", "-007"', containers: [c('a', '+3'), c('b', '-007')], annotations: {}, source: 'env', priorities: [3, -7] },
  ])('$story', ({ containers, annotations, source, priorities }) => {
    const result = planLaunchPriorityInjection(pod(containers, annotations), never);
    expect(result).toMatchObject({ kind: 'inject', source, priorities });
    if (result.kind !== 'inject') return;
    expect(result.pod.spec.containers.map((x) => barrierOf(x))).toEqual(priorities.map((p) => ({ name: 'web-0-barrier', key: `p_${String(p)}` })));
    // The user's env stays, the barrier is appended last.
    expect(result.pod.spec.containers.map((x) => x.env?.at(-1)?.name)).toEqual(priorities.map(() => 'KRUISE_CONTAINER_BARRIER'));
    expect(result.pod.spec.containers[0]?.env?.length).toBe((containers[0]?.env?.length ?? 0) + 1);
  });

  it('a pod with only generateName is named first, and the barrier follows that name', () => {
    const base = pod([c('a', '1'), c('b')]);
    const unnamed: Pod = { ...base, metadata: { ...base.metadata, name: undefined, generateName: 'web-' } };
    const result = planLaunchPriorityInjection(unnamed, () => 'x7k2p');
    expect(result.kind === 'inject' && result.pod.metadata.name).toBe('web-x7k2p');
    expect(result.kind === 'inject' && barrierOf(result.pod.spec.containers[1])).toEqual({ name: 'web-x7k2p-barrier', key: 'p_0' });
  });

  it('never changes the pod it is given', () => {
    const given = pod([c('a', '1'), c('b')]);
    const copy = structuredClone(given);
    planLaunchPriorityInjection(given, never);
    expect(given).toEqual(copy);
  });

  it('property: the in-place engine reads back exactly the injected priority of each container', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), { minLength: 2, maxLength: 6 }), fc.boolean(), (raw, ordered) => {
        const containers = raw.map((p, i) => c(`c${String(i)}`, p === undefined ? undefined : String(p)));
        const result = planLaunchPriorityInjection(pod(containers, ordered ? { 'apps.kruise.io/container-launch-priority': 'Ordered' } : {}), never);
        const values = raw.map((p) => p ?? 0);
        if (!ordered && values.every((v) => v === values[0])) {
          expect(result.kind).toBe('skip');
          return;
        }
        expect(result.kind).toBe('inject');
        if (result.kind !== 'inject') return;
        const expected = ordered ? raw.map((_, i) => 0 - i) : values;
        expect(result.pod.spec.containers.map((x) => containerLaunchPriority(x))).toEqual(expected);
      }),
    );
  });
});
