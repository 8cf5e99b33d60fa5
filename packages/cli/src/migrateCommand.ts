import { withCloneSetDefaults } from '@kruise-ts/core';
import { KruiseResources, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';
import { EXIT, fail, print, str, type CliIo } from './cliIo.js';
import { parseDuration, type FlagValues } from './parseCommandLine.js';
import { cloneSetFromDeployment, planMigrationStep, type DeploymentLike } from './planMigration.js';

function count(io: CliIo, flags: FlagValues, name: string, fallback: number, min: number): number | undefined {
  const text = str(flags, name);
  if (text === undefined) return fallback;
  if (/^\d+$/.test(text) && Number(text) >= min) return Number(text);
  fail(io, `--${name}: "${text}" is not a whole number of at least ${String(min)}`, EXIT.usage);
  return undefined;
}

const scaleBody = (replicas: number) => ({ type: 'merge' as const, body: { spec: { replicas } } });

async function readBoth(client: KubeClient, namespace: string, source: string, target: string) {
  const deployment = (await client.get(Resources.Deployment, { namespace, name: source })) as unknown as DeploymentLike;
  const cloneSet = await client.get(KruiseResources.CloneSet, { namespace, name: target });
  return { deployment, cloneSet };
}

/**
 * Runs `kruise-ts migrate deployment/NAME --to cloneset`: creates the CloneSet from the Deployment
 * (0 replicas, adopting nothing) unless it exists, then moves `--replicas` (default all) over, as
 * kruise-tools' migrate does: the CloneSet grows by at most `--max-surge` ahead of the Deployment,
 * which shrinks once every CloneSet pod is available ({@link planMigrationStep}). `--dry-run`
 * prints the CloneSet it would create and writes nothing.
 *
 * @example migrate deployment/web --to cloneset (4 replicas, maxSurge 1) → "cloneset.apps.kruise.io/web created",
 *   "Migration progress: Deployment/web scale in 0, CloneSet/web scale out 1", ..., "Successfully migrated 4 replicas from Deployment/web to CloneSet/web"
 */
export async function migrateCommand(io: CliIo, positionals: readonly string[], flags: FlagValues): Promise<number> {
  const [first = '', second] = positionals;
  const [type = '', source = ''] = first.includes('/') && second === undefined ? first.split('/', 2) : [first, second ?? ''];
  if (!['deployment', 'deployments', 'deploy', 'deployment.apps'].includes(type.toLowerCase())) return fail(io, `TYPE: only a Deployment can be migrated (got "${type}")`, EXIT.usage);
  if (source === '') return fail(io, "NAME: the Deployment's name is required", EXIT.usage);
  const to = (str(flags, 'to') ?? '').toLowerCase();
  if (!['cloneset', 'clonesets', 'cs', 'clone'].includes(to)) return fail(io, `--to: must be cloneset${to === '' ? '' : ` (got "${to}")`}`, EXIT.usage);
  const target = str(flags, 'dst-name') ?? source;
  const maxSurge = count(io, flags, 'max-surge', 1, 1);
  if (maxSurge === undefined) return EXIT.usage;
  const timeout = parseDuration(str(flags, 'timeout') ?? '0s');
  if (timeout.kind === 'invalid') return fail(io, `--timeout: ${timeout.message}`, EXIT.usage);
  const namespace = str(flags, 'namespace') ?? 'default';
  const output = str(flags, 'output');
  const client = await io.client(str(flags, 'kubeconfig'));
  const deployment = (await client.get(Resources.Deployment, { namespace, name: source })) as unknown as DeploymentLike;
  const replicas = count(io, flags, 'replicas', deployment.spec.replicas ?? 1, 1);
  if (replicas === undefined) return EXIT.usage;
  const wanted = withCloneSetDefaults(cloneSetFromDeployment(deployment, target));
  if (flags['dry-run'] === true) {
    if (output === undefined) io.stdout(`cloneset.apps.kruise.io/${target} would be created with 0 replicas, then ${String(replicas)} replicas moved from Deployment/${source} (max surge ${String(maxSurge)}) (dry run)\n`);
    else print(io, output, wanted);
    return EXIT.ok;
  }
  const exists = await client.get(KruiseResources.CloneSet, { namespace, name: target }).then(() => true, () => false);
  if (!exists) {
    await client.create(KruiseResources.CloneSet, { ...wanted, metadata: { ...wanted.metadata, namespace } } as never);
    if (output === undefined) io.stdout(`cloneset.apps.kruise.io/${target} created\n`);
  }
  const started = io.clock.now();
  let scaledIn = 0;
  let scaledOut = 0;
  for (;;) {
    const now = await readBoth(client, namespace, source, target);
    const step = planMigrationStep({
      replicas,
      maxSurge,
      scaledIn,
      scaledOut,
      deployment: { replicas: now.deployment.spec.replicas ?? 1, generation: now.deployment.metadata.generation ?? 0, observedGeneration: now.deployment.status?.observedGeneration ?? 0 },
      cloneSet: { replicas: now.cloneSet.spec.replicas ?? 0, generation: now.cloneSet.metadata.generation ?? 0, observedGeneration: now.cloneSet.status?.observedGeneration ?? 0, availableReplicas: now.cloneSet.status?.availableReplicas ?? 0 },
    });
    if (step.kind === 'done') break;
    if (step.kind === 'scale-out') {
      await client.patch(KruiseResources.CloneSet, { namespace, name: target }, scaleBody(step.cloneSetReplicas));
      scaledOut += step.by;
    } else if (step.kind === 'scale-in') {
      await client.patch(Resources.Deployment, { namespace, name: source }, scaleBody(step.deploymentReplicas));
      scaledIn += step.by;
    } else {
      if (timeout.ms > 0 && io.clock.now() - started >= timeout.ms) return fail(io, `failed to migrate: timed out (${String(scaledIn)} scaled in, ${String(scaledOut)} scaled out; waiting: ${step.reason})`);
      await io.clock.sleep(1000);
      continue;
    }
    if (output === undefined) io.stdout(`Migration progress: Deployment/${source} scale in ${String(scaledIn)}, CloneSet/${target} scale out ${String(scaledOut)}\n`);
  }
  if (output === undefined) io.stdout(`Successfully migrated ${String(replicas)} replicas from Deployment/${source} to CloneSet/${target}\n`);
  else print(io, output, { from: { kind: 'Deployment', namespace, name: source }, to: { kind: 'CloneSet', namespace, name: target }, replicas, maxSurge, scaledIn, scaledOut });
  return EXIT.ok;
}
