import type { LabelSelector } from '@kruise-ts/core';
import type { JsonPatchOperation } from '@kruise-ts/k8s-adapter';
import type { Logger } from '../runtime/logger.js';

/** An admission operation, as `admission.k8s.io/v1` names it. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** The request of an `admission.k8s.io/v1` AdmissionReview: what the apiserver asks a webhook about. */
export interface AdmissionRequest {
  /** Identifies this call; echoed in the response. */
  readonly uid: string;
  /** Kind of `object`, e.g. `{ group: 'apps.kruise.io', version: 'v1alpha1', kind: 'CloneSet' }`. */
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  /** Resource being admitted, e.g. `{ group: '', version: 'v1', resource: 'pods' }`. */
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string | undefined;
  /** Object name; empty on CREATE with `generateName` (mutating webhooks run before it is set). */
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
  readonly operation: AdmissionOperation;
  readonly userInfo?: { readonly username?: string; readonly uid?: string; readonly groups?: readonly string[] } | undefined;
  /** The new object (CREATE, UPDATE, CONNECT), as JSON. */
  readonly object?: unknown;
  /** The existing object (UPDATE, DELETE), as JSON. */
  readonly oldObject?: unknown;
  readonly dryRun?: boolean | undefined;
}

/** One field-level cause of a denial, as `metav1.StatusCause`. */
export interface DenialCause {
  /** Field path, e.g. `spec.updateStrategy.rollingUpdate.partition`. */
  readonly field: string;
  readonly message: string;
  /** `FieldValueInvalid` unless told otherwise. */
  readonly reason?: string;
}

/**
 * What a webhook handler decided: admit (optionally with a JSON patch, mutating webhooks only), or
 * refuse with a message the apiserver shows the user after `admission webhook "<name>" denied the
 * request: `.
 */
export type AdmissionDecision =
  | {
      readonly kind: 'allow';
      /** RFC 6902 operations on `request.object`; empty or absent = unchanged. */
      readonly patch?: readonly JsonPatchOperation[] | undefined;
      readonly warnings?: readonly string[] | undefined;
    }
  | {
      readonly kind: 'deny';
      /** Why, naming the field: `spec.replicas: must be >= 0`. */
      readonly message: string;
      /** HTTP-like code the apiserver returns to its client (default 403; 422 for invalid objects, 400 for undecodable ones). */
      readonly code?: number | undefined;
      /** `metav1.StatusReason`, e.g. `Invalid`, `BadRequest`, `Forbidden`. */
      readonly reason?: string | undefined;
      readonly causes?: readonly DenialCause[] | undefined;
      readonly warnings?: readonly string[] | undefined;
    };

/** What a handler gets besides the request. */
export interface AdmissionContext {
  /** Aborts when the server's per-request deadline passes (the caller has given up). */
  readonly signal: AbortSignal;
  /** A child logger carrying the webhook name and the request uid. */
  readonly logger: Logger;
}

/** One rule of a webhook configuration: which requests the apiserver sends to the webhook. */
export interface WebhookRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  /** Plural resources, e.g. `clonesets`, `pods`; subresources as `pods/status`. */
  readonly resources: readonly string[];
  readonly operations: readonly AdmissionOperation[];
  /** Default `*`. */
  readonly scope?: 'Namespaced' | 'Cluster' | '*';
}

/**
 * What the configuration of one admission webhook says, independent of its handler: the data the
 * manager writes into the Mutating/ValidatingWebhookConfiguration (and `deploy/` is generated from).
 */
export interface AdmissionWebhookSpec {
  /** Webhook name in the configuration, OpenKruise's where it has one, e.g. `vcloneset.kb.io`. */
  readonly name: string;
  /** URL path served, e.g. `/validate-apps-kruise-io-cloneset`. */
  readonly path: string;
  readonly type: 'mutating' | 'validating';
  readonly rules: readonly WebhookRule[];
  /** What the apiserver does when the webhook cannot be reached or fails: refuse (`Fail`) or admit (`Ignore`). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** Seconds the apiserver waits for an answer (1–30). */
  readonly timeoutSeconds: number;
  /** Namespaces whose objects are sent (default all). */
  readonly namespaceSelector?: LabelSelector | undefined;
  /** Objects sent, by their labels (default all). */
  readonly objectSelector?: LabelSelector | undefined;
}

/** A handler: the decision for one admission request (may be async; may throw, which becomes a denial). */
export type AdmissionHandler = (request: AdmissionRequest, context: AdmissionContext) => AdmissionDecision | Promise<AdmissionDecision>;

/** An admission webhook: its configuration and its handler. */
export interface AdmissionWebhook extends AdmissionWebhookSpec {
  readonly handle: AdmissionHandler;
}

/** Result of converting one object: the object in the desired version, or why it cannot be. */
export type ConversionOutcome = { readonly kind: 'converted'; readonly object: Record<string, unknown> } | { readonly kind: 'failed'; readonly message: string };

/** Converts the objects of one custom kind between its served versions (the CRD conversion webhook). */
export interface Converter {
  /** API group, e.g. `apps.kruise.io`. */
  readonly group: string;
  /** Kind, e.g. `CloneSet`. */
  readonly kind: string;
  /** Plural, e.g. `clonesets`: the CRD patched is `<plural>.<group>`. */
  readonly plural: string;
  /** Returns `object` in `desiredAPIVersion` (e.g. `apps.kruise.io/v1alpha1`). */
  convert(object: Record<string, unknown>, desiredAPIVersion: string): ConversionOutcome;
}
