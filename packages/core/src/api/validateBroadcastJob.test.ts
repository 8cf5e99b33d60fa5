import { describe, expect, it } from 'vitest';
import { aBroadcastJob } from '../testing/broadcastJobBuilder.js';
import { convertBroadcastJobToV1alpha1, convertBroadcastJobToV1beta1 } from './convertBroadcastJob.js';
import { parseBroadcastJob } from './parseBroadcastJob.js';
import { validateBroadcastJob } from './validateBroadcastJob.js';
import { withBroadcastJobDefaults } from './withBroadcastJobDefaults.js';

const paths = (job: Parameters<typeof validateBroadcastJob>[0]) => validateBroadcastJob(job).map((p) => p.path);

describe('validateBroadcastJob', () => {
  it('accepts the builder job, OnFailure, parallelism as an int or a percentage', () => {
    expect(validateBroadcastJob(aBroadcastJob())).toEqual([]);
    expect(validateBroadcastJob(aBroadcastJob({ restartPolicy: 'OnFailure', parallelism: '50%' }))).toEqual([]);
    expect(validateBroadcastJob(aBroadcastJob({ parallelism: 2, completionPolicy: { type: 'Always', activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 0 } }))).toEqual([]);
  });

  it.each([
    ['restartPolicy Always', aBroadcastJob({ restartPolicy: 'Always' }), ['spec.template.spec.restartPolicy']],
    ['Never completion with a TTL', aBroadcastJob({ completionPolicy: { type: 'Never', ttlSecondsAfterFinished: 60 } }), ['spec.completionPolicy.ttlSecondsAfterFinished']],
    ['Never completion with a deadline', aBroadcastJob({ completionPolicy: { type: 'Never', activeDeadlineSeconds: 60 } }), ['spec.completionPolicy.activeDeadlineSeconds']],
    ['a name with a dot', aBroadcastJob({ name: 'a.b' }), ['metadata.name']],
    ['a name of 64 characters', aBroadcastJob({ name: 'a'.repeat(64) }), ['metadata.name']],
    ['parallelism "5"', aBroadcastJob({ parallelism: '5' }), ['spec.parallelism']],
    ['parallelism -1', aBroadcastJob({ parallelism: -1 }), ['spec.parallelism']],
    ['no container', aBroadcastJob({ containers: [] }), ['spec.template.spec.containers']],
  ])('refuses %s', (_story, job, expected) => {
    expect(paths(job)).toEqual(expected);
  });

  it('refuses preset broadcastjob labels in the template', () => {
    const job = aBroadcastJob();
    const labelled = { ...job, spec: { ...job.spec, template: { ...job.spec.template, metadata: { labels: { 'broadcastjob-name': 'x' } } } } };
    expect(validateBroadcastJob(labelled)).toEqual([
      { path: 'spec.template.metadata.labels', message: 'Invalid value: "broadcastjob-name" and "broadcastjob-controller-uid" are not allowed to preset in pod labels' },
    ]);
  });
});

describe('withBroadcastJobDefaults', () => {
  it('fills parallelism 2^31-1, completion Always, failure FailFast, and restartPolicy OnFailure when unset', () => {
    const job = aBroadcastJob();
    const unset = { ...job, spec: { ...job.spec, template: { spec: { containers: job.spec.template.spec.containers } } } };
    const defaulted = withBroadcastJobDefaults(unset, { templateDefaults: true });
    expect(defaulted.spec).toMatchObject({ parallelism: 2147483647, completionPolicy: { type: 'Always' }, failurePolicy: { type: 'FailFast' } });
    expect(defaulted.spec.template.spec).toMatchObject({ restartPolicy: 'OnFailure', dnsPolicy: 'ClusterFirst' });
    expect(validateBroadcastJob(defaulted)).toEqual([]);
  });

  it('keeps what is set and is idempotent', () => {
    const job = aBroadcastJob({ parallelism: '25%', completionPolicy: { type: 'Never' }, failurePolicy: { type: 'Continue', restartLimit: 3 } });
    const once = withBroadcastJobDefaults(job, { templateDefaults: true });
    expect(once.spec).toMatchObject({ parallelism: '25%', completionPolicy: { type: 'Never' }, failurePolicy: { type: 'Continue', restartLimit: 3 } });
    expect(withBroadcastJobDefaults(once, { templateDefaults: true })).toEqual(once);
  });
});

describe('BroadcastJob versions', () => {
  it('round-trips v1beta1 → v1alpha1 → v1beta1, and parses a v1alpha1 object to v1beta1', () => {
    const job = aBroadcastJob({ parallelism: 2 });
    const down = convertBroadcastJobToV1alpha1(job);
    expect(down.apiVersion).toBe('apps.kruise.io/v1alpha1');
    expect(convertBroadcastJobToV1beta1(down)).toEqual(job);
    expect(parseBroadcastJob(down)).toEqual({ kind: 'valid', value: job });
  });

  it('names the field of a shape problem', () => {
    const parsed = parseBroadcastJob({ spec: { template: { spec: { containers: [] } }, failurePolicy: { type: 'Retry' } } });
    expect(parsed.kind === 'invalid' ? parsed.problems.map((p) => p.path) : []).toEqual(['spec.failurePolicy.type']);
  });
});
