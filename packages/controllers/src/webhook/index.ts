/**
 * The webhook side of the manager: an HTTPS server for AdmissionReview v1 and ConversionReview v1,
 * a registry of typed handlers, self-provisioned or external certificates, and the configurations
 * (webhook configurations, CRD conversion) kept in place.
 *
 * @packageDocumentation
 */
export type {
  AdmissionContext,
  AdmissionDecision,
  AdmissionHandler,
  AdmissionOperation,
  AdmissionRequest,
  AdmissionWebhook,
  AdmissionWebhookSpec,
  ConversionOutcome,
  Converter,
  DenialCause,
  WebhookRule,
} from './admissionTypes.js';
export { isJsonObject, type JsonObject } from './jsonObject.js';
export { allow, allowWithPatch, deny, denyProblems, problemsMessage } from './admissionDecisions.js';
export { ADMISSION_REVIEW_API_VERSION, admissionResponse, parseAdmissionReview, type ParsedAdmissionReview } from './admissionReview.js';
export { CONVERSION_REVIEW_API_VERSION, convertObjects, parseConversionReview, type ConversionRequest } from './conversionReview.js';
export { CONVERSION_PATH, createWebhookRegistry, type WebhookRegistry } from './webhookRegistry.js';
export { createWebhookServer, type ServingCertificate, type WebhookServer, type WebhookServerOptions } from './createWebhookServer.js';
export { createWebhookMetrics, type WebhookMetricSink, type WebhookOutcome } from './webhookMetrics.js';
export {
  MUTATING_WEBHOOK_CONFIGURATION_NAME,
  VALIDATING_WEBHOOK_CONFIGURATION_NAME,
  WEBHOOK_LABELS,
  buildCrdConversion,
  buildWebhookConfigurations,
  webhookClientConfig,
  webhookHosts,
  type WebhookClientConfigMode,
  type WebhookOverrides,
  type WebhookConfigurationObject,
} from './webhookConfigurations.js';
export {
  ADVANCEDCRONJOB_MUTATING_WEBHOOK,
  ADVANCEDCRONJOB_VALIDATING_WEBHOOK,
  BROADCASTJOB_MUTATING_WEBHOOK,
  BROADCASTJOB_VALIDATING_WEBHOOK,
  EPHEMERALJOB_VALIDATING_WEBHOOK,
  CLONESET_MUTATING_WEBHOOK,
  CLONESET_VALIDATING_WEBHOOK,
  CONTROL_PLANE_LABEL,
  DAEMONSET_MUTATING_WEBHOOK,
  DAEMONSET_VALIDATING_WEBHOOK,
  UNITEDDEPLOYMENT_MUTATING_WEBHOOK,
  UNITEDDEPLOYMENT_VALIDATING_WEBHOOK,
  SIDECARSET_MUTATING_WEBHOOK,
  SIDECARSET_VALIDATING_WEBHOOK,
  STATEFULSET_MUTATING_WEBHOOK,
  STATEFULSET_VALIDATING_WEBHOOK,
  DELETION_PROTECTION_VALIDATING_WEBHOOK,
  PUB_VALIDATING_WEBHOOK,
  WORKLOADSPREAD_VALIDATING_WEBHOOK,
  builtinWebhookSpecs,
  podMutatingWebhookSpec,
  podValidatingWebhookSpec,
} from './builtinWebhookSpecs.js';
export { WebhookConfigurationResources, ensureWebhookConfigurations, type CrdConversion, type EnsuredWebhooks } from './ensureWebhookConfigurations.js';
export { cloneSetMutatingWebhook, cloneSetValidatingWebhook, type CloneSetMutatingOptions, type CloneSetValidatingOptions } from './cloneset/cloneSetAdmission.js';
export { cloneSetConverter } from './cloneset/cloneSetConverter.js';
export type { LookupPod } from './cloneset/podsToDeleteProblems.js';
export { createPodMutatingWebhook, type PodMutatingWebhookOptions, type PodMutation, type PodMutator } from './pod/podMutatingWebhook.js';
export { createPodValidatingWebhook, type PodValidatingWebhookOptions, type PodValidation, type PodValidator } from './pod/podValidatingWebhook.js';
export { checkPubBudget, pubPodValidator, type PubGates, type PubPodValidatorOptions } from './pod/pubPodValidator.js';
export { pubPodMutator } from './pod/pubPodMutator.js';
export { deletionProtectionWebhook, type DeletionProtectionOptions } from './deletionprotection/deletionProtectionWebhook.js';
export { podUnavailableBudgetValidatingWebhook, type PodUnavailableBudgetValidatingOptions } from './podunavailablebudget/podUnavailableBudgetAdmission.js';
export { findWorkloadSpreadForPod } from './workloadspread/findWorkloadSpreadForPod.js';
export { updateWorkloadSpreadStatus, WORKLOADSPREAD_STATUS_ATTEMPTS, type StatusDecision, type StatusUpdateClients, type StatusUpdateOutcome } from './workloadspread/workloadSpreadStatusUpdate.js';
export { workloadSpreadPodMutator, type WorkloadSpreadPodMutatorOptions } from './workloadspread/workloadSpreadPodMutator.js';
export { workloadSpreadPodValidator, type WorkloadSpreadPodValidatorOptions } from './workloadspread/workloadSpreadPodValidator.js';
export { workloadSpreadValidatingWebhook } from './workloadspread/workloadSpreadAdmission.js';
export { podUnavailableBudgetConverter } from './podunavailablebudget/podUnavailableBudgetConverter.js';
export { sidecarSetMutatingWebhook, sidecarSetValidatingWebhook, type SidecarSetValidatingOptions } from './sidecarset/sidecarSetAdmission.js';
export { sidecarSetConverter } from './sidecarset/sidecarSetConverter.js';
export { KRUISE_CONFIGURATION_NAME, configMapPatchMetadataWhitelist } from './sidecarset/patchMetadataWhitelist.js';
export { clientSidecarSetSource, readSidecarSets, staticSidecarSetSource, type SidecarSetSource, type StaticSidecarSetData, type UnreadableSidecarSet } from './sidecarset/sidecarSetSource.js';
export { createSidecarSetCache, type SidecarSetCache, type SidecarSetCacheOptions } from './sidecarset/sidecarSetCache.js';
export { createSidecarSetPodMutator, type SidecarSetPodMutatorOptions } from './sidecarset/sidecarSetPodMutator.js';
export { statefulSetMutatingWebhook, statefulSetValidatingWebhook, type StatefulSetMutatingOptions } from './statefulset/statefulSetAdmission.js';
export { statefulSetConverter } from './statefulset/statefulSetConverter.js';
export { advancedCronJobMutatingWebhook, advancedCronJobValidatingWebhook, type AdvancedCronJobMutatingOptions } from './advancedcronjob/advancedCronJobAdmission.js';
export { advancedCronJobConverter } from './advancedcronjob/advancedCronJobConverter.js';
export { broadcastJobMutatingWebhook, broadcastJobValidatingWebhook, type BroadcastJobMutatingOptions } from './broadcastjob/broadcastJobAdmission.js';
export { broadcastJobConverter } from './broadcastjob/broadcastJobConverter.js';
export { ephemeralJobValidatingWebhook } from './ephemeraljob/ephemeralJobAdmission.js';
export { daemonSetMutatingWebhook, daemonSetValidatingWebhook } from './daemonset/daemonSetAdmission.js';
export { daemonSetConverter } from './daemonset/daemonSetConverter.js';
export { unitedDeploymentMutatingWebhook, unitedDeploymentValidatingWebhook } from './uniteddeployment/unitedDeploymentAdmission.js';
export { unitedDeploymentConverter } from './uniteddeployment/unitedDeploymentConverter.js';
export { workloadSpreadConverter } from './workloadspread/workloadSpreadConverter.js';
export { resourceDistributionValidatingWebhook, type ResourceDistributionValidatingOptions } from './resourcedistribution/resourceDistributionAdmission.js';
export { resourceDistributionConverter } from './resourcedistribution/resourceDistributionConverter.js';
export { persistentPodStateConverter, persistentPodStateValidatingWebhook } from './persistentpodstate/persistentPodStateAdmission.js';
export { clientPersistentPodStateSource, createPersistentPodStatePodMutator, type PersistentPodStateSource } from './persistentpodstate/persistentPodStatePodMutator.js';
export { createBuiltinWebhooks, type BuiltinWebhooksOptions, type WebhookFeatureGates } from './createBuiltinWebhooks.js';
export type { CertificateSnapshot, CertificateSource } from './certificates/certificateSource.js';
export {
  DEFAULT_CERTIFICATE_POLICY,
  applyCertificatePlan,
  planWebhookCertificates,
  type CertificatePlan,
  type CertificatePlanInput,
  type CertificatePolicy,
  type WebhookCertificates,
} from './certificates/planWebhookCertificates.js';
export { WEBHOOK_SECRET_KEYS, certificatesFromSecretData, certificatesToSecretData, createSecretCertificateSource, type SecretCertificateSourceOptions } from './certificates/secretCertificateSource.js';
export { EXTERNAL_CERT_FILES, createDirectoryCertificateSource } from './certificates/directoryCertificateSource.js';
export { certificateAuthorityFromPem, splitPemCertificates } from './certificates/certificateAuthorityFromPem.js';
export { createWebhookRuntime, type WebhookRuntime, type WebhookRuntimeOptions } from './createWebhookRuntime.js';
export { resolveWebhookSettings, type WebhookFlags, type WebhookSettings } from './resolveWebhookSettings.js';
export { createManagerWebhooks, type ManagerWebhooksDeps } from './createManagerWebhooks.js';
export { imagePullAdmissionWebhooks, type ImagePullWebhookGates } from './imagepulljob/imagePullAdmission.js';
export { crrMutatingWebhook, crrValidatingWebhook, CRR_MUTATING_WEBHOOK, CRR_VALIDATING_WEBHOOK, type CrrWebhookOptions } from './containerrecreaterequest/containerRecreateRequestAdmission.js';
export { podProbeMarkerValidatingWebhook, POD_PROBE_MARKER_VALIDATING_WEBHOOK, type PodProbeMarkerWebhookOptions } from './podprobemarker/podProbeMarkerAdmission.js';
