import { describe, expect, it } from 'vitest';
import { FEATURE_GATE_DEFAULTS, parseFeatureGates } from './featureGates.js';

describe('parseFeatureGates', () => {
  it('an empty value gives OpenKruise defaults', () => {
    expect(parseFeatureGates('')).toEqual({ kind: 'ok', gates: FEATURE_GATE_DEFAULTS });
  });

  it.each([
    ['InPlaceWorkloadVerticalScaling=true', { InPlaceWorkloadVerticalScaling: true }],
    ['PodWebhook=false', { PodWebhook: false, WorkloadSpread: false, PodUnavailableBudgetDeleteGate: false }],
    ['KruiseDaemon=false', { KruiseDaemon: false, InPlaceUpdateEnvFromMetadata: false, DaemonWatchingPod: false }],
    ['PreDownloadImageForInPlaceUpdate=true', { ImagePullJobGate: true }],
    [' CloneSetShortHash = true , CloneSetPartitionRollback=true', { CloneSetShortHash: true, CloneSetPartitionRollback: true }],
  ])('%s', (value, expected) => {
    const parsed = parseFeatureGates(value);
    expect(parsed.kind === 'ok' && parsed.gates).toMatchObject(expected);
  });

  it('names unknown gates and bad values', () => {
    expect(parseFeatureGates('NoSuchGate=true,CloneSetShortHash=yes')).toEqual({
      kind: 'invalid',
      problems: ['--feature-gates: unknown feature gate "NoSuchGate"', '--feature-gates: CloneSetShortHash must be true or false, got "yes"'],
    });
  });
});
