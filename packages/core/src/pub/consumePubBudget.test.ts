import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodUnavailableBudget, PubOperation } from '../api/podUnavailableBudget.js';
import { aPodUnavailableBudget } from '../testing/index.js';
import { consumePubBudget, MAX_PUB_RECORDED_PODS } from './consumePubBudget.js';

const NOW = '2025-01-01T00:00:10Z';

describe('consumePubBudget', () => {
  it('takes one unit and records a deleted pod as disrupted', () => {
    const result = consumePubBudget(aPodUnavailableBudget({ status: { unavailableAllowed: 2, desiredAvailable: 3 } }), 'web-0', 'DELETE', NOW);
    expect(result).toEqual({ kind: 'consumed', status: { unavailableAllowed: 1, desiredAvailable: 3, disruptedPods: { 'web-0': NOW }, unavailablePods: {} } });
  });

  it('records an updated pod as unavailable', () => {
    const result = consumePubBudget(aPodUnavailableBudget({ status: { unavailableAllowed: 1 } }), 'web-1', 'UPDATE', NOW);
    expect(result.kind === 'consumed' && result.status.unavailablePods).toEqual({ 'web-1': NOW });
  });

  it("refuses with OpenKruise's message when nothing is left", () => {
    expect(consumePubBudget(aPodUnavailableBudget({ status: { unavailableAllowed: 0 } }), 'web-0', 'EVICT', NOW)).toEqual({
      kind: 'refused',
      reason: 'no-budget',
      message: 'podunavailablebudget.policy.kruise.io "web-pub" is forbidden: pub unavailable allowed is negative',
    });
  });

  it('refuses when more than 2000 pods are recorded', () => {
    const disruptedPods = Object.fromEntries(Array.from({ length: MAX_PUB_RECORDED_PODS + 1 }, (_, i) => [`p-${i}`, NOW]));
    const result = consumePubBudget(aPodUnavailableBudget({ status: { unavailableAllowed: 5, disruptedPods } }), 'web-0', 'DELETE', NOW);
    expect(result.kind === 'refused' && result.reason).toBe('too-many-recorded');
  });

  // Concurrent webhooks each read a version of the status, decide, and write it back with that
  // resourceVersion: a write based on a stale version is a conflict (409) and is retried on the
  // fresh one. Whatever the interleaving, no more operations are admitted than the budget allowed.
  it('property: concurrent admissions with optimistic status writes never exceed the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.array(fc.nat(9), { minLength: 1, maxLength: 40 }), fc.array(fc.constantFrom<PubOperation>('DELETE', 'EVICT', 'UPDATE'), { minLength: 10, maxLength: 10 }), (allowed, schedule, ops) => {
        let stored: { pub: PodUnavailableBudget; version: number } = { pub: aPodUnavailableBudget({ status: { unavailableAllowed: allowed, desiredAvailable: 3 } }), version: 0 };
        // Ten requesters (one per pod), each holding the version it last read.
        const read = Array.from({ length: 10 }, () => stored);
        const outcome: ('pending' | 'admitted' | 'refused')[] = Array.from({ length: 10 }, () => 'pending');
        for (const who of [...schedule, ...Array.from({ length: 10 * 10 }, (_, i) => i % 10)]) {
          if (outcome[who] !== 'pending') continue;
          const seen = read[who] as typeof stored;
          const result = consumePubBudget(seen.pub, `pod-${who}`, ops[who] as PubOperation, '2025-01-01T00:00:00Z');
          if (result.kind === 'refused') {
            outcome[who] = 'refused';
          } else if (seen.version === stored.version) {
            stored = { pub: { ...seen.pub, status: result.status }, version: stored.version + 1 };
            outcome[who] = 'admitted';
          } else {
            read[who] = stored; // 409: read again and retry
          }
        }
        const admitted = outcome.filter((o) => o === 'admitted').length;
        expect(admitted).toBe(Math.min(allowed, 10));
        expect(stored.pub.status?.unavailableAllowed).toBe(allowed - admitted);
      }),
    );
  });
});
