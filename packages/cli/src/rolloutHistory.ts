import { canonicalJson, labelSelectorToString, SIDECARSET_NAME_LABEL, templateFromRevision, type Container, type ControllerRevision, type LabelSelector, type PodTemplateSpec } from '@kruise-ts/core';
import { Resources, type KubeClient, type KubeObject } from '@kruise-ts/k8s-adapter';
import { resourceName } from './rolloutCommands.js';
import type { RolloutRef, WorkloadRef } from './workloadRef.js';

/** Where OpenKruise keeps a SidecarSet's ControllerRevisions unless told otherwise: the manager's namespace. */
export const DEFAULT_KRUISE_NAMESPACE = 'kruise-system';

/** kubectl's change-cause annotation, shown in the CHANGE-CAUSE column of `rollout history`. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** A workload as `rollout history` reads it: its selector and pod template. */
export type Workload = KubeObject & { readonly spec?: { readonly selector?: LabelSelector; readonly template?: PodTemplateSpec } };

/** A workload and the ControllerRevisions it controls, oldest first. */
export interface WorkloadHistory {
  readonly workload: Workload;
  readonly revisions: readonly ControllerRevision[];
}

/**
 * Returns the ControllerRevisions `object` (as read) controls, sorted by revision number: for a
 * workload, as kubectl-kruise reads them, those of its namespace that match its selector; for a
 * SidecarSet (cluster-scoped), those of `kruiseNamespace` labelled `kruise.io/sidecarset-name`
 * with its name (where OpenKruise's SidecarSet controller writes them); in both cases only those
 * whose controller owner reference is the object (by uid).
 *
 * @example SidecarSet log whose sidecar went fluentd:1 → fluentd:2 → [log-<hash1> #1, log-<hash2> #2] (in kruise-system)
 */
export async function listControlledRevisions(client: KubeClient, ref: RolloutRef, object: Workload, namespace: string, kruiseNamespace: string = DEFAULT_KRUISE_NAMESPACE): Promise<ControllerRevision[]> {
  const selector = object.spec?.selector;
  const list =
    ref.kind === 'SidecarSet'
      ? await client.list(Resources.ControllerRevision, { namespace: kruiseNamespace, labelSelector: `${SIDECARSET_NAME_LABEL}=${ref.name}` })
      : await client.list(Resources.ControllerRevision, { namespace, ...(selector === undefined ? {} : { labelSelector: labelSelectorToString(selector) }) });
  const uid = object.metadata.uid;
  return list.items.filter((r) => (r.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === uid)).sort((a, b) => a.revision - b.revision);
}

/**
 * Returns a workload (or SidecarSet) and its history ({@link listControlledRevisions}).
 *
 * @example CloneSet web rolled nginx:1 → nginx:2 → { revisions: [web-<hash1> #1, web-<hash2> #2] }
 */
export async function readHistory(client: KubeClient, ref: RolloutRef, namespace: string, kruiseNamespace: string = DEFAULT_KRUISE_NAMESPACE): Promise<WorkloadHistory> {
  const workload = (await client.get(ref.type, { ...(ref.kind === 'SidecarSet' ? {} : { namespace }), name: ref.name })) as Workload;
  return { workload, revisions: await listControlledRevisions(client, ref, workload, namespace, kruiseNamespace) };
}

/** One row of `rollout history`. */
export interface HistoryRow {
  readonly revision: number;
  readonly name: string;
  readonly changeCause: string | undefined;
}

/**
 * Returns the rows of `rollout history`: revision number, ControllerRevision name, change-cause.
 *
 * @example two revisions, the second annotated kubernetes.io/change-cause "image 2" → [{1, undefined}, {2, 'image 2'}]
 */
export function historyRows(revisions: readonly ControllerRevision[]): HistoryRow[] {
  return revisions.map((r) => ({ revision: r.revision, name: r.metadata.name ?? '', changeCause: r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] }));
}

/**
 * Returns kubectl's table of a history: `REVISION  CHANGE-CAUSE` with `<none>` for a revision
 * without a cause, or `No rollout history found.`
 *
 * @example [{1, undefined}, {2, 'image 2'}] → 'REVISION  CHANGE-CAUSE\n1         <none>\n2         image 2\n'
 */
export function historyTable(rows: readonly HistoryRow[]): string {
  if (rows.length === 0) return 'No rollout history found.\n';
  const width = Math.max('REVISION'.length, ...rows.map((r) => String(r.revision).length)) + 2;
  return ['REVISION'.padEnd(width) + 'CHANGE-CAUSE', ...rows.map((r) => String(r.revision).padEnd(width) + (r.changeCause ?? '<none>'))].join('\n') + '\n';
}

const pairs = (map: Readonly<Record<string, string>> | undefined) => {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join('\n\t');
};

/**
 * Returns a pod template described as `kubectl rollout history --revision` prints it: labels,
 * annotations, then each container with its image, ports, command, environment and mounts.
 *
 * @example { labels {app: web}, containers [main nginx:2] } → 'Pod Template:\n  Labels:\tapp=web\n  ...\n   main:\n    Image:\tnginx:2\n ...'
 */
export function describeTemplate(template: PodTemplateSpec): string {
  const lines = ['Pod Template:', `  Labels:\t${pairs(template.metadata?.labels)}`, `  Annotations:\t${pairs(template.metadata?.annotations)}`, '  Containers:', ...describeContainers(template.spec.containers)];
  const volumes = (template.spec.volumes ?? []).map((v) => `   ${v.name}`);
  lines.push(`  Volumes:${volumes.length === 0 ? '\t<none>' : ''}`, ...volumes);
  return `${lines.join('\n')}\n`;
}

/**
 * Returns the lines kubectl's describe prints for containers: each name, then its image, ports,
 * command, args, environment and mounts, indented under a `  Containers:` heading.
 *
 * @example [main nginx:2] → ['   main:', '    Image:\tnginx:2', '    Port:\t<none>', '    Environment:\t<none>', '    Mounts:\t<none>']
 */
export function describeContainers(containers: readonly Container[]): string[] {
  const lines: string[] = [];
  for (const c of containers) {
    lines.push(`   ${c.name}:`, `    Image:\t${c.image ?? ''}`);
    const ports = (c.ports ?? []).map((p) => `${String(p.containerPort)}/${p.protocol ?? 'TCP'}`);
    lines.push(`    Port:\t${ports.length === 0 ? '<none>' : ports.join(', ')}`);
    if (c.command !== undefined) lines.push('    Command:', ...c.command.map((part) => `      ${part}`));
    if (c.args !== undefined) lines.push('    Args:', ...c.args.map((part) => `      ${part}`));
    const env = (c.env ?? []).map((e) => `      ${e.name}:\t${e.value ?? '<set from a source>'}`);
    lines.push(`    Environment:${env.length === 0 ? '\t<none>' : ''}`, ...env);
    const mounts = (c.volumeMounts ?? []).map((m) => `      ${m.mountPath} from ${m.name} (${m.readOnly === true ? 'ro' : 'rw'})`);
    lines.push(`    Mounts:${mounts.length === 0 ? '\t<none>' : ''}`, ...mounts);
  }
  return lines;
}

/**
 * Returns the revision `rollout undo` goes back to (kubectl's `findHistory`): `toRevision` 0 is
 * the one before the newest; otherwise the revision with that number. Or why there is none.
 *
 * @example revisions #1, #2, #3, toRevision 0 → found #2; toRevision 1 → found #1; toRevision 7 → missing 'unable to find specified revision 7 in history'
 */
export function findRevision(revisions: readonly ControllerRevision[], toRevision: number): { readonly kind: 'found'; readonly revision: ControllerRevision } | { readonly kind: 'missing'; readonly message: string } {
  const missing = { kind: 'missing', message: `unable to find specified revision ${String(toRevision)} in history` } as const;
  if (toRevision < 0) return missing;
  const found = toRevision === 0 ? revisions.at(-2) : revisions.find((r) => r.revision === toRevision);
  if (found !== undefined) return { kind: 'found', revision: found };
  return toRevision === 0 ? { kind: 'missing', message: 'no last revision to roll back to' } : missing;
}

// The template exactly as recorded (not re-parsed, so no field is lost), without the `$patch` directive.
function recordedTemplate(revision: ControllerRevision): Record<string, unknown> | undefined {
  if (templateFromRevision(revision) === undefined) return undefined;
  const { $patch: _directive, ...template } = (revision.data as { spec: { template: Record<string, unknown> } }).spec.template;
  return template;
}

/** What `rollout undo` did. */
export type UndoOutcome =
  | { readonly kind: 'rolled-back'; readonly revision: number; readonly object: KubeObject; readonly dryRun?: 'server' }
  | { readonly kind: 'would-roll-back'; readonly revision: number; readonly template: PodTemplateSpec }
  | { readonly kind: 'skipped'; readonly revision: number; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Rolls a workload's pod template back to a ControllerRevision (`rollout undo`): the template is
 * replaced by the revision's with a JSON patch guarded by a `test` of the current template, so a
 * concurrent edit fails rather than being overwritten. The controller then moves the pods as for
 * any template change — in place for an image-only difference under InPlaceIfPossible. When the
 * template already equals the revision nothing is written ("skipped rollback"). `dryRun` as
 * kubectl's `--dry-run`: `client` only returns the template it would restore, `server` sends the
 * patch as a dry run (admitted and validated, not stored).
 *
 * @example CloneSet at nginx:2 (#2) with #1 at nginx:1, toRevision 0 → spec.template ← #1's template → rolled-back
 */
export async function undoRollout(client: KubeClient, ref: WorkloadRef, namespace: string, toRevision: number, dryRun: 'none' | 'client' | 'server' = 'none'): Promise<UndoOutcome> {
  const { workload, revisions } = await readHistory(client, ref, namespace);
  const lookup = findRevision(revisions, toRevision);
  if (lookup.kind === 'missing') return { kind: 'failed', message: lookup.message };
  const found = lookup.revision;
  const template = recordedTemplate(found);
  if (template === undefined) return { kind: 'failed', message: `ControllerRevision ${found.metadata.name ?? ''}: data.spec.template holds no pod template` };
  if (dryRun === 'client') return { kind: 'would-roll-back', revision: found.revision, template: templateFromRevision(found) as PodTemplateSpec };
  const current = workload.spec?.template;
  if (canonicalJson(current) === canonicalJson(template)) return { kind: 'skipped', revision: found.revision, message: `skipped rollback (current template already matches revision ${String(found.revision)})` };
  const object = await client.patch(ref.type, { namespace, name: ref.name }, {
    type: 'json',
    operations: [
      { op: 'test', path: '/spec/template', value: current },
      { op: 'replace', path: '/spec/template', value: template },
    ],
  }, dryRun === 'server' ? { dryRun: true } : {});
  return { kind: 'rolled-back', revision: found.revision, object, ...(dryRun === 'server' ? { dryRun } : {}) };
}

/**
 * Returns kubectl's text after an undo: `cloneset.apps.kruise.io/web rolled back` (`... (server dry
 * run)`), the skip message, or for a client dry run `will roll back to` and the pod template.
 */
export function undoMessage(ref: WorkloadRef, outcome: Exclude<UndoOutcome, { kind: 'failed' }>): string {
  switch (outcome.kind) {
    case 'rolled-back':
      return `${resourceName(ref)} rolled back${outcome.dryRun === 'server' ? ' (server dry run)' : ''}`;
    case 'would-roll-back':
      return `${resourceName(ref)} will roll back to revision ${String(outcome.revision)}: ${describeTemplate(outcome.template).trimEnd()}`;
    case 'skipped':
      return `${resourceName(ref)} ${outcome.message}`;
  }
}
