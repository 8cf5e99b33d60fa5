import type { Clock, KubeClient, KubeReader } from '@kruise-ts/k8s-adapter';
import type { Registry } from 'prom-client';
import type { Logger } from '../runtime/logger.js';
import { createDirectoryCertificateSource } from './certificates/directoryCertificateSource.js';
import { createSecretCertificateSource } from './certificates/secretCertificateSource.js';
import { createBuiltinWebhooks, type WebhookFeatureGates } from './createBuiltinWebhooks.js';
import { createWebhookRuntime, type WebhookRuntime } from './createWebhookRuntime.js';
import type { PodMutator } from './pod/podMutatingWebhook.js';
import type { WebhookSettings } from './resolveWebhookSettings.js';
import type { SidecarSetSource } from './sidecarset/sidecarSetSource.js';
import { webhookHosts } from './webhookConfigurations.js';

/** What {@link createManagerWebhooks} needs besides the settings. */
export interface ManagerWebhooksDeps {
  /** The client every webhook writes and reads with (kruise-ts-manager: tracked by the server clock, so the webhooks' writes sample it too). */
  readonly client: KubeClient;
  /**
   * The time the webhooks write into objects (PUB disruptedPods, WorkloadSpread creating/deleting
   * pods, NodeImage createdAt, sidecar update times) and issue certificates at: kruise-ts-manager
   * passes its `ServerClock`, the apiserver's time, which the controllers and the apiserver judge
   * those times by (ADR 0022). Its `sleep` paces certificate and configuration syncs.
   */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** Extra pod mutators of `/mutate-pod`, after the built-in ones (see {@link createBuiltinWebhooks}). */
  readonly podMutators?: readonly PodMutator[] | undefined;
  /** The SidecarSet cache SidecarSet injection and validation read. */
  readonly sidecarSets?: SidecarSetSource | undefined;
  /** The informer cache the pod and deletion-protection webhooks read (see {@link createBuiltinWebhooks}'s `reader`). */
  readonly reader?: KubeReader | undefined;
  readonly featureGates?: WebhookFeatureGates | undefined;
  /** The workload kinds whose pods the WorkloadSpread pod webhooks place by version (see {@link createBuiltinWebhooks}). */
  readonly workloadSpreadVersionedKinds?: ReadonlySet<string> | undefined;
}

/**
 * Returns the manager's {@link WebhookRuntime} from its settings: the built-in webhooks, the
 * certificates (Secret `namespace/secret-name` covering the Service names and the URL host, or the
 * external directory) and the client config (Service or URL).
 */
export function createManagerWebhooks(settings: WebhookSettings, deps: ManagerWebhooksDeps): WebhookRuntime {
  const registry = createBuiltinWebhooks({
    client: deps.client,
    clock: deps.clock,
    podFailurePolicy: settings.podFailurePolicy,
    managerNamespace: settings.namespace,
    podMutators: deps.podMutators,
    sidecarSets: deps.sidecarSets,
    reader: deps.reader,
    featureGates: deps.featureGates,
    workloadSpreadVersionedKinds: deps.workloadSpreadVersionedKinds,
  });
  const hosts = webhookHosts(settings.clientConfig, { namespace: settings.namespace, name: settings.serviceName });
  const certificates =
    settings.certificates.kind === 'directory'
      ? createDirectoryCertificateSource({ directory: settings.certificates.path, logger: deps.logger })
      : createSecretCertificateSource({ client: deps.client, clock: deps.clock, logger: deps.logger, namespace: settings.certificates.namespace, name: settings.certificates.name, hosts });
  return createWebhookRuntime({ ...deps, registry, listen: settings.listen, clientConfig: settings.clientConfig, overrides: settings.overrides, certificates });
}
