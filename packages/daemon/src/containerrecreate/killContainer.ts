import type { CrrContainer, CrrProbeHandler } from '@kruise-ts/core';
import type { ContainerRuntime } from '../cri/containerRuntime.js';

/**
 * What {@link killContainer} did: stopped (with the preStop hook's failure, if it failed: the
 * container is stopped anyway, as the kubelet does), or why the stop itself failed.
 */
export type KillOutcome = { readonly kind: 'stopped'; readonly preStopMs: number; readonly preStopFailure?: string } | { readonly kind: 'failed'; readonly message: string };

/** The container to kill: its runtime id, its sandbox (for the pod IP of an HTTP preStop) and its ports (named ports). */
export interface KillTarget {
  readonly id: string;
  readonly podSandboxId: string;
  readonly ports?: CrrContainer['ports'] | undefined;
}

type HttpGet = NonNullable<CrrProbeHandler['httpGet']>;

async function runHttpPreStop(runtime: ContainerRuntime, target: KillTarget, httpGet: HttpGet, timeoutSeconds: number, signal: AbortSignal | undefined): Promise<string | undefined> {
  const port = typeof httpGet.port === 'number' ? httpGet.port : /^\d+$/.test(httpGet.port) ? Number(httpGet.port) : target.ports?.find((p) => p.name === httpGet.port)?.containerPort;
  if (port === undefined) return `preStop hook failed: no port named ${String(httpGet.port)} in the container`;
  const host = httpGet.host !== undefined && httpGet.host !== '' ? httpGet.host : await runtime.podSandboxIp(target.podSandboxId, { signal });
  const scheme = (httpGet.scheme ?? 'HTTP').toLowerCase();
  const path = httpGet.path === undefined || httpGet.path === '' ? '/' : httpGet.path.startsWith('/') ? httpGet.path : `/${httpGet.path}`;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${String(port)}${path}`;
  const timeout = AbortSignal.timeout(Math.max(1, timeoutSeconds) * 1000);
  try {
    const response = await fetch(url, { headers: Object.fromEntries((httpGet.httpHeaders ?? []).map((h) => [h.name, h.value])), signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
    await response.arrayBuffer();
    // A request error or a status of 400 or more counts as a failed hook (kruise-ts' reading).
    return response.status >= 400 ? `preStop hook failed: GET ${url}: HTTP ${String(response.status)}` : undefined;
  } catch (error) {
    return `preStop hook failed: GET ${url}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Stops container `target.id` as the kubelet kills one: its preStop first (exec through CRI
 * `ExecSync`, or an HTTP GET to the pod IP from the sandbox, named ports resolved with the
 * container's ports; bounded by the grace period), then `StopContainer` with the grace period left
 * (at least 2 s, as the kubelet's `minimumGracePeriodInSeconds`). A TCP preStop is not run (the
 * kubelet does not run those either).
 *
 * A preStop that fails (non-zero exit, exec error, HTTP error) does not stop the kill, as in
 * OpenKruise's runtime (the kubelet's `executePreStopHook`): the failure comes back as
 * `preStopFailure` for a FailedPreStopHook event and the container is stopped anyway. Only a failed
 * `StopContainer` is a failed kill (`kill container error: ...`).
 *
 * @example preStop `["sh","-c","exit 3"]`, grace 30 s → { kind: 'stopped', preStopMs: 0, preStopFailure: 'preStop hook failed: command [sh -c exit 3] exited with 3: ' }, then StopContainer(id, 30)
 */
export async function killContainer(runtime: ContainerRuntime, target: KillTarget, gracePeriodSeconds: number, preStop: CrrProbeHandler | undefined, options: { readonly now: () => number; readonly signal?: AbortSignal | undefined }): Promise<KillOutcome> {
  const started = options.now();
  const command = preStop?.exec?.command;
  let preStopFailure: string | undefined;
  if (command !== undefined && command.length > 0) {
    try {
      const result = await runtime.execSync(target.id, command, gracePeriodSeconds, { signal: options.signal });
      if (result.exitCode !== 0) preStopFailure = `preStop hook failed: command [${command.join(' ')}] exited with ${String(result.exitCode)}: ${(result.stderr || result.stdout).trim()}`;
    } catch (error) {
      preStopFailure = `preStop hook failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else if (preStop?.httpGet !== undefined) {
    preStopFailure = await runHttpPreStop(runtime, target, preStop.httpGet, gracePeriodSeconds, options.signal);
  }
  const preStopMs = options.now() - started;
  const left = Math.max(2, gracePeriodSeconds - Math.floor(preStopMs / 1000));
  try {
    await runtime.stopContainer(target.id, left, { signal: options.signal });
    return preStopFailure === undefined ? { kind: 'stopped', preStopMs } : { kind: 'stopped', preStopMs, preStopFailure };
  } catch (error) {
    return { kind: 'failed', message: `kill container error: ${error instanceof Error ? error.message : String(error)}` };
  }
}
