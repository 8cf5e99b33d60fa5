import type { Clock, KubeClient, ObjectKey, Patch, PatchOptions, WriteOptions } from '../ports.js';
import type { KubeObject, ResourceType } from '../resourceType.js';
import { SERVER_TIME_GRANULARITY_MS, estimateClockOffset, type ClockOffsetEstimate, type ServerTimeSample } from './estimateClockOffset.js';

/**
 * A clock that reads the apiserver's time as well as this process can tell: the local clock plus
 * the offset {@link estimateClockOffset} draws from the times the apiserver stamped on this
 * process's own writes. Its `sleep` is the local one (durations do not depend on the offset).
 */
export interface ServerClock extends Clock {
  /** The current estimate (kind, offset, bounds), e.g. for a log line or a metric. */
  estimate(): ClockOffsetEstimate;
  /** Takes one sample (what {@link ServerClock.track} does on every write's answer). */
  observe(sample: ServerTimeSample): void;
  /**
   * Returns `client` with its writes (create, replace, patch) timed by the local clock and the
   * times the apiserver stamped on their answers (`creationTimestamp`, `managedFields[].time`)
   * taken as samples: fresh for a create and for a replace that changed the resourceVersion (a
   * Lease renewal), a lower bound only for a patch. Reads, deletes and watches pass through.
   */
  track<C extends Partial<KubeClient>>(client: C): C;
}

/** Options of {@link createServerClock}. */
export interface ServerClockOptions {
  /** How many of the latest samples are kept (default 32). */
  readonly window?: number | undefined;
  /** Called when the estimate changes kind (`no-samples` → `in-sync` or `skewed`...), e.g. to log it. */
  readonly onChange?: ((estimate: ClockOffsetEstimate) => void) | undefined;
}

/**
 * Returns the latest time the apiserver stamped on `object` (its `creationTimestamp` or any of its
 * `managedFields` times), truncated to the second, or undefined when it carries none.
 *
 * @example { creationTimestamp: '2026-12-02T08:00:00Z', managedFields: [{ time: '2026-12-02T08:01:07Z' }] } → Date.UTC(2026, 11, 2, 8, 1, 7)
 */
export function latestServerStamp(object: unknown): number | undefined {
  const metadata = (object as { metadata?: { creationTimestamp?: unknown; managedFields?: unknown } | null } | null | undefined)?.metadata;
  if (metadata === undefined || metadata === null) return undefined;
  const times: unknown[] = [metadata.creationTimestamp, ...(Array.isArray(metadata.managedFields) ? metadata.managedFields.map((e: { time?: unknown } | null) => e?.time) : [])];
  let latest: number | undefined;
  for (const time of times) {
    if (typeof time !== 'string') continue;
    const ms = Date.parse(time);
    if (Number.isNaN(ms)) continue;
    const truncated = Math.floor(ms / SERVER_TIME_GRANULARITY_MS) * SERVER_TIME_GRANULARITY_MS;
    latest = latest === undefined ? truncated : Math.max(latest, truncated);
  }
  return latest;
}

/**
 * Returns a {@link ServerClock} over `local`. Controllers compare times the apiserver (or the
 * kubelet, on its host) stamped — a pod's Ready `lastTransitionTime` against minReadySeconds, a
 * rollout's progress deadline — with `now()`: on a host whose clock is off, `local.now()` would
 * count a pod available early (or late) by the whole skew; this clock is off by at most the
 * stamps' granularity, and never ahead of the apiserver once skew is seen.
 *
 * @example local clock 120 s ahead; the Lease renewed (sent 10_120_300, answered 10_120_320, its
 *   managedFields time 10_000_000) → now() at local 10_121_000 = 10_121_000 − 120_320 = 10_000_680
 *   (the apiserver's 10_001_000 minus what the truncation hides).
 */
export function createServerClock(local: Clock, options: ServerClockOptions = {}): ServerClock {
  const window = options.window ?? 32;
  const samples: ServerTimeSample[] = [];
  let current: ClockOffsetEstimate = estimateClockOffset(samples);
  const observe = (sample: ServerTimeSample): void => {
    samples.push(sample);
    if (samples.length > window) samples.splice(0, samples.length - window);
    const previous = current;
    current = estimateClockOffset(samples);
    if (current.kind !== previous.kind) options.onChange?.(current);
  };
  // `fresh(answer)`: whether the answer's latest stamp was made by this request (see ServerTimeSample).
  const timed = async <R>(send: () => Promise<R>, fresh: (answer: R) => boolean): Promise<R> => {
    const sentAtMs = local.now();
    const answer = await send();
    const serverTimeMs = latestServerStamp(answer);
    if (serverTimeMs !== undefined) observe({ serverTimeMs, sentAtMs, receivedAtMs: local.now(), fresh: fresh(answer) });
    return answer;
  };
  return {
    now: () => local.now() + current.offsetMs,
    sleep: (ms, signal) => local.sleep(ms, signal),
    estimate: () => current,
    observe,
    track<C extends Partial<KubeClient>>(client: C): C {
      const tracked: Partial<KubeClient> = { ...client };
      const create = client.create?.bind(client);
      const replace = client.replace?.bind(client);
      const patch = client.patch?.bind(client);
      if (create !== undefined) {
        tracked.create = async <T extends KubeObject>(type: ResourceType<T>, object: T, writeOptions?: WriteOptions): Promise<T> => timed(async () => create(type, object, writeOptions), () => true);
      }
      if (replace !== undefined) {
        tracked.replace = async <T extends KubeObject>(type: ResourceType<T>, object: T, writeOptions?: WriteOptions & { subresource?: string }): Promise<T> => timed(
            async () => replace(type, object, writeOptions),
            (answer) => answer.metadata.resourceVersion !== object.metadata.resourceVersion,
          );
      }
      if (patch !== undefined) {
        tracked.patch = async <T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, body: Patch, patchOptions?: PatchOptions): Promise<T> => timed(async () => patch(type, key, body, patchOptions), () => false);
      }
      return tracked as C;
    },
  };
}
