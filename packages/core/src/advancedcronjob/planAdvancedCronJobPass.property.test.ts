import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdvancedCronJob, ConcurrencyPolicy, TemplateKind } from '../api/advancedCronJob.js';
import { isTimeZone } from '../cron/isTimeZone.js';
import { parseCronSchedule } from '../cron/parseCronSchedule.js';
import { formatTime } from '../shared/podState.js';
import { anAdvancedCronJob } from '../testing/advancedCronJobBuilder.js';
import { utcCronScheduler } from '../testing/utcCronScheduler.js';
import type { WorkloadEffect } from '../workload/workloadEffect.js';
import { cronJobChildState, scheduledTimeOf, type CronJobChild } from './cronJobChildren.js';
import { planAdvancedCronJobPass } from './planAdvancedCronJobPass.js';

const START = Date.parse('2025-01-01T00:00:00Z');

/** Applies a pass's effects (all succeeding) to the children; new jobs start at `now`. */
function apply(children: readonly CronJobChild[], effects: readonly WorkloadEffect[], now: number): CronJobChild[] {
  let next = [...children];
  for (const effect of effects) {
    if (effect.kind === 'delete-owned') next = next.filter((c) => c.metadata.uid !== effect.target.uid);
    if (effect.kind === 'create-owned') {
      const name = effect.object.metadata.name ?? '';
      if (!next.some((c) => c.metadata.name === name)) next.push({ ...effect.object, metadata: { ...effect.object.metadata, uid: `uid-${name}` }, status: { startTime: formatTime(now) } });
    }
  }
  return next;
}

/** Finishes a child as its kind's controller does: a condition (Job, BroadcastJob), or a completion time and counts (ImageListPullJob, 2 images). */
const finish = (child: CronJobChild, type: 'Complete' | 'Failed', kind: TemplateKind, now: number): CronJobChild =>
  kind === 'ImageListPullJob'
    ? { ...child, status: { ...child.status, completionTime: formatTime(now), desired: 2, succeeded: type === 'Complete' ? 2 : 1 } }
    : { ...child, status: { ...child.status, conditions: [{ type, status: 'True' }] } };

const scenario = fc.record({
  schedule: fc.constantFrom('* * * * *', '*/5 * * * *', '0,7,30 * * * *', '*/2 9-17 * * 1-5', '@hourly'),
  policy: fc.constantFrom<ConcurrencyPolicy>('Allow', 'Forbid', 'Replace'),
  templateKind: fc.constantFrom<TemplateKind>('Job', 'BroadcastJob', 'ImageListPullJob'),
  successful: fc.integer({ min: 0, max: 3 }),
  failed: fc.integer({ min: 0, max: 3 }),
  deadline: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
  // Each step: how long until the next pass, and what happens to each running job meanwhile.
  steps: fc.array(fc.record({ advanceS: fc.integer({ min: 1, max: 900 }), outcome: fc.constantFrom('keep' as const, 'Complete' as const, 'Failed' as const) }), { minLength: 1, maxLength: 40 }),
});

describe('planAdvancedCronJobPass over a simulated timeline', () => {
  it('runs only activations, each once, in order, never in the future; Forbid/Replace keep one job running; history within limits (Job, BroadcastJob and ImageListPullJob templates)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let acj: AdvancedCronJob = anAdvancedCronJob({
          schedule: s.schedule,
          concurrencyPolicy: s.policy,
          successfulJobsHistoryLimit: s.successful,
          failedJobsHistoryLimit: s.failed,
          startingDeadlineSeconds: s.deadline,
          creationTimestamp: formatTime(START),
          templateKind: s.templateKind,
        });
        const state = (c: CronJobChild) => cronJobChildState(c, s.templateKind);
        const parsed = parseCronSchedule(s.schedule, isTimeZone);
        if (parsed.kind !== 'valid') throw new Error('schedule');
        const next = utcCronScheduler(parsed.spec, 'UTC');
        let children: CronJobChild[] = [];
        let now = START;
        const started: number[] = [];
        for (const step of s.steps) {
          now += step.advanceS * 1000;
          children = children.map((c) => (state(c) === 'active' && step.outcome !== 'keep' ? finish(c, step.outcome, s.templateKind, now) : c));
          const plan = planAdvancedCronJobPass({ acj, children, now, scheduler: utcCronScheduler });
          const effects = [...plan.effects.flat(), ...plan.cleanups];
          for (const effect of plan.effects.flat()) {
            if (effect.kind !== 'create-owned') continue;
            expect(effect.object.kind).toBe(s.templateKind);
            const at = scheduledTimeOf({ metadata: effect.object.metadata }) ?? Number.NaN;
            // An activation of the schedule, not in the future, later than every earlier run.
            expect(at).toBeLessThanOrEqual(now);
            expect(next(at - 1000)).toBe(at);
            expect(started.every((t) => t < at)).toBe(true);
            started.push(at);
          }
          children = apply(children, effects, now);
          acj = { ...acj, status: plan.status };
          const active = children.filter((c) => state(c) === 'active').length;
          if (s.policy !== 'Allow') expect(active).toBeLessThanOrEqual(1);
          expect(plan.status.type).toBe(s.templateKind);
          expect(children.filter((c) => state(c) === 'succeeded').length).toBeLessThanOrEqual(s.successful);
          expect(children.filter((c) => state(c) === 'failed').length).toBeLessThanOrEqual(s.failed);
          if (plan.requeueAfterMs !== undefined) expect(plan.requeueAfterMs).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
