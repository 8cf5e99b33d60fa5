import { ConflictError, NotFoundError } from '../errors.js';
import type { KubeClient } from '../ports.js';
import { Resources } from '../resourceType.js';
import type { BackgroundWork } from './backgroundWork.js';
import { isJsonObject, type JsonObject, text } from './jsonValue.js';
import { checkImageDigests, type ImageDigests } from './imageDigests.js';
import type { StoredEvent } from './memoryStore.js';
import { nodeInternalIp } from './nodeSimulator.js';
import { formatTime } from './objectValidation.js';
import { completedStatus, ephemeralContainersStatus, inPlaceUpdateStatus, isJobPod, isReadinessStale, needsInPlaceUpdate, podReadyStatus, readinessStatus } from './podStatusTemplates.js';
import { metaOf, type ClusterCore } from './writePipeline.js';

/** Options of the simulated kubelet. */
export interface KubeletOptions {
  /** Fake-clock time from a pod being bound to it Running, in ms (default 1000); a function decides per pod. */
  readonly startDelayMs?: number | ((pod: JsonObject) => number);
  /**
   * Fake-clock time from a Running pod's image or resources changing in spec to its containers
   * reporting them (kwok's `pod-inplace-update` stage waits 500–1500 ms), in ms; a function
   * decides per pod. Default 0: at once.
   */
  readonly inPlaceUpdateDelayMs?: number | ((pod: JsonObject) => number);
  /**
   * Image references mapped to the content digest a registry would resolve them to (as
   * `startTestCluster`'s `imageDigests`): a container's imageID is `<repository>@<digest>`, so
   * `nginx:1.25` and `nginx:stable` mapped to one digest report the same imageID. References not
   * in the map get `<repository>@sha256:<sha256 of the reference>`. Default none.
   */
  readonly imageDigests?: ImageDigests;
  /**
   * How a Running pod of a Job or BroadcastJob ends: `Succeeded` (the default for every pod),
   * `Failed` (containers exit 1), or `undefined` to keep it Running.
   */
  readonly jobPodOutcome?: (pod: JsonObject) => 'Succeeded' | 'Failed' | undefined;
}

/** Controls of the simulated kubelet of every node. */
export interface SimulatedKubelet {
  /** Sets the start delay of pods bound from now on (ms of the fake clock, or per pod). */
  readonly setStartDelay: (delay: number | ((pod: JsonObject) => number)) => void;
  /** Stops acting on pods (they stay as they are), e.g. to hold pods Pending. */
  readonly pause: () => void;
  /** Acts again, catching up on every pod. */
  readonly resume: () => void;
  readonly paused: boolean;
}

const POD_CIDR_BASE = (10 << 24) + (64 << 16);
const ipOf = (n: number): string => [24, 16, 8, 0].map((s) => text((n >>> s) & 255)).join('.');

/**
 * Returns the controls of the simulated kubelet of every node, which it starts (kwok's pod stages): a Pending pod bound to a node
 * becomes Running after the start delay, with container statuses and IPs from 10.64.0.0/12; a
 * Running pod gets Ready recomputed from its readiness gates, its container statuses updated on
 * an in-place image or resources change, and completes when a Job or BroadcastJob owns it (Succeeded, or as
 * `jobPodOutcome` says); a
 * pod with a deletionTimestamp is deleted with grace period 0 (its finalizers still hold it).
 */
export function startKubelet(core: ClusterCore, client: KubeClient, work: BackgroundWork, options: KubeletOptions, closed: AbortSignal): SimulatedKubelet & { stop(): void } {
  let delay = options.startDelayMs ?? 1000;
  const digests = { ...checkImageDigests(options.imageDigests ?? {}) };
  let paused = false;
  const starting = new Set<string>();
  const updating = new Set<string>();
  const ips = new Map<string, number>();
  const free: number[] = [];
  let nextIp = 1;
  const tolerate = (error: unknown): void => {
    if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
  };
  const now = (): string => formatTime(core.clock.now());
  const podKey = (pod: JsonObject) => ({ name: text(metaOf(pod).name), namespace: text(metaOf(pod).namespace) });
  const latest = (pod: JsonObject): JsonObject | undefined => {
    const found = core.store.get('/pods', text(metaOf(pod).namespace), text(metaOf(pod).name));
    return found !== undefined && metaOf(found).uid === metaOf(pod).uid ? found : undefined;
  };
  const nodeOf = (pod: JsonObject): JsonObject | undefined => {
    const name = isJsonObject(pod.spec) ? pod.spec.nodeName : undefined;
    return typeof name === 'string' && name !== '' ? core.store.get('/nodes', undefined, name) : undefined;
  };
  const patchStatus = (pod: JsonObject, status: JsonObject): Promise<void> =>
    client.patch(Resources.Pod, podKey(pod), { type: 'strategic', body: { status } }, { subresource: 'status', fieldManager: 'kwok' }).then(() => undefined, tolerate);

  function allocateIp(uid: string): string {
    let n = ips.get(uid);
    if (n === undefined) {
      free.sort((a, b) => a - b);
      n = free.shift() ?? nextIp++;
      ips.set(uid, n);
    }
    return ipOf(POD_CIDR_BASE + n);
  }

  async function start(pod: JsonObject): Promise<void> {
    const current = latest(pod);
    const node = current === undefined ? undefined : nodeOf(current);
    if (paused || current === undefined || node === undefined || metaOf(current).deletionTimestamp !== undefined) return;
    if (!isJsonObject(current.status) || current.status.phase !== 'Pending') return;
    const hostIP = nodeInternalIp(node);
    const hostNetwork = isJsonObject(current.spec) && current.spec.hostNetwork === true;
    await patchStatus(current, podReadyStatus(current, now(), { hostIP, podIP: hostNetwork ? hostIP : allocateIp(text(metaOf(current).uid)) }, digests));
  }

  async function sync(pod: JsonObject): Promise<void> {
    const current = latest(pod);
    if (paused || current === undefined || nodeOf(current) === undefined) return;
    const meta = metaOf(current);
    if (meta.deletionTimestamp !== undefined) {
      if (meta.deletionGracePeriodSeconds !== 0) await client.delete(Resources.Pod, podKey(current), { gracePeriodSeconds: 0, preconditions: { uid: text(meta.uid) } }).catch(tolerate);
      return;
    }
    const phase = isJsonObject(current.status) ? current.status.phase : undefined;
    if (phase === 'Pending') {
      schedule(current);
      return;
    }
    if (phase !== 'Running') return;
    const ephemeral = ephemeralContainersStatus(current, now());
    if (ephemeral !== undefined) {
      await patchStatus(current, ephemeral);
      return;
    }
    if (isJobPod(current)) {
      const outcome = options.jobPodOutcome === undefined ? 'Succeeded' : options.jobPodOutcome(current);
      if (outcome !== undefined) await patchStatus(current, completedStatus(current, now(), outcome));
    }
    else if (needsInPlaceUpdate(current)) await updateInPlace(current);
    else if (isReadinessStale(current)) await patchStatus(current, readinessStatus(current, now()));
  }

  async function updateInPlace(pod: JsonObject): Promise<void> {
    const option = options.inPlaceUpdateDelayMs ?? 0;
    const ms = typeof option === 'function' ? option(pod) : option;
    if (ms <= 0) {
      await patchStatus(pod, inPlaceUpdateStatus(pod, now(), digests));
      return;
    }
    const uid = text(metaOf(pod).uid);
    if (updating.has(uid)) return;
    updating.add(uid);
    core.clock.sleep(ms, closed).then(
      () => {
        updating.delete(uid);
        work.enqueue(`kubelet/inplace/${uid}`, async () => {
          const current = latest(pod);
          if (!paused && current !== undefined && metaOf(current).deletionTimestamp === undefined && needsInPlaceUpdate(current)) await patchStatus(current, inPlaceUpdateStatus(current, now(), digests));
        });
      },
      () => undefined,
    );
  }

  function schedule(pod: JsonObject): void {
    const uid = text(metaOf(pod).uid);
    if (starting.has(uid)) return;
    starting.add(uid);
    const ms = typeof delay === 'function' ? delay(pod) : delay;
    core.clock.sleep(ms, closed).then(
      () => {
        starting.delete(uid);
        work.enqueue(`kubelet/start/${uid}`, () => start(pod));
      },
      () => undefined,
    );
  }

  const onEvent = (event: StoredEvent): void => {
    if (event.resource === '/nodes' && event.type !== 'DELETED' && !paused) {
      const node = metaOf(event.object).name;
      for (const p of core.store.list('/pods').filter((x) => isJsonObject(x.spec) && x.spec.nodeName === node)) work.enqueue(`kubelet/sync/${text(metaOf(p).uid)}`, () => sync(p));
      return;
    }
    if (event.resource !== '/pods') return;
    const uid = text(metaOf(event.object).uid);
    if (event.type === 'DELETED') {
      const n = ips.get(uid);
      ips.delete(uid);
      if (n !== undefined) free.push(n);
      return;
    }
    if (!paused && nodeOf(event.object) !== undefined) work.enqueue(`kubelet/sync/${uid}`, () => sync(event.object));
  };
  const unsubscribe = core.store.subscribe(onEvent);

  return {
    setStartDelay: (next) => {
      delay = next;
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const pod of core.store.list('/pods')) work.enqueue(`kubelet/sync/${text(metaOf(pod).uid)}`, () => sync(pod));
    },
    get paused() {
      return paused;
    },
    stop: unsubscribe,
  };
}
