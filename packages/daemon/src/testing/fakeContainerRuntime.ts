import type { ContainerFilter, ContainerInfo, ContainerRuntime, ExecResult } from '../cri/containerRuntime.js';
import { CriError } from '../cri/criError.js';

/** An in-memory {@link ContainerRuntime}: containers the test adds, stops recorded, exec answers scripted. */
export interface FakeContainerRuntime extends ContainerRuntime {
  /** Adds a container (running unless `state` says otherwise) of pod `podUid` named `name`; returns its id. */
  add(options: { readonly podUid: string; readonly name: string; readonly attempt?: number; readonly createdAt: number; readonly state?: ContainerInfo['state']; readonly id?: string }): string;
  /** What the kubelet does after a stop: a new running container of the same name, attempt + 1. */
  restart(id: string, createdAt: number): string;
  /** Scripts what exec of a command in a container returns (default exit 0). */
  setExec(answer: (id: string, cmd: readonly string[]) => ExecResult | Error): void;
  /** Stop calls (id and grace seconds) and exec calls, in order. */
  readonly calls: ({ readonly kind: 'stop'; readonly id: string; readonly timeoutSeconds: number } | { readonly kind: 'exec'; readonly id: string; readonly cmd: readonly string[] })[];
  containers(): ContainerInfo[];
  /** The IP `podSandboxIp` answers for every sandbox (default '127.0.0.1'). */
  sandboxIp: string;
}

/**
 * Returns an in-memory container runtime for unit tests: containers carry the kubelet's
 * `io.kubernetes.pod.uid` and `io.kubernetes.container.name` labels; `stopContainer` marks one
 * exited (NOT_FOUND for an unknown id).
 *
 * @example const rt = createFakeContainerRuntime(); const id = rt.add({ podUid: 'u1', name: 'app', createdAt: 0 }); await rt.stopContainer(id, 30); rt.restart(id, 1000)
 */
export function createFakeContainerRuntime(): FakeContainerRuntime {
  const store = new Map<string, ContainerInfo>();
  let next = 0;
  let exec: (id: string, cmd: readonly string[]) => ExecResult | Error = () => ({ exitCode: 0, stdout: '', stderr: '' });
  const calls: FakeContainerRuntime['calls'] = [];
  const matches = (c: ContainerInfo, filter: ContainerFilter): boolean =>
    (filter.podSandboxId === undefined || c.podSandboxId === filter.podSandboxId) && Object.entries(filter.labels ?? {}).every(([k, v]) => c.labels[k] === v);
  const runtime: FakeContainerRuntime = {
    calls,
    sandboxIp: '127.0.0.1',
    podSandboxIp() {
      return Promise.resolve(runtime.sandboxIp);
    },
    add({ podUid, name, attempt = 0, createdAt, state = 'CONTAINER_RUNNING', id }) {
      const containerId = id ?? `c${String(++next)}`;
      store.set(containerId, { id: containerId, podSandboxId: `sandbox-${podUid}`, name, attempt, image: 'busybox', state, createdAt, labels: { 'io.kubernetes.pod.uid': podUid, 'io.kubernetes.container.name': name } });
      return containerId;
    },
    restart(id, createdAt) {
      const old = store.get(id);
      if (old === undefined) throw new Error(`no container ${id}`);
      return runtime.add({ podUid: old.labels['io.kubernetes.pod.uid'] ?? '', name: old.name, attempt: old.attempt + 1, createdAt });
    },
    setExec(answer) {
      exec = answer;
    },
    containers: () => [...store.values()],
    listContainers(filter = {}) {
      return Promise.resolve([...store.values()].filter((c) => matches(c, filter)));
    },
    stopContainer(id, timeoutSeconds) {
      calls.push({ kind: 'stop', id, timeoutSeconds });
      const c = store.get(id);
      if (c === undefined) return Promise.reject(new CriError({ method: 'StopContainer', subject: id, code: 'NOT_FOUND', details: `container ${id} not found` }));
      store.set(id, { ...c, state: 'CONTAINER_EXITED' });
      return Promise.resolve();
    },
    execSync(id, cmd) {
      calls.push({ kind: 'exec', id, cmd });
      const answer = exec(id, cmd);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return runtime;
}
