import { z } from 'zod';
import { ContainerPortSchema } from './pod.js';
import { ObjectMetaSchema } from './objectMeta.js';

/**
 * `apps.kruise.io/v1alpha1` ContainerRecreateRequest (`apis/apps/v1alpha1/containerrecreaterequest_types.go`,
 * short name `crr`): asks the kruise-daemon of the pod's node to stop some containers of one pod
 * (preStop first) so the kubelet starts them again, and reports each container's progress.
 * OpenKruise serves it in v1alpha1 only.
 */

/** `apiVersion` of a ContainerRecreateRequest. */
export const CRR_API_VERSION = 'apps.kruise.io/v1alpha1';
/** `kind` of a ContainerRecreateRequest. */
export const CRR_KIND = 'ContainerRecreateRequest';

/** [Immutable] label: the name of the pod (set by the mutating webhook from `spec.podName`). */
export const CRR_POD_NAME_LABEL = 'crr.apps.kruise.io/pod-name';
/** [Immutable] label: the uid of the pod at creation (the controller completes the CRR when it changes). */
export const CRR_POD_UID_LABEL = 'crr.apps.kruise.io/pod-uid';
/** [Immutable] label: the pod's node; the daemon of that node watches the CRRs carrying its name. */
export const CRR_NODE_NAME_LABEL = 'crr.apps.kruise.io/node-name';
/** Label `"true"` while the CRR is not finished; the controller removes it once completed. */
export const CRR_ACTIVE_LABEL = 'crr.apps.kruise.io/active';
/** Annotation: JSON list of the pod's container statuses for the CRR's containers (synced while Recreating). */
export const CRR_SYNC_CONTAINER_STATUSES_ANNOTATION = 'crr.apps.kruise.io/sync-container-statuses';
/**
 * Annotation (RFC 3339 time) and finalizer: the pod has been held not ready (KruisePodReady) for
 * `unreadyGracePeriodSeconds`; the finalizer is there while the controller holds the pod.
 */
export const CRR_UNREADY_ACQUIRED_KEY = 'crr.apps.kruise.io/unready-acquired';

/** The phases of a CRR and of each of its containers. */
export const CrrPhaseSchema = z.enum(['Pending', 'Recreating', 'Succeeded', 'Failed', 'Completed']);
/** `Pending`, `Recreating`, `Succeeded`, `Failed` (containers) and `Completed` (the CRR). */
export type CrrPhase = z.infer<typeof CrrPhaseSchema>;

/** Schema of a `ProbeHandler` (the container's preStop as copied by the webhook). */
export const CrrProbeHandlerSchema = z.looseObject({
  exec: z.looseObject({ command: z.array(z.string()).optional() }).optional(),
  httpGet: z
    .looseObject({
      path: z.string().optional(),
      port: z.union([z.number().int(), z.string()]),
      host: z.string().optional(),
      scheme: z.string().optional(),
      httpHeaders: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
    })
    .optional(),
  tcpSocket: z.looseObject({ port: z.union([z.number().int(), z.string()]), host: z.string().optional() }).optional(),
});
/** An exec, HTTP GET or TCP action. */
export type CrrProbeHandler = z.infer<typeof CrrProbeHandlerSchema>;

/** Schema of `ContainerRecreateRequestContainerContext`. */
export const CrrContainerContextSchema = z.looseObject({
  /** `<runtime>://<id>` of the container when the CRR was created. */
  containerID: z.string(),
  /** Its restart count then. */
  restartCount: z.int32(),
});
/** The container's id and restart count when the CRR was created. */
export type CrrContainerContext = z.infer<typeof CrrContainerContextSchema>;

/** Schema of `ContainerRecreateRequestContainer`. */
export const CrrContainerSchema = z.looseObject({
  /** A container of `pod.spec.containers`. */
  name: z.string(),
  /** Read-only: the container's preStop, copied by the webhook. */
  preStop: CrrProbeHandlerSchema.optional(),
  /** Read-only: the container's ports (copied when the preStop is an HTTP GET). */
  ports: z.array(ContainerPortSchema).optional(),
  /** Read-only: filled by the webhook (and the daemon when missing). */
  statusContext: CrrContainerContextSchema.optional(),
});
/** One container to recreate. */
export type CrrContainer = z.infer<typeof CrrContainerSchema>;

/** Schema of `ContainerRecreateRequestStrategy`. */
export const CrrStrategySchema = z.looseObject({
  /** `Fail` (default: a failed container completes the CRR) or `Ignore` (go on with the others). */
  failurePolicy: z.enum(['Fail', 'Ignore']).optional(),
  /** Recreate the next container only once the previous one has been recreated. */
  orderedRecreate: z.boolean().optional(),
  /** Kill the container even when it is not running (OpenKruise keeps the field). */
  forceRecreate: z.boolean().optional(),
  /** Seconds to wait for the container to stop (default: the pod's, else 30). */
  terminationGracePeriodSeconds: z.int().optional(),
  /** Seconds the pod is held not ready before the preStop and the stop. */
  unreadyGracePeriodSeconds: z.int().optional(),
  /** Seconds a new container must have been started (and ready) to count as Succeeded. */
  minStartedSeconds: z.int32().optional(),
});
/** How the containers are recreated. */
export type CrrStrategy = z.infer<typeof CrrStrategySchema>;

/** Schema of the `spec`. */
export const CrrSpecSchema = z.looseObject({
  podName: z.string(),
  containers: z.array(CrrContainerSchema),
  strategy: CrrStrategySchema.optional(),
  /** Seconds after creation at which an unfinished CRR is completed with its containers Failed. */
  activeDeadlineSeconds: z.int().optional(),
  /** Seconds after completion at which the controller deletes the CRR. */
  ttlSecondsAfterFinished: z.int32().optional(),
});
/** The spec of a ContainerRecreateRequest. */
export type CrrSpec = z.infer<typeof CrrSpecSchema>;

/** Schema of `ContainerRecreateRequestContainerRecreateState`. */
export const CrrContainerStateSchema = z.looseObject({
  name: z.string(),
  phase: CrrPhaseSchema,
  message: z.string().optional(),
  /** The daemon has stopped this container. */
  isKilled: z.boolean().optional(),
});
/** One container's progress. */
export type CrrContainerState = z.infer<typeof CrrContainerStateSchema>;

/** Schema of the `status`. */
export const CrrStatusSchema = z.looseObject({
  /** Unset until the daemon first sees the CRR. */
  phase: CrrPhaseSchema.optional(),
  completionTime: z.string().nullish(),
  message: z.string().optional(),
  containerRecreateStates: z.array(CrrContainerStateSchema).optional(),
});
/** The observed state of a ContainerRecreateRequest. */
export type CrrStatus = z.infer<typeof CrrStatusSchema>;

/** Schema of a ContainerRecreateRequest. */
export const ContainerRecreateRequestSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema.optional(),
  spec: CrrSpecSchema,
  status: CrrStatusSchema.optional(),
});
/** A ContainerRecreateRequest. */
export type ContainerRecreateRequest = z.infer<typeof ContainerRecreateRequestSchema>;

/** Schema of an entry of the `crr.apps.kruise.io/sync-container-statuses` annotation. */
export const CrrSyncContainerStatusSchema = z.looseObject({
  name: z.string(),
  ready: z.boolean(),
  restartCount: z.int32(),
  containerID: z.string().optional(),
});
/** A pod container status as the controller copies it onto the CRR for the daemon. */
export type CrrSyncContainerStatus = z.infer<typeof CrrSyncContainerStatusSchema>;
