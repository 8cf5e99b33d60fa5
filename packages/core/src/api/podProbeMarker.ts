import { z } from 'zod';
import { LabelSelectorSchema } from '../shared/selector.js';
import { CrrProbeHandlerSchema } from './containerRecreateRequest.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io/v1alpha1` PodProbeMarker (`apis/apps/v1alpha1/pod_probe_marker_types.go`, short
 * name `ppm`) and NodePodProbe (`node_pod_probe_types.go`, cluster-scoped, one per node, named after
 * it). A PodProbeMarker asks kruise-daemon to run custom probes in the containers of the pods it
 * selects; the results land on the pods as a condition and marker labels/annotations. OpenKruise
 * serves both in v1alpha1 only (no conversion).
 */

/** `apiVersion` of PodProbeMarker and NodePodProbe. */
export const POD_PROBE_API_VERSION = 'apps.kruise.io/v1alpha1';
/** Finalizer on a PodProbeMarker: its probes are removed from the NodePodProbes before it goes. */
export const POD_PROBE_MARKER_FINALIZER = 'kruise.io/node-pod-probe-cleanup';
/** Pod annotation with the probe specs (serverless pods, which probe themselves). */
export const POD_PROBE_MARKER_ANNOTATION = 'kruise.io/podprobe';
/** Pod annotation listing the PodProbeMarkers injected into it (serverless pods). */
export const POD_PROBE_MARKER_LIST_ANNOTATION = 'kruise.io/podprobemarker-list';

/** Schema of a `ProbeState`: the outcome of a custom probe. */
export const ProbeStateSchema = z.enum(['Succeeded', 'Failed', 'Unknown']);
/** `Succeeded`, `Failed`, or `Unknown` (the daemon has no result yet). */
export type ProbeState = z.infer<typeof ProbeStateSchema>;

/**
 * Schema of a `ContainerProbeSpec` (a `corev1.Probe`): one handler (exec, httpGet or tcpSocket;
 * grpc is accepted by the CRD but never run, as in OpenKruise) and the timing fields. Nothing is
 * defaulted on the object; the daemon treats `periodSeconds`, `initialDelaySeconds`,
 * `timeoutSeconds` and both thresholds below 1 as 1 (OpenKruise's worker).
 */
export const ContainerProbeSpecSchema = CrrProbeHandlerSchema.extend({
  grpc: z.looseObject({ port: z.int32(), service: z.string().optional() }).optional(),
  initialDelaySeconds: z.int32().optional(),
  timeoutSeconds: z.int32().optional(),
  periodSeconds: z.int32().optional(),
  successThreshold: z.int32().optional(),
  failureThreshold: z.int32().optional(),
  terminationGracePeriodSeconds: z.int().optional(),
});
/** A custom probe: handler and timing. */
export type ContainerProbeSpec = z.infer<typeof ContainerProbeSpecSchema>;

/** Schema of a `ProbeMarkerPolicy`: what to put on the pod while the probe is in `state`. */
export const ProbeMarkerPolicySchema = z.looseObject({
  state: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
/** Labels and annotations for one probe state (`Succeeded` or `Failed`). */
export type ProbeMarkerPolicy = z.infer<typeof ProbeMarkerPolicySchema>;

/** Schema of a `PodContainerProbe`: one named probe of a PodProbeMarker. */
export const PodContainerProbeSchema = z.looseObject({
  /** Unique in the pod across containers; no `#`. */
  name: z.string(),
  containerName: z.string(),
  probe: ContainerProbeSpecSchema,
  markerPolicy: z.array(ProbeMarkerPolicySchema).optional(),
  /** The pod condition that records the result (True = Succeeded). */
  podConditionType: z.string().optional(),
});
/** One probe of a PodProbeMarker. */
export type PodContainerProbe = z.infer<typeof PodContainerProbeSchema>;

/** Schema of a PodProbeMarker. */
export const PodProbeMarkerSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: z.looseObject({
    selector: LabelSelectorSchema,
    probes: z.array(PodContainerProbeSchema),
  }),
  status: z
    .looseObject({
      observedGeneration: z.int().optional(),
      matchedPods: z.int().optional(),
    })
    .optional(),
});
/** An `apps.kruise.io/v1alpha1` PodProbeMarker. */
export type PodProbeMarker = z.infer<typeof PodProbeMarkerSchema>;

/** Schema of a NodePodProbe `ContainerProbe`: a PodProbeMarker's probe copied for one pod. */
export const NodeContainerProbeSchema = z.looseObject({
  /** `<podProbeMarker>#<probe>`. */
  name: z.string(),
  containerName: z.string(),
  probe: ContainerProbeSpecSchema,
});
/** A probe the daemon runs (named ports already resolved to numbers). */
export type NodeContainerProbe = z.infer<typeof NodeContainerProbeSchema>;

/** Schema of a NodePodProbe `PodProbe`: the probes of one pod on the node. */
export const PodProbeSchema = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  uid: z.string(),
  /** The pod IP (HTTP and TCP probes connect to it when they name no host). */
  IP: z.string(),
  probes: z.array(NodeContainerProbeSchema).optional(),
});
/** One pod's probes. */
export type PodProbe = z.infer<typeof PodProbeSchema>;

/** Schema of a `ContainerProbeState`: the last result of one probe. */
export const ContainerProbeStateSchema = z.looseObject({
  name: z.string(),
  state: z.string(),
  lastProbeTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  message: z.string().optional(),
});
/** The result of one probe as the daemon reports it. */
export type ContainerProbeState = z.infer<typeof ContainerProbeStateSchema>;

/** Schema of a `PodProbeStatus`: the results of one pod's probes. */
export const PodProbeStatusSchema = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  uid: z.string(),
  probeStates: z.array(ContainerProbeStateSchema).optional(),
});
/** The results of one pod's probes. */
export type PodProbeStatus = z.infer<typeof PodProbeStatusSchema>;

/** Schema of a NodePodProbe's spec. */
export const NodePodProbeSpecSchema = z.looseObject({ podProbes: z.array(PodProbeSchema).optional() });
/** What the daemon of the node probes. */
export type NodePodProbeSpec = z.infer<typeof NodePodProbeSpecSchema>;
/** Schema of a NodePodProbe's status. */
export const NodePodProbeStatusSchema = z.looseObject({ podProbeStatuses: z.array(PodProbeStatusSchema).optional() });
/** The daemon's results. */
export type NodePodProbeStatus = z.infer<typeof NodePodProbeStatusSchema>;

/** Schema of a NodePodProbe (cluster-scoped, named after its node). */
export const NodePodProbeSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: NodePodProbeSpecSchema.optional(),
  status: NodePodProbeStatusSchema.optional(),
});
/** An `apps.kruise.io/v1alpha1` NodePodProbe. */
export type NodePodProbe = z.infer<typeof NodePodProbeSchema>;
