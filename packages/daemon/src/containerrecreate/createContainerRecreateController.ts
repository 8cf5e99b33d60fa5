import { CRR_ACTIVE_LABEL, CRR_NODE_NAME_LABEL, CRR_POD_UID_LABEL, formatTime, parseTime, type ContainerRecreateRequest, type CrrContainerState } from '@kruise-ts/core';
import { KruiseResources, type KubeObject, type ObjectStore } from '@kruise-ts/k8s-adapter';
import type { ContainerRuntime } from '../cri/containerRuntime.js';
import { KUBE_POD_UID_LABEL, planCrrDaemonSync, type CrrDaemonAction } from './planCrrDaemonSync.js';
import { killContainer } from './killContainer.js';
import { createKeyedWorker } from '../createKeyedWorker.js';
import { runNodeLoop, type DaemonLoopOptions } from '../runNodeLoop.js';

type CrrObject = ContainerRecreateRequest & KubeObject;

/** Options of {@link createContainerRecreateController}. */
export interface ContainerRecreateControllerOptions extends DaemonLoopOptions {
  readonly runtime: ContainerRuntime;
  /** The runtime's name, the prefix of container ids in pod statuses (default `containerd`). */
  readonly runtimeName?: string | undefined;
}

/** The daemon's container recreation loop for one node. */
export interface ContainerRecreateController {
  /** Watches this node's active CRRs and recreates their containers until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether the CRR informer has listed (OpenKruise's `crrInformerSynced` check). */
  isSynced(): boolean;
}

// OpenKruise's crrListByPhaseAndCreated: Completed, Recreating, Pending, then new; oldest first.
const PHASE_WEIGHT: Record<string, number> = { Completed: 1, Recreating: 2, Pending: 3 };
const weight = (crr: CrrObject): number => PHASE_WEIGHT[crr.status?.phase ?? ''] ?? 4;

/** How long a sync waits for the echo of its own write before trusting the informer again (OpenKruise's 10 s). */
const MAX_EXPECTATION_WAIT_MS = 10_000;

/** Whether resourceVersion `seen` is at least `expected` (numeric when both are, else equal). */
function reached(seen: string | undefined, expected: string): boolean {
  if (seen === undefined) return false;
  if (/^\d+$/.test(seen) && /^\d+$/.test(expected)) return BigInt(seen) >= BigInt(expected);
  return seen === expected;
}


/**
 * Returns the daemon side of ContainerRecreateRequest (OpenKruise's `crr_daemon_controller`): an
 * informer on the CRRs labelled with this node and active, synced one pod at a time (the oldest
 * unfinished CRR of a pod is picked, the others set Pending). A sync runs core-free
 * {@link planCrrDaemonSync} on the containers the runtime lists for the pod and makes one write:
 * phase Recreating, the status context, the observed container states, a container killed
 * ({@link killContainer}: preStop exec, then StopContainer with the grace period; the kubelet starts
 * the new one) with its state Recreating + isKilled or Failed with the message, or Completed. Every
 * write is a merge patch (status subresource except the status context); its echo syncs again.
 */
export function createContainerRecreateController(options: ContainerRecreateControllerOptions): ContainerRecreateController {
  const { client, runtime, clock } = options;
  const serverClock = options.serverClock ?? clock;
  const runtimeName = options.runtimeName ?? 'containerd';
  let synced = false;

  return {
    isSynced: () => synced,
    async run(signal) {
      let store: ObjectStore<CrrObject> | undefined;
      // The resourceVersion of our last write of each CRR (OpenKruise's resourceVersionExpectation):
      // a sync on an informer copy older than it would act on what we already changed.
      const expectations = new Map<string, { readonly resourceVersion: string; readonly at: number }>();
      const crrKey = (crr: CrrObject): string => `${crr.metadata.namespace ?? ''}/${crr.metadata.name ?? ''}`;
      const expectWrite = (written: CrrObject): void => {
        if (written.metadata.resourceVersion !== undefined) expectations.set(crrKey(written), { resourceVersion: written.metadata.resourceVersion, at: clock.now() });
      };

      const patchStatus = async (crr: CrrObject, status: Record<string, unknown>): Promise<void> => {
        expectWrite(await client.patch(KruiseResources.ContainerRecreateRequest, { namespace: crr.metadata.namespace, name: crr.metadata.name ?? '' }, { type: 'merge', body: { status } }, { subresource: 'status', signal }));
      };

      const emit = (crr: CrrObject, type: 'Normal' | 'Warning', reason: string, message: string): void => {
        options.events?.emit({ subject: { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'ContainerRecreateRequest', name: crr.metadata.name ?? '', namespace: crr.metadata.namespace, uid: crr.metadata.uid }, type, reason, message });
      };

      async function act(crr: CrrObject, action: CrrDaemonAction, key: string): Promise<void> {
        switch (action.kind) {
          case 'set-recreating':
            await patchStatus(crr, { phase: 'Recreating' });
            return;
          case 'wait-unready':
            if (action.afterMs !== undefined) later(key, action.afterMs + 100);
            return;
          case 'fill-status-context': {
            const containers = crr.spec.containers.map((c, i) => {
              const context = action.contexts[i];
              return context === undefined || c.statusContext !== undefined ? c : { ...c, statusContext: { containerID: `${runtimeName}://${context.containerID}`, restartCount: context.restartCount } };
            });
            expectWrite(await client.patch(KruiseResources.ContainerRecreateRequest, { namespace: crr.metadata.namespace, name: crr.metadata.name ?? '' }, { type: 'merge', body: { spec: { containers } } }, { signal }));
            return;
          }
          case 'patch-states':
            await patchStatus(crr, { containerRecreateStates: action.states });
            return;
          case 'kill': {
            emit(crr, 'Normal', 'Killing', `Stopping container ${action.name} by ContainerRecreateRequest ${crr.metadata.name ?? ''}`);
            const outcome = await killContainer(runtime, { id: action.containerId, podSandboxId: action.podSandboxId, ports: action.ports }, action.gracePeriodSeconds, action.preStop, { now: () => clock.now(), signal });
            if (outcome.kind === 'failed') emit(crr, 'Warning', 'FailedKillContainer', outcome.message);
            else if (outcome.preStopFailure !== undefined) emit(crr, 'Warning', 'FailedPreStopHook', outcome.preStopFailure);
            options.log?.('info', { crr: key, container: action.name, outcome: outcome.kind }, 'container recreation');
            const states = action.states.map((s): CrrContainerState => (s.name !== action.name ? s : outcome.kind === 'stopped' ? { name: s.name, phase: 'Recreating', isKilled: true } : { name: s.name, phase: 'Failed', message: outcome.message }));
            await patchStatus(crr, { containerRecreateStates: states });
            return;
          }
          case 'complete':
            await patchStatus(crr, { phase: 'Completed', completionTime: formatTime(serverClock.now()), message: '' });
            return;
          case 'idle':
            if (action.requeueAfterMs !== undefined) later(key, action.requeueAfterMs);
            return;
        }
      }

      async function sync(key: string): Promise<void> {
        const [namespace = '', podName = ''] = key.split('/');
        const active = (store?.list(namespace) ?? [])
          .filter((c) => c.spec.podName === podName && c.metadata.deletionTimestamp === undefined && (c.status?.completionTime ?? undefined) === undefined)
          .sort((a, b) => weight(a) - weight(b) || (parseTime(a.metadata.creationTimestamp) ?? 0) - (parseTime(b.metadata.creationTimestamp) ?? 0));
        const [picked, ...others] = active;
        if (picked === undefined) return;
        const expected = expectations.get(crrKey(picked));
        if (expected !== undefined) {
          if (!reached(picked.metadata.resourceVersion, expected.resourceVersion) && clock.now() - expected.at < MAX_EXPECTATION_WAIT_MS) {
            // The echo of our write will sync again; this copy is older than what we wrote.
            later(key, 1000);
            return;
          }
          expectations.delete(crrKey(picked));
        }
        for (const other of others) if (other.status?.phase === undefined) await patchStatus(other, { phase: 'Pending' });
        const containers = await runtime.listContainers({ labels: { [KUBE_POD_UID_LABEL]: picked.metadata.labels?.[CRR_POD_UID_LABEL] ?? '' } }, { signal });
        // The runtime's times are the host's: moved into the apiserver's time, where the CRR's
        // creationTimestamp and unready-acquired time are (a host 2 min ahead would take a
        // container started before the CRR for its recreation, and never stop it).
        const now = serverClock.now();
        const offsetMs = now - clock.now();
        await act(picked, planCrrDaemonSync(picked, offsetMs === 0 ? containers : containers.map((c) => ({ ...c, createdAt: c.createdAt + offsetMs })), now), key);
      }

      const worker = createKeyedWorker({
        clock,
        signal,
        sync,
        onError: (key, error) => { options.log?.('warn', { crr: key, err: error instanceof Error ? error.message : String(error) }, 'container recreation sync failed; retrying'); },
      });
      const later = (key: string, ms: number): void => { worker.later(key, ms); };

      // Only CRRs labelled with this node and active are watched.
      await runNodeLoop(options, {
        type: KruiseResources.ContainerRecreateRequest,
        select: { labelSelector: `${CRR_NODE_NAME_LABEL}=${options.nodeName},${CRR_ACTIVE_LABEL}=true` },
        onStart: (cache) => { store = cache; },
        onEvent: (event) => {
          if (event.type === 'deleted') return;
          const crr = event.object;
          if (crr.metadata.deletionTimestamp !== undefined || (crr.status?.completionTime ?? undefined) !== undefined) return;
          worker.schedule(`${crr.metadata.namespace ?? ''}/${crr.spec.podName}`);
        },
        onSynced: () => { synced = true; },
        onStop: () => worker.settle(),
      }, signal);
    },
  };
}
