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

  // OpenKruise defaultCheckPodNeedsBeUnready: every in-place update makes a gated pod unready,
  // unless InPlaceWorkloadVerticalScaling is on and the update only resizes (VerticalUpdateOnly)
  // with no changed cpu/memory restarting its container.
  const gateOn = { InPlaceWorkloadVerticalScaling: true };
  const gateOff = { InPlaceWorkloadVerticalScaling: false };
  const labelOnly = updateSpec({ metadataPatch: { labels: { tier: 'fe' } } });
  const memoryRestart = (): Pod => {
    const pod = gated();
    return { ...pod, spec: { ...pod.spec, containers: [{ name: 'main', image: 'nginx:1', resizePolicy: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }] }] } };
  };
  it.each<{ story: string; pod: Pod; spec: InPlaceUpdateSpec; gates?: { InPlaceWorkloadVerticalScaling: boolean }; kind: ConditionPlan['kind'] }>([
    { story: 'a metadata-only update (label patch) makes the pod unready', pod: gated(), spec: labelOnly, kind: 'update-status' },
    { story: 'a metadata-only update with vertical scaling on makes the pod unready too', pod: gated(), spec: labelOnly, gates: gateOn, kind: 'update-status' },
    { story: 'vertical scaling off: even a cpu resize makes the pod unready', pod: gated(), spec: cpuOnly, gates: gateOff, kind: 'update-status' },
    { story: 'vertical scaling on: a cpu resize alone keeps the pod ready', pod: gated(), spec: cpuOnly, gates: gateOn, kind: 'skip' },
    { story: 'vertical scaling on: a cpu resize with a label patch still counts as resize only', pod: gated(), spec: updateSpec({ ...cpuOnly, metadataPatch: { labels: { tier: 'fe' } } }), gates: gateOn, kind: 'skip' },
    { story: 'vertical scaling on: memory RestartContainer does not matter for a cpu resize', pod: memoryRestart(), spec: cpuOnly, gates: gateOn, kind: 'skip' },
    { story: 'vertical scaling on: cpu RestartContainer makes the pod unready', pod: gated('RestartContainer'), spec: cpuOnly, gates: gateOn, kind: 'update-status' },
    { story: 'vertical scaling on: a resize with an image change is not resize only', pod: gated(), spec: updateSpec({ ...cpuOnly, containerImages: { main: 'nginx:2' } }), gates: gateOn, kind: 'update-status' },
    { story: 'gate unset: a spec with resources was made with the gate on, the pod stays ready', pod: gated(), spec: cpuOnly, kind: 'skip' },
  ])('$story', ({ pod, spec, gates, kind }) => {
    expect(planStartInPlaceUpdateCondition(pod, spec, T0, gates === undefined ? {} : { featureGates: gates }).kind).toBe(kind);
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
