import { cascadingCountNeeded, decideDeletionProtection, isPodActive, PodSchema, type ProtectedKind } from '@kruise-ts/core';
import { Resources, type KubeClient, type KubeReader, type ResourceType } from '@kruise-ts/k8s-adapter';
import { allow, deny } from '../admissionDecisions.js';
import type { AdmissionRequest, AdmissionWebhook } from '../admissionTypes.js';
import { DELETION_PROTECTION_VALIDATING_WEBHOOK } from '../builtinWebhookSpecs.js';

/** Options of {@link deletionProtectionWebhook}. */
export interface DeletionProtectionOptions {
  /** Lists a CRD's custom resources (Cascading; never cached: an informer per CRD being deleted would outlive it). */
  readonly client: KubeClient;
  /** Lists a namespace's pods and PVCs (Cascading): the manager's informer cache (default `client`), as OpenKruise's cached client. */
  readonly reader?: KubeReader | undefined;
  readonly featureGates?: { readonly ResourcesDeletionProtection?: boolean | undefined; readonly DeletionProtectionForCRDCascadingGate?: boolean | undefined } | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The kind of a protected object, from the resource a DELETE names. */
function protectedKind(resource: AdmissionRequest['resource']): ProtectedKind | undefined {
  const key = `${resource.group}/${resource.resource}`;
  if (key === '/namespaces') return 'namespace';
  if (key === '/services') return 'service';
  if (key === 'networking.k8s.io/ingresses') return 'ingress';
  if (key === 'apiextensions.k8s.io/customresourcedefinitions') return 'crd';
  if (['apps/deployments', 'apps/replicasets', 'apps/statefulsets'].includes(key)) return 'workload';
  if (resource.group === 'apps.kruise.io' && ['clonesets', 'statefulsets', 'daemonsets', 'uniteddeployments'].includes(resource.resource)) return 'workload';
  return undefined;
}

type Counted<T> = { readonly kind: 'counted'; readonly counts: T } | { readonly kind: 'failed'; readonly message: string };
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function namespaceContents(client: KubeReader, namespace: string, signal: AbortSignal): Promise<Counted<{ activePods: number; boundPvcs: number }>> {
  let activePods: number;
  try {
    const pods = await client.list(Resources.Pod, { namespace, signal });
    activePods = pods.items.filter((pod) => {
      const parsed = PodSchema.safeParse(pod);
      return parsed.success && isPodActive(parsed.data);
    }).length;
  } catch (error) {
    return { kind: 'failed', message: `forbidden by ResourcesProtectionDeletion for list pods error: ${errorText(error)}` };
  }
  try {
    const pvcs = await client.list(Resources.PersistentVolumeClaim, { namespace, signal });
    const boundPvcs = pvcs.items.filter((pvc) => pvc.metadata.deletionTimestamp === undefined && (pvc as { status?: { phase?: string } }).status?.phase === 'Bound').length;
    return { kind: 'counted', counts: { activePods, boundPvcs } };
  } catch (error) {
    return { kind: 'failed', message: `forbidden by ResourcesProtectionDeletion for list pvc error: ${errorText(error)}` };
  }
}

// The CRD's custom resources, listed in its storage version across all namespaces.
async function customResources(client: KubeClient, crd: Json, signal: AbortSignal): Promise<Counted<{ activeCustomResources: number }>> {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const version = versions.find((v) => v.storage === true) ?? versions.find((v) => v.served === true);
  const type = {
    group: text(spec.group),
    version: text(version?.name),
    kind: text(names.kind),
    plural: text(names.plural),
    namespaced: spec.scope === 'Namespaced',
  } as ResourceType;
  try {
    const list = await client.list(type, { signal });
    return { kind: 'counted', counts: { activeCustomResources: list.items.filter((item) => item.metadata.deletionTimestamp === undefined).length } };
  } catch (error) {
    return { kind: 'failed', message: `failed to list CRs of ${type.group}/${type.version}, Kind=${type.kind}: ${errorText(error)}` };
  }
}

/**
 * Returns the deletion-protection webhook (OpenKruise's ResourcesDeletionProtection handlers of
 * Namespaces, Services, Ingresses, CRDs, Deployments, ReplicaSets, StatefulSets and the Kruise
 * workloads, one webhook here): on DELETE of an object labelled `policy.kruise.io/delete-protection`
 * core's `decideDeletionProtection` decides, after counting a Cascading namespace's active pods
 * and Bound PVCs, or a Cascading CRD's custom resources. A refusal is a 403 with OpenKruise's
 * message. Nothing is refused while ResourcesDeletionProtection is off.
 *
 * @example DELETE of a namespace labelled Always → 403 'forbidden by ResourcesProtectionDeletion for policy.kruise.io/delete-protection=Always'
 */
export function deletionProtectionWebhook(options: DeletionProtectionOptions): AdmissionWebhook {
  const enabled = options.featureGates?.ResourcesDeletionProtection === true;
  const crdCascading = options.featureGates?.DeletionProtectionForCRDCascadingGate === true;
  return {
    ...DELETION_PROTECTION_VALIDATING_WEBHOOK,
    async handle(request, context) {
      const kind = protectedKind(request.resource);
      if (request.operation !== 'DELETE' || kind === undefined || !isObject(request.oldObject)) return allow();
      const object = request.oldObject;
      const metadata = isObject(object.metadata) ? object.metadata : {};
      const labels = isObject(metadata.labels) ? (metadata.labels as Record<string, string>) : undefined;
      const base = { kind, labels, deleting: metadata.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null, enabled, crdCascading };
      const spec = isObject(object.spec) ? object.spec : {};
      const replicas = typeof spec.replicas === 'number' ? spec.replicas : undefined;
      const needed = cascadingCountNeeded(base);
      const counted =
        needed === 'namespace-contents'
          ? await namespaceContents(options.reader ?? options.client, text(metadata.name) || (request.name ?? ''), context.signal)
          : needed === 'custom-resources'
            ? await customResources(options.client, object, context.signal)
            : { kind: 'counted' as const, counts: {} };
      if (counted.kind === 'failed') return deny(counted.message, { code: 403 });
      const decision = decideDeletionProtection({ ...base, replicas, ...counted.counts });
      return decision.kind === 'allow' ? allow() : deny(decision.message, { code: 403 });
    },
  };
}
