import { restoreSidecarSetFromRevision, type ControllerRevision, type SidecarSet } from '@kruise-ts/core';
import { describeContainers } from './rolloutHistory.js';

/**
 * Returns a SidecarSet revision described as `rollout history --revision` describes a pod
 * template: what the revision recorded (OpenKruise records the injected part of the spec: the
 * sidecar containers, init containers, volumes, image pull secrets and pod metadata patches), the
 * containers in kubectl's describe layout; undefined when the ControllerRevision holds no
 * SidecarSet spec.
 *
 * @example revision #1 of log with log-agent fluent-bit:2.0 →
 *   'SidecarSet Revision:\n  Containers:\n   log-agent:\n    Image:\tfluent-bit:2.0\n    Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Init Containers:\t<none>\n  Volumes:\t<none>\n'
 */
export function describeSidecarSetRevision(sidecarSet: SidecarSet, revision: ControllerRevision): string | undefined {
  const restored = restoreSidecarSetFromRevision(sidecarSet, revision);
  if (restored === undefined) return undefined;
  const { containers = [], initContainers = [], volumes = [], imagePullSecrets = [] } = restored.spec;
  const lines = ['SidecarSet Revision:', `  Containers:${containers.length === 0 ? '\t<none>' : ''}`, ...describeContainers(containers)];
  lines.push(`  Init Containers:${initContainers.length === 0 ? '\t<none>' : ''}`, ...describeContainers(initContainers));
  lines.push(`  Volumes:${volumes.length === 0 ? '\t<none>' : ''}`, ...volumes.map((v) => `   ${v.name}`));
  if (imagePullSecrets.length > 0) lines.push(`  Image Pull Secrets:\t${imagePullSecrets.map((s) => s.name ?? '').join(', ')}`);
  return `${lines.join('\n')}\n`;
}
