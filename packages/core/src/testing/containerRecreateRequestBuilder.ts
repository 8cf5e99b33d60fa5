import { CRR_API_VERSION, CRR_KIND, type ContainerRecreateRequest, type CrrSpec, type CrrStatus } from '../api/containerRecreateRequest.js';

/** Options of {@link aContainerRecreateRequest}: any spec field, plus metadata and status. */
export type ContainerRecreateRequestOptions = Partial<CrrSpec> & {
  /** `metadata.name` (default `crr-<podName>`). */
  readonly name?: string;
  /** `metadata.namespace` (default `default`). */
  readonly namespace?: string;
  readonly uid?: string;
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
  readonly status?: CrrStatus;
};

/**
 * Returns an `apps.kruise.io/v1alpha1` ContainerRecreateRequest for tests: pod `web-0` and
 * container `app` unless given.
 *
 * @example aContainerRecreateRequest({ containers: [{ name: 'sidecar' }], strategy: { orderedRecreate: true } })
 *   → `default/crr-web-0` recreating sidecar of web-0
 */
export function aContainerRecreateRequest(options: ContainerRecreateRequestOptions = {}): ContainerRecreateRequest {
  const { podName = 'web-0', containers = [{ name: 'app' }], name = `crr-${podName}`, namespace = 'default', uid, creationTimestamp, labels, annotations, finalizers, status, ...spec } = options;
  return {
    apiVersion: CRR_API_VERSION,
    kind: CRR_KIND,
    metadata: {
      name,
      namespace,
      uid: uid ?? `uid-${name}`,
      ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
      ...(labels === undefined ? {} : { labels: { ...labels } }),
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
    },
    spec: { podName, containers, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}
