import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BroadcastJobStatus } from '../api/broadcastJob.js';
import type { Pod } from '../api/pod.js';
import { aBroadcastJob } from '../testing/broadcastJobBuilder.js';
import { aNode } from '../testing/nodeBuilder.js';
import { podTargetNode } from '../shared/nodePinning.js';
import { isPodActive } from '../shared/podState.js';
import { podIn, step, T0 } from './broadcastjob.testkit.js';
import { planBroadcastJobPass } from './planBroadcastJobPass.js';

const pick = (status: BroadcastJobStatus) => ({ conditions: status.conditions, phase: status.phase, completionTime: status.completionTime });

const nodeArb = fc.array(
  fc.record({ tainted: fc.boolean(), cordoned: fc.boolean() }).map(({ tainted, cordoned }) => ({ tainted: tainted && !cordoned, cordoned })),
  { minLength: 0, maxLength: 8 },
);
// What the kubelet does to each running pod between passes.
const outcomeArb = fc.array(fc.constantFrom('keep', 'succeed', 'fail'), { minLength: 8, maxLength: 8 });

describe('planBroadcastJobPass properties', () => {
  it('never more than parallelism active, at most one pod per eligible node, and a finished job stays finished', () => {
    fc.assert(
      fc.property(
        nodeArb,
        fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('25%', '50%', '100%')),
        fc.constantFrom<'Continue' | 'FailFast' | 'Pause'>('Continue', 'FailFast', 'Pause'),
        fc.constantFrom<'Always' | 'Never'>('Always', 'Never'),
        fc.array(outcomeArb, { minLength: 1, maxLength: 8 }),
        (specs, parallelism, failure, completion, rounds) => {
          const nodes = specs.map((s, i) => aNode({ name: `node-${String(i)}`, ...(s.tainted ? { taints: [{ key: 'x', effect: 'NoSchedule' }] } : {}), ...(s.cordoned ? { unschedulable: true } : {}) }));
          const eligible = specs.filter((s) => !s.tainted && !s.cordoned).length;
          const limit = typeof parallelism === 'number' ? parallelism : Math.ceil((Number(parallelism.slice(0, -1)) * eligible) / 100);
          let job = aBroadcastJob({ parallelism, failurePolicy: { type: failure }, completionPolicy: { type: completion } });
          let pods: Pod[] = [];
          let now = T0;
          let finishedStatus: BroadcastJobStatus | undefined;
          for (const outcomes of rounds) {
            const next = step(job, pods, nodes, now);
            const active = next.pods.filter(isPodActive);
            if (next.plan.step.kind === 'run') expect(active.length).toBeLessThanOrEqual(Math.max(limit, pods.filter(isPodActive).length));
            const perNode = new Map<string, number>();
            for (const pod of next.pods) {
              const target = podTargetNode(pod);
              const node = target.kind === 'node' ? target.node : '';
              perNode.set(node, (perNode.get(node) ?? 0) + 1);
            }
            expect([...perNode.values()].every((n) => n === 1)).toBe(true);
            expect([...perNode.keys()].every((n) => specs[Number(n.slice(5))] !== undefined && !specs[Number(n.slice(5))]!.tainted && !specs[Number(n.slice(5))]!.cordoned)).toBe(true);
            if (finishedStatus !== undefined) {
              // Complete or Failed once: the conditions, the phase and the completion time stay, no pod is created.
              expect(pick(next.plan.status)).toEqual(pick(finishedStatus));
              expect(next.plan.effects.flat().filter((e) => e.kind === 'create-pod')).toEqual([]);
            }
            job = next.job;
            if (finishedStatus === undefined && (job.status?.conditions ?? []).length > 0) finishedStatus = job.status;
            pods = next.pods.map((p, i) => (p.status?.phase !== 'Running' ? p : outcomes[i % outcomes.length] === 'succeed' ? podIn(p, 'Succeeded') : outcomes[i % outcomes.length] === 'fail' ? podIn(p, 'Failed') : p));
            now += 1000;
          }
          // Under completionPolicy Never only FailFast ends a job.
          if (completion === 'Never') expect((job.status?.conditions ?? []).every((c) => c.type === 'Failed')).toBe(true);
          const final = planBroadcastJobPass({ job, pods, nodes, now, podNameSuffixes: [] });
          expect(final.status.desired ?? 0).toBeLessThanOrEqual(eligible);
        },
      ),
      { numRuns: 200 },
    );
  });
});
