import type { ImageSpec, ImageTagSpec, ImageTagStatus, NodeImageSpec, NodeImageStatus } from '@kruise-ts/core';

/** Key of one pulling task: `<image>:<tag>`, e.g. `127.0.0.1:5000/busybox:1.36`. */
export type PullTaskKey = string;

/** Returns the task key of `tag` of `image`: `pullTaskKey('reg:5000/app', '1')` → `'reg:5000/app:1'`. */
export function pullTaskKey(image: string, tag: string): PullTaskKey {
  return `${image}:${tag}`;
}

/** What the runner has for one task, as the planner needs it. */
export interface PullTaskView {
  readonly version: number;
  /** `queued` waits for a worker, `running` is pulling, `finished` is Succeeded or Failed. */
  readonly state: 'queued' | 'running' | 'finished';
}

/** A task to create: pulled by a worker (`start`) or already finished per the NodeImage status (`adopt`). */
export type PullTaskCreation =
  | { readonly kind: 'start'; readonly key: PullTaskKey; readonly image: string; readonly imageSpec: ImageSpec; readonly tagSpec: ImageTagSpec }
  | { readonly kind: 'adopt'; readonly key: PullTaskKey; readonly image: string; readonly status: ImageTagStatus };

/** Why a task is stopped: its tag (or image) left the spec, or its `version` was bumped. */
export type PullTaskStop = { readonly key: PullTaskKey; readonly reason: 'removed-from-spec' | 'version-changed' };

/** What {@link planPullSync} decides: tasks to stop (first), then tasks to create. */
export interface PullSyncPlan {
  readonly stop: readonly PullTaskStop[];
  readonly create: readonly PullTaskCreation[];
}

/**
 * Returns which pulling tasks to stop and create so the runner matches a NodeImage, as
 * OpenKruise's worker pools do: one task per (image, tag, version); a tag whose reported status
 * (same version) has a completionTime is finished and is adopted, not pulled again; a tag whose
 * `version` changed is stopped and started again; tags and images gone from the spec are stopped.
 * A task the runner already has at the same version is left alone, whatever its state (a finished
 * one is not restarted just because its status is not written yet). A tag reported `Pulling`
 * without completionTime (a daemon that died mid-pull) is started again.
 *
 * @example
 * spec app:{1 v0, 2 v1}, status app:1 Succeeded v0 (completed), tasks {} → create adopt app:1, start app:2
 * same spec with app:2 at v2, tasks {app:2 v1 running} → stop app:2 version-changed, start app:2 (v2)
 */
export function planPullSync(spec: NodeImageSpec | undefined, status: NodeImageStatus | undefined, tasks: ReadonlyMap<PullTaskKey, PullTaskView>): PullSyncPlan {
  const stop: PullTaskStop[] = [];
  const create: PullTaskCreation[] = [];
  const wanted = new Set<PullTaskKey>();
  for (const [image, imageSpec] of Object.entries(spec?.images ?? {})) {
    const reported = status?.imageStatuses?.[image]?.tags ?? [];
    for (const tagSpec of imageSpec.tags) {
      const key = pullTaskKey(image, tagSpec.tag);
      if (wanted.has(key)) continue; // a duplicated tag entry: the first one counts
      wanted.add(key);
      const version = tagSpec.version ?? 0;
      const task = tasks.get(key);
      if (task !== undefined && task.version === version) continue;
      if (task !== undefined) stop.push({ key, reason: 'version-changed' });
      const done = reported.find((s) => s.tag === tagSpec.tag && (s.version ?? 0) === version && s.completionTime != null);
      create.push(done === undefined ? { kind: 'start', key, image, imageSpec, tagSpec } : { kind: 'adopt', key, image, status: done });
    }
  }
  for (const key of tasks.keys()) if (!wanted.has(key)) stop.push({ key, reason: 'removed-from-spec' });
  return { stop, create };
}
