import type { Container, PodTemplateSpec } from '../api/pod.js';
import { revisionData, type ControllerRevision } from '../shared/revision.js';

/** Options of {@link aRevision}. */
export interface RevisionOptions {
  /** `metadata.name`, e.g. `web-2` (default `web-1`). */
  readonly name?: string;
  /** `revision` number (default 1). */
  readonly revision?: number;
  /** Image of the single `main` container (default `nginx:1`); ignored with `containers` or `template`. */
  readonly image?: string;
  /** Containers of the template (default one `main` container). */
  readonly containers?: readonly Container[];
  /** The whole template (overrides `image` and `containers`). */
  readonly template?: PodTemplateSpec;
  /** Revision annotations (e.g. the volumeClaimTemplates hash). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Returns an `apps/v1` ControllerRevision recording a pod template as OpenKruise does, with the
 * given name (no hash is computed, so tests choose readable names).
 *
 * @example aRevision({ name: 'web-2', image: 'nginx:2' })
 */
export function aRevision(options: RevisionOptions = {}): ControllerRevision {
  const containers = options.containers ?? [{ name: 'main', image: options.image ?? 'nginx:1' }];
  const template = options.template ?? { metadata: { labels: { app: 'web' } }, spec: { containers: containers.map((c) => ({ ...c })) } };
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: options.name ?? 'web-1', ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }) },
    data: revisionData(template),
    revision: options.revision ?? 1,
  };
}
