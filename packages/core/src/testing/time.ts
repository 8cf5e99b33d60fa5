import { formatTime, type EpochMs } from '../shared/podState.js';

/** The fixed instant builders count from: 2025-01-01T00:00:00Z as epoch ms (1735689600000). */
export const T0: EpochMs = Date.parse('2025-01-01T00:00:00Z');

/**
 * Returns the epoch ms `seconds` after {@link T0} (negative for before).
 *
 * @example at(90) → T0 + 90000
 */
export function at(seconds: number): EpochMs {
  return T0 + seconds * 1000;
}

/**
 * Returns an epoch ms instant as the RFC 3339 string Kubernetes writes (second precision, `Z`).
 *
 * @example iso(T0) → '2025-01-01T00:00:00Z'
 */
export function iso(ms: EpochMs): string {
  return formatTime(ms);
}
