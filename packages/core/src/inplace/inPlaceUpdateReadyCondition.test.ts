import { describe, expect, it } from 'vitest';
import type { Pod, PodCondition } from '../api/pod.js';
import { T0 } from '../testing/index.js';
import { planFinishInPlaceUpdateCondition, planStartInPlaceUpdateCondition, type ConditionPlan } from './inPlaceUpdateReadyCondition.js';
import type { InPlaceUpdateSpec } from './inPlaceUpdateSpec.js';
import { podWith, updateSpec } from './inplace.testkit.js';

const at0 = '2025-01-01T00:00:00Z';
const images = updateSpec({ containerImages: { main: 'nginx:2' } });
const cpuOnly = updateSpec({ containerResources: { main: { limits: { cpu: '2' } } } });

/** A ready pod with the InPlaceUpdateReady gate (condition True), ContainersReady True. */
function gated(resizePolicy?: string): Pod {
  const pod = podWith([{ name: 'main', image: 'nginx:1', ...(resizePolicy ? { resizePolicy: [{ resourceName: 'cpu', restartPolicy: resizePolicy }] } : {}) }], {}, true);
  const conditions: PodCondition[] = [...(pod.status?.conditions ?? []), { type: 'ContainersReady', status: 'True' }];
  return { ...pod, status: { ...pod.status, conditions } };
}

describe('planStartInPlaceUpdateCondition', () => {
  it('sets InPlaceUpdateReady=False (StartInPlaceUpdate) and turns Ready off through the gate', () => {
    const plan = planStartInPlaceUpdateCondition(gated(), images, T0);
    expect(plan.kind).toBe('update-status');
    const conditions = plan.kind === 'update-status' ? plan.conditions : [];
    expect(conditions.find((c) => c.type === 'InPlaceUpdateReady')).toEqual({ type: 'InPlaceUpdateReady', status: 'False', reason: 'StartInPlaceUpdate', lastTransitionTime: at0 });
    expect(conditions.find((c) => c.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'the status of pod readiness gate "InPlaceUpdateReady" is not "True", but False',
      lastTransitionTime: at0,
    });
  });

  it.each<[string, Pod, InPlaceUpdateSpec, ConditionPlan['kind'], string?]>([
    ['no readiness gate: nothing to set', podWith([{ name: 'main', image: 'nginx:1' }]), images, 'skip', 'no-readiness-gate'],
    ['a cpu resize alone keeps the pod ready', gated(), cpuOnly, 'skip', 'resize-without-restart'],
    ['a cpu resize with resizePolicy NotRequired keeps the pod ready', gated('NotRequired'), cpuOnly, 'skip', 'resize-without-restart'],
    ['a cpu resize that restarts the container makes it unready', gated('RestartContainer'), cpuOnly, 'update-status'],
    ['env-from-metadata restarts the container', gated(), updateSpec({ containerRefMetadata: { main: { labels: { v: '2' } } } }), 'update-status'],
  ])('%s', (_story, pod, spec, kind, reason) => {
    const plan = planStartInPlaceUpdateCondition(pod, spec, T0);
    expect(plan.kind).toBe(kind);
    if (reason !== undefined) expect(plan).toEqual({ kind: 'skip', reason });
  });

  it('does nothing when the condition is already False', () => {
    const pod = podWith([{ name: 'main', image: 'nginx:1' }], {}, false);
    expect(planStartInPlaceUpdateCondition(pod, images, T0)).toEqual({ kind: 'skip', reason: 'condition-unchanged' });
  });
});

describe('planFinishInPlaceUpdateCondition', () => {
  it.each<[string, Pod, ConditionPlan]>([
    ['the condition was False: set it True', podWith([{ name: 'main', image: 'nginx:1' }], {}, false), {
      kind: 'update-status',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at0 }, { type: 'InPlaceUpdateReady', status: 'True', lastTransitionTime: at0 }],
    }],
    ['already True', gated(), { kind: 'skip', reason: 'condition-unchanged' }],
    ['no readiness gate', podWith([{ name: 'main', image: 'nginx:1' }]), { kind: 'skip', reason: 'no-readiness-gate' }],
  ])('%s', (_story, pod, expected) => {
    expect(planFinishInPlaceUpdateCondition(pod, T0)).toEqual(expected);
  });
});
