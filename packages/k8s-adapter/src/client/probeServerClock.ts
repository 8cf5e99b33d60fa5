import type { KubeClient } from '../ports.js';
import { Resources } from '../resourceType.js';

/** Options of {@link probeServerClock}. */
export interface ServerClockProbeOptions {
  /** The namespace the dry-run Event names (default `default`); the writer needs `create` on events there. */
  readonly namespace?: string | undefined;
  /** The Event's name prefix, naming the process (e.g. `kruise-ts-daemon`): `<component>-clock-`. */
  readonly component: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Gives a `ServerClock` one fresh sample of the apiserver's time: a dry-run create of an Event
 * (admitted, stamped with a `creationTimestamp`, never stored) through `client`, which must be the
 * clock's `track`ed client. Patches only bound the offset from below (a process whose clock is
 * ahead is not seen); a create bounds it from both sides. Resolves whether the probe was answered
 * (a refusal — RBAC, a missing namespace — is not thrown: the clock keeps what it had).
 *
 * @example local clock 120 s ahead, no write yet → after `await probeServerClock(serverClock.track(client), { component: 'kruise-ts-daemon' })`
 *   `serverClock.estimate()` is `{ kind: 'skewed', offsetMs: ≈ −120_000 }`.
 */
export async function probeServerClock(client: Pick<KubeClient, 'create'>, options: ServerClockProbeOptions): Promise<boolean> {
  const ns = options.namespace ?? 'default';
  const probe = {
    metadata: { generateName: `${options.component}-clock-`, namespace: ns },
    // The apiserver refuses (422) an Event whose involvedObject.namespace differs from its own.
    involvedObject: { apiVersion: 'v1', kind: 'Namespace', name: ns, namespace: ns },
    reason: 'ClockProbe',
    message: 'dry run',
    type: 'Normal',
  };
  try {
    await client.create(Resources.Event, probe, { dryRun: true, signal: options.signal });
    return true;
  } catch {
    return false;
  }
}
