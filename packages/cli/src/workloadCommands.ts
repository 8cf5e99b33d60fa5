import { templateFromRevision, type SidecarSet } from '@kruise-ts/core';
import { Resources } from '@kruise-ts/k8s-adapter';
import { EXIT, fail, print, str, wholeNumber, type CliIo } from './cliIo.js';
import { COMMANDS } from './commandTable.js';
import { completionScript, SHELLS, type Shell } from './completionScript.js';
import { explainCloneSet, explainDaemonSet, explainStatefulSet, explanationLines, ownerOfPod } from './explainWorkload.js';
import type { FlagValues } from './parseCommandLine.js';
import { resourceName } from './rolloutCommands.js';
import { describeSidecarSetRevision } from './describeSidecarSetRevision.js';
import { DEFAULT_KRUISE_NAMESPACE, describeTemplate, historyRows, historyTable, readHistory, undoMessage, undoRollout } from './rolloutHistory.js';
import { approveMessage, restartWorkload, scaleDown, unsupportedMessage } from './workloadEdits.js';
import { rolloutRef, workloadRef, type RolloutRef, type WorkloadRef } from './workloadRef.js';

async function history(io: CliIo, ref: RolloutRef, flags: FlagValues, namespace: string, output: string | undefined): Promise<number> {
  const revision = wholeNumber(io, flags, 'revision');
  if (revision === undefined) return EXIT.usage;
  const sidecarSet = ref.kind === 'SidecarSet';
  const { workload, revisions } = await readHistory(await io.client(str(flags, 'kubeconfig')), ref, namespace, str(flags, 'kruise-namespace') ?? DEFAULT_KRUISE_NAMESPACE);
  const where = sidecarSet ? {} : { namespace };
  if (revision > 0) {
    const found = revisions.find((r) => r.revision === revision);
    if (found === undefined) return fail(io, 'unable to find the specified revision');
    const unparsable = () => fail(io, `unable to parse history ${found.metadata.name ?? ''}`);
    if (sidecarSet) {
      // A SidecarSet revision records the injected part of its spec, not a pod template.
      const text = describeSidecarSetRevision(workload as unknown as SidecarSet, found);
      if (text === undefined) return unparsable();
      if (output === undefined) io.stdout(`${resourceName(ref)} with revision #${String(revision)}\n${text}`);
      else print(io, output, { revision, name: found.metadata.name, spec: (found.data as { spec?: unknown }).spec });
      return EXIT.ok;
    }
    const template = templateFromRevision(found);
    if (template === undefined) return unparsable();
    if (output === undefined) io.stdout(`${resourceName(ref)} with revision #${String(revision)}\n${describeTemplate(template)}`);
    else print(io, output, { revision, name: found.metadata.name, template });
    return EXIT.ok;
  }
  if (output === undefined) io.stdout(`${resourceName(ref)}\n${historyTable(historyRows(revisions))}`);
  else print(io, output, { kind: ref.kind, ...where, name: ref.name, revisions: historyRows(revisions) });
  return EXIT.ok;
}

async function undo(io: CliIo, ref: WorkloadRef, flags: FlagValues, namespace: string, output: string | undefined): Promise<number> {
  const to = wholeNumber(io, flags, 'to-revision');
  if (to === undefined) return EXIT.usage;
  const dryRun = str(flags, 'dry-run') ?? 'none';
  if (dryRun !== 'none' && dryRun !== 'client' && dryRun !== 'server') return fail(io, `--dry-run: "${dryRun}" is not none, client or server`, EXIT.usage);
  const outcome = await undoRollout(await io.client(str(flags, 'kubeconfig')), ref, namespace, to, dryRun);
  if (outcome.kind === 'failed') return fail(io, outcome.message);
  if (output === undefined) io.stdout(`${undoMessage(ref, outcome)}\n`);
  else if (outcome.kind === 'rolled-back') print(io, output, outcome.object);
  else if (outcome.kind === 'would-roll-back') print(io, output, { kind: ref.kind, namespace, name: ref.name, dryRun: 'client', revision: outcome.revision, template: outcome.template });
  else print(io, output, { kind: ref.kind, namespace, name: ref.name, skipped: true, revision: outcome.revision, message: outcome.message });
  return EXIT.ok;
}

async function scaledown(io: CliIo, ref: WorkloadRef, flags: FlagValues, namespace: string, output: string | undefined): Promise<number> {
  const pods = (str(flags, 'pods') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (pods.length === 0) return fail(io, '--pods: must specify one pod name (a,b,c)', EXIT.usage);
  const client = await io.client(str(flags, 'kubeconfig'));
  const workload = await client.get(ref.type, { namespace, name: ref.name });
  const listed = await client.list(Resources.Pod, { namespace });
  const owned = new Set(listed.items.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.uid === workload.metadata.uid)).map((p) => p.metadata.name ?? ''));
  const outcome = await scaleDown(client, ref, namespace, pods, owned);
  if (outcome.kind === 'invalid') return fail(io, outcome.message, EXIT.usage);
  if (output === undefined) io.stdout(`${resourceName(ref)} scaled down: pods ${pods.join(', ')} deleted\n`);
  else print(io, output, outcome.object);
  return EXIT.ok;
}

async function explain(io: CliIo, positionals: readonly string[], flags: FlagValues, namespace: string, output: string | undefined): Promise<number> {
  const [first = '', second] = positionals;
  const podName = /^(pod|pods|po)\//.exec(first) !== null ? first.slice(first.indexOf('/') + 1) : ['pod', 'pods', 'po'].includes(first) ? second : undefined;
  // The command line is checked before any request.
  const ref = podName === undefined ? workloadRef(positionals) : undefined;
  if (ref !== undefined && !('type' in ref)) return fail(io, ref.message, EXIT.usage);
  if (podName === '') return fail(io, 'NAME: the pod\'s name is required', EXIT.usage);
  const client = await io.client(str(flags, 'kubeconfig'));
  const owner: { readonly kind: string; readonly name: string } = ref ?? (await ownerOfPod(client, namespace, podName ?? ''));
  const explainer = owner.kind === 'CloneSet' ? explainCloneSet : owner.kind === 'StatefulSet' ? explainStatefulSet : explainDaemonSet;
  const explained = await explainer(client, namespace, owner.name, io.clock.now());
  const shown = podName === undefined ? explained : { ...explained, pods: explained.pods.filter((p) => p.pod === podName) };
  if (output === undefined) io.stdout(`${explanationLines(shown).join('\n')}\n`);
  else print(io, output, shown);
  return EXIT.ok;
}

function completion(io: CliIo, positionals: readonly string[]): number {
  const [shell, ...rest] = positionals;
  if (shell === undefined || !(SHELLS as readonly string[]).includes(shell) || rest.length > 0) return fail(io, `completion: SHELL must be one of ${SHELLS.join(', ')}${shell === undefined ? '' : ` (got ${positionals.join(' ')})`}`, EXIT.usage);
  io.stdout(completionScript(shell as Shell, COMMANDS));
  return EXIT.ok;
}

/**
 * Runs `rollout history|undo|restart|approve`, `scaledown`, `explain` and `completion`; returns
 * undefined for any other command (runCli's own).
 */
export async function runWorkloadCommand(io: CliIo, path: readonly string[], positionals: readonly string[], flags: FlagValues): Promise<number | undefined> {
  const namespace = str(flags, 'namespace') ?? 'default';
  const output = str(flags, 'output');
  const [group, verb] = path;
  if (group === 'completion') return completion(io, positionals);
  if (group === 'explain') return explain(io, positionals, flags, namespace, output);
  const edits = ['history', 'undo', 'restart', 'approve'];
  if (group !== 'scaledown' && !(group === 'rollout' && edits.includes(verb ?? ''))) return undefined;
  if (group === 'rollout') {
    // A SidecarSet has a history; kubectl-kruise has no rollbacker, restarter or approver for it.
    const any = rolloutRef(positionals);
    if (!('type' in any)) return fail(io, any.message, EXIT.usage);
    if (verb === 'history') return history(io, any, flags, namespace, output);
    if (any.kind === 'SidecarSet') {
      await (await io.client(str(flags, 'kubeconfig'))).get(any.type, { name: any.name });
      return fail(io, verb === 'undo' ? 'no rollbacker has been implemented for "SidecarSet.apps.kruise.io"' : unsupportedMessage(any, verb === 'restart' ? 'restarting' : 'approving'));
    }
  }
  const ref = workloadRef(positionals);
  if (!('type' in ref)) return fail(io, ref.message, EXIT.usage);
  if (group === 'scaledown') return scaledown(io, ref, flags, namespace, output);
  switch (verb) {
    case 'undo':
      return undo(io, ref, flags, namespace, output);
    case 'restart': {
      const object = await restartWorkload(await io.client(str(flags, 'kubeconfig')), ref, namespace, io.clock.now());
      if (output === undefined) io.stdout(`${resourceName(ref)} restarted\n`);
      else print(io, output, object);
      return EXIT.ok;
    }
    case 'approve':
      // kubectl-kruise approves only Kruise Rollout canary steps; it refuses workloads.
      await (await io.client(str(flags, 'kubeconfig'))).get(ref.type, { namespace, name: ref.name });
      return fail(io, approveMessage(ref));
    case undefined:
    default:
      return undefined;
  }
}
