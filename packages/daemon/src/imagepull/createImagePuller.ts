import type { ImageSpec, ImageTagSpec, ImageTagStatus, NodeImage, NodeImageStatus, ReferenceObject } from '@kruise-ts/core';
import type { Clock } from '@kruise-ts/k8s-adapter';
import type { ImageRuntime, PullAuth } from '../cri/imageRuntime.js';
import { lookupRegistryAuths, parseDockerKeyring, type PullSecret } from '../secrets/dockerKeyring.js';
import { parseImageRepository } from '../secrets/parseImageRepository.js';
import { decideImagePull } from './decideImagePull.js';
import { fetchRegistryDigest } from './fetchRegistryDigest.js';
import { computeNodeImageStatus } from './computeNodeImageStatus.js';
import { planPullAttempt, pullBackoffLimit, pullBackoffMs } from './planPullAttempt.js';
import { planPullSync, pullTaskKey, type PullTaskKey, type PullTaskView } from './planPullSync.js';
import { pullWithSecrets } from './pullWithSecrets.js';

/** OpenKruise's pull events: `PullImageSucceed` (Normal) and `PullImageFailed` (Warning). */
export interface PullEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: 'PullImageSucceed' | 'PullImageFailed';
  readonly message: string;
  /** The tag's owners (ImagePullJobs) the event is also recorded on. */
  readonly owners: ImageTagSpec['ownerReferences'];
}

/** Options of {@link createImagePuller}. */
export interface ImagePullerOptions {
  readonly runtime: ImageRuntime;
  /** Reads the pull Secrets an image names (`namespace/name`); a missing one rejects. */
  readonly readSecrets: (refs: readonly ReferenceObject[], signal: AbortSignal) => Promise<PullSecret[]>;
  /** The host's clock: pull deadlines, backoff and timeouts. */
  readonly clock: Clock;
  /** The apiserver's time, written as the tags' startTime and completionTime (default `clock`; see `DaemonLoopOptions.serverClock`). */
  readonly serverClock?: Pick<Clock, 'now'> | undefined;
  /** Pulls at once at most (default 5); `-1` = no bound (OpenKruise's `--max-workers-for-pull-image` default). */
  readonly maxWorkers?: number | undefined;
  /** Called whenever a tag status changed (phase, progress); the status writer coalesces calls. */
  readonly onChange?: (() => void) | undefined;
  readonly onEvent?: ((event: PullEvent) => void) | undefined;
  readonly log?: ((level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void) | undefined;
  /**
   * Asks the registry which manifest digest `name:tag` has now, for `imagePullPolicy: Always`
   * (default {@link fetchRegistryDigest}: HTTPS, plain HTTP for loopback and private addresses).
   */
  readonly registryDigest?: ((name: string, tag: string, auth: PullAuth | undefined, signal: AbortSignal) => Promise<string>) | undefined;
}

/** The pull workers of one node: fed NodeImages, read for status. */
export interface ImagePuller {
  /** Matches the tasks to `nodeImage` (see `planPullSync`): stops, adopts, queues. */
  sync(nodeImage: NodeImage): void;
  /** The status to report for the last synced spec. */
  status(): NodeImageStatus;
  /** Tasks by state, e.g. `{ queued: 250, running: 5, finished: 1 }`. */
  counts(): { queued: number; running: number; finished: number };
  /** Resolves once every running pull has ended after {@link ImagePuller.stop}. */
  stop(): Promise<void>;
}

interface Task {
  readonly key: PullTaskKey;
  readonly image: string;
  readonly imageSpec: ImageSpec | undefined;
  readonly tagSpec: ImageTagSpec | undefined;
  readonly version: number;
  state: PullTaskView['state'];
  status: ImageTagStatus;
  readonly abort: AbortController;
}

/**
 * Returns the node's pull workers: a task per (image, tag, version) of the NodeImage, queued
 * FIFO and pulled by at most `maxWorkers` workers at once (a large image list costs one small
 * record per tag, not a promise each). A task retries with backoff (`planPullAttempt`,
 * `pullBackoffMs`), each attempt bounded by its timeout and the active deadline; progress and
 * results go to the tag's status, and `onChange` tells the status writer.
 *
 * @example
 * ```ts
 * const puller = createImagePuller({ runtime, readSecrets, clock, maxWorkers: 2, onChange: () => writer.notify() });
 * puller.sync(nodeImage); // queues 3 tags; 2 pull, 1 waits ('Waiting')
 * ```
 */
export function createImagePuller(options: ImagePullerOptions): ImagePuller {
  const maxWorkers = options.maxWorkers ?? 5;
  const tasks = new Map<PullTaskKey, Task>();
  let queue: Task[] = [];
  let head = 0;
  let workers = 0;
  let spec: NodeImage['spec'];
  let stopped = false;
  const running = new Set<Promise<void>>();
  const changed = (): void => options.onChange?.();
  // completionTime + ttlSecondsAfterFinished is judged by the manager's NodeImage controller.
  const timestamp = (): string => new Date((options.serverClock ?? options.clock).now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const setStatus = (task: Task, status: ImageTagStatus): void => {
    if (task.abort.signal.aborted) return;
    task.status = status;
    changed();
  };

  const runTask = async (task: Task): Promise<void> => {
    task.state = 'running';
    const startedAt = options.clock.now();
    const start = timestamp();
    const name = task.image;
    const tag = task.status.tag;
    setStatus(task, { tag, phase: 'Pulling', progress: 0, startTime: start, version: task.version });
    const policy = task.tagSpec?.pullPolicy;
    const ref = tag.startsWith('sha256:') ? `${name}@${tag}` : `${name}:${tag}`;
    let lastError = '';
    for (let attempts = 0; ; attempts += 1) {
      const decision = planPullAttempt({ attemptsDone: attempts, policy, startedAt, now: options.clock.now(), lastError });
      if (decision.kind === 'fail') {
        setStatus(task, { ...task.status, phase: 'Failed', completionTime: timestamp(), message: decision.message });
        options.log?.('warn', { image: ref, reason: decision.reason }, decision.message);
        options.onEvent?.({ type: 'Warning', reason: 'PullImageFailed', message: `Image ${ref} ${decision.message}`, owners: task.tagSpec?.ownerReferences });
        return;
      }
      try {
        const imageId = await attempt(task, ref, decision.timeoutMs);
        setStatus(task, { ...task.status, phase: 'Succeeded', progress: 100, completionTime: timestamp(), imageID: `${name}@${imageId}`, message: '' });
        const seconds = Math.round((options.clock.now() - startedAt) / 1000);
        options.onEvent?.({ type: 'Normal', reason: 'PullImageSucceed', message: `Image ${ref}, ecalpsedTime ${String(seconds)}s`, owners: undefined });
        return;
      } catch (error) {
        if (task.abort.signal.aborted) return;
        lastError = error instanceof Error ? error.message : String(error);
        options.log?.('warn', { image: ref, attempt: attempts + 1, error: lastError }, 'pulling image failed');
      }
      if (attempts < pullBackoffLimit(policy)) {
        try {
          await options.clock.sleep(pullBackoffMs(attempts + 1), task.abort.signal);
        } catch {
          return;
        }
      }
    }
  };

  // Always: the registry's digest for each credential of the image's registry (anonymous without
  // secrets; none when secrets match no credential, as OpenKruise), failures left out.
  const registryDigests = async (name: string, tag: string, secrets: readonly PullSecret[], signal: AbortSignal): Promise<string[]> => {
    const ask = options.registryDigest ?? ((n, t, auth, s) => fetchRegistryDigest(n, t, { auth, signal: s }));
    const auths: (PullAuth | undefined)[] = secrets.length === 0 ? [undefined] : lookupRegistryAuths(parseDockerKeyring(secrets), parseImageRepository(`${name}:${tag}`));
    const answers = await Promise.allSettled(auths.map((auth) => ask(name, tag, auth, signal)));
    return answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
  };

  // One attempt: decideImagePull says whether the image the runtime has will do (IfNotPresent, or
  // Always with the registry's digest unchanged); otherwise a pull bounded by `timeoutMs`.
  const attempt = async (task: Task, ref: string, timeoutMs: number): Promise<string> => {
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const onStop = (): void => { controller.abort(new Error(`pulling image ${ref} is stopped`)); };
    task.abort.signal.addEventListener('abort', onStop, { once: true });
    options.clock.sleep(timeoutMs, stopTimer.signal).then(
      () => { controller.abort(new Error(`pulling image ${ref} timed out after ${String(Math.round(timeoutMs / 1000))}s`)); },
      () => undefined,
    );
    try {
      const policy = task.tagSpec?.imagePullPolicy;
      const tag = task.status.tag;
      const present = await options.runtime.imageStatus(ref, { signal: controller.signal });
      const secrets = (task.imageSpec?.pullSecrets ?? []).length === 0 || (present !== undefined && policy !== 'Always') ? [] : await options.readSecrets(task.imageSpec?.pullSecrets ?? [], controller.signal);
      const digests = policy === 'Always' && present !== undefined && !tag.startsWith('sha256:') ? await registryDigests(task.image, tag, secrets, controller.signal) : [];
      const decision = decideImagePull({ policy, name: task.image, tag, present, registryDigests: digests });
      if (decision.kind === 'use-present' && present !== undefined) return present.id;
      if (present !== undefined) options.log?.('info', { image: ref, reason: decision.reason, imageID: present.id }, 'pulling image again (imagePullPolicy Always)');
      let lastProgress = -1;
      return await pullWithSecrets(options.runtime, ref, secrets, {
        signal: controller.signal,
        sandboxConfig: task.imageSpec?.sandboxConfig,
        onProgress: (percent) => {
          if (percent === lastProgress || percent >= 100) return;
          lastProgress = percent;
          setStatus(task, { ...task.status, progress: percent });
        },
      });
    } finally {
      stopTimer.abort();
      task.abort.signal.removeEventListener('abort', onStop);
    }
  };

  const nextQueued = (): Task | undefined => {
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head); // drop what was taken, so a long list does not keep its head alive
      head = 0;
    }
    while (head < queue.length) {
      const task = queue[head];
      head += 1;
      if (task !== undefined && task.state === 'queued' && !task.abort.signal.aborted) return task;
    }
    queue = [];
    head = 0;
    return undefined;
  };

  const work = async (): Promise<void> => {
    for (let task = nextQueued(); task !== undefined && !stopped; task = nextQueued()) {
      try {
        await runTask(task);
      } finally {
        task.state = 'finished';
      }
    }
  };

  const spawn = (): void => {
    while (!stopped && (maxWorkers < 0 || workers < maxWorkers) && head < queue.length) {
      workers += 1;
      const run = work().finally(() => {
        workers -= 1;
        running.delete(run);
      });
      running.add(run);
    }
  };

  return {
    sync(nodeImage) {
      if (stopped) return;
      spec = nodeImage.spec;
      const plan = planPullSync(spec, nodeImage.status, tasks);
      for (const { key, reason } of plan.stop) {
        const task = tasks.get(key);
        tasks.delete(key);
        task?.abort.abort(new Error(`task ${key} stopped: ${reason}`));
      }
      for (const create of plan.create) {
        if (create.kind === 'adopt') {
          tasks.set(create.key, { key: create.key, image: create.image, imageSpec: undefined, tagSpec: undefined, version: create.status.version ?? 0, state: 'finished', status: create.status, abort: new AbortController() });
          continue;
        }
        const version = create.tagSpec.version ?? 0;
        const task: Task = { key: create.key, image: create.image, imageSpec: create.imageSpec, tagSpec: create.tagSpec, version, state: 'queued', status: { tag: create.tagSpec.tag, phase: 'Waiting', version }, abort: new AbortController() };
        tasks.set(create.key, task);
        queue.push(task);
      }
      if (plan.stop.length > 0 || plan.create.length > 0) changed();
      spawn();
    },
    status: () => computeNodeImageStatus(spec, (image, tag) => tasks.get(pullTaskKey(image, tag))?.status),
    counts() {
      const counts = { queued: 0, running: 0, finished: 0 };
      for (const task of tasks.values()) counts[task.state] += 1;
      return counts;
    },
    async stop() {
      stopped = true;
      for (const task of tasks.values()) task.abort.abort(new Error('daemon is shutting down'));
      await Promise.allSettled([...running]);
    },
  };
}
