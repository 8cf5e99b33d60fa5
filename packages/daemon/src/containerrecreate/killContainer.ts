import type { CrrProbeHandler } from '@kruise-ts/core';
import type { ContainerRuntime } from '../cri/containerRuntime.js';

/** What {@link killContainer} did: stopped, or why it could not. */
export type KillOutcome = { readonly kind: 'stopped'; readonly preStopMs: number } | { readonly kind: 'failed'; readonly message: string };

/**
 * Stops container `id` as the kubelet kills one: its exec preStop first (CRI `ExecSync`, bounded by
 * the grace period), then `StopContainer` with the grace period left (at least 2 s, as the
 * kubelet's `minimumGracePeriodInSeconds`). An HTTP or TCP preStop is not run (the daemon does not
 * know the pod's IP).
 *
 * Deviation from OpenKruise, asked by issue 16: a preStop that fails (non-zero exit or an exec
 * error) fails the kill (`preStop hook failed: ...`) and the container is left running, where
 * OpenKruise's runtime only records a FailedPreStopHook event and stops the container anyway.
 *
 * @example preStop `["sh","-c","exit 3"]` → { kind: 'failed', message: 'preStop hook failed: command [sh -c exit 3] exited with 3: ' }
 */
export async function killContainer(runtime: ContainerRuntime, id: string, gracePeriodSeconds: number, preStop: CrrProbeHandler | undefined, options: { readonly now: () => number; readonly signal?: AbortSignal | undefined }): Promise<KillOutcome> {
  const started = options.now();
  const command = preStop?.exec?.command;
  if (command !== undefined && command.length > 0) {
    try {
      const result = await runtime.execSync(id, command, gracePeriodSeconds, { signal: options.signal });
      if (result.exitCode !== 0) return { kind: 'failed', message: `preStop hook failed: command [${command.join(' ')}] exited with ${String(result.exitCode)}: ${(result.stderr || result.stdout).trim()}` };
    } catch (error) {
      return { kind: 'failed', message: `preStop hook failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const preStopMs = options.now() - started;
  const left = Math.max(2, gracePeriodSeconds - Math.floor(preStopMs / 1000));
  try {
    await runtime.stopContainer(id, left, { signal: options.signal });
    return { kind: 'stopped', preStopMs };
  } catch (error) {
    return { kind: 'failed', message: `kill container error: ${error instanceof Error ? error.message : String(error)}` };
  }
}
