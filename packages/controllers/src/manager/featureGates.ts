/**
 * OpenKruise's feature gates, with OpenKruise's defaults (pkg/features/kruise_features.go), as the
 * manager's `--feature-gates` flag takes them.
 */
export const FEATURE_GATE_DEFAULTS = {
  PodWebhook: true,
  KruiseDaemon: true,
  DaemonWatchingPod: true,
  WorkloadSpread: true,
  PodUnavailableBudgetDeleteGate: true,
  InPlaceUpdateEnvFromMetadata: true,
  StatefulSetAutoDeletePVC: true,
  PodProbeMarkerGate: true,
  PodIndexLabel: true,
  CloneSetShortHash: false,
  KruisePodReadinessGate: false,
  PreDownloadImageForInPlaceUpdate: false,
  CloneSetPartitionRollback: false,
  ResourcesDeletionProtection: false,
  PodUnavailableBudgetUpdateGate: false,
  TemplateNoDefaults: false,
  SidecarSetPatchPodMetadataDefaultsAllowed: false,
  SidecarTerminator: false,
  PreDownloadImageForDaemonSetUpdate: false,
  CloneSetEventHandlerOptimization: false,
  PreparingUpdateAsUpdate: false,
  ImagePullJobGate: false,
  ResourceDistributionGate: false,
  DeletionProtectionForCRDCascadingGate: false,
  EnhancedLivenessProbe: false,
  RecreatePodWhenChangeVCTInCloneSetGate: false,
  StatefulSetStartOrdinal: false,
  EnableExternalCerts: false,
  StatefulSetAutoResizePVCGate: false,
  ForceDeleteTimeoutExpectationGate: false,
  InPlaceWorkloadVerticalScaling: false,
  EnablePodProbeMarkerOnServerless: false,
  EnableSortSidecarContainerByName: false,
  InPlacePodVerticalScaling: false,
  DefaultHostNetworkHostPortsInPodTemplates: false,
  DaemonSetPruneIneligibleNodes: false,
} as const satisfies Record<string, boolean>;

/** A feature gate name. */
export type FeatureGateName = keyof typeof FEATURE_GATE_DEFAULTS;
/** Every gate resolved to on or off. */
export type FeatureGates = Readonly<Record<FeatureGateName, boolean>>;

/** Result of {@link parseFeatureGates}. */
export type ParsedFeatureGates = { readonly kind: 'ok'; readonly gates: FeatureGates } | { readonly kind: 'invalid'; readonly problems: readonly string[] };

const isGate = (name: string): name is FeatureGateName => Object.hasOwn(FEATURE_GATE_DEFAULTS, name);

/**
 * Returns the gates from a `--feature-gates` value (`A=true,B=false`), the defaults filled in and
 * OpenKruise's cascades applied (`SetDefaultFeatureGates`): PodWebhook off turns off the gates
 * that need the pod webhook; KruiseDaemon off those that need the daemon; a PreDownload* gate
 * turns ImagePullJobGate on. Unknown names and values other than true/false are problems.
 *
 * @example parseFeatureGates('InPlaceWorkloadVerticalScaling=true') → InPlaceWorkloadVerticalScaling on, the rest default
 */
export function parseFeatureGates(value: string): ParsedFeatureGates {
  const gates: Record<FeatureGateName, boolean> = { ...FEATURE_GATE_DEFAULTS };
  const problems: string[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [name = '', setting] = item.split('=').map((s) => s.trim());
    if (!isGate(name)) problems.push(`--feature-gates: unknown feature gate "${name}"`);
    else if (setting !== 'true' && setting !== 'false') problems.push(`--feature-gates: ${name} must be true or false, got "${setting ?? ''}"`);
    else gates[name] = setting === 'true';
  }
  return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'ok', gates: applyCascades(gates) };
}

function applyCascades(gates: Record<FeatureGateName, boolean>): FeatureGates {
  const off = (names: readonly FeatureGateName[]): void => {
    for (const name of names) gates[name] = false;
  };
  if (!gates.PodWebhook) off(['KruisePodReadinessGate', 'PodUnavailableBudgetDeleteGate', 'PodUnavailableBudgetUpdateGate', 'WorkloadSpread', 'SidecarSetPatchPodMetadataDefaultsAllowed']);
  if (!gates.KruiseDaemon) {
    off(['PreDownloadImageForInPlaceUpdate', 'PreDownloadImageForDaemonSetUpdate', 'DaemonWatchingPod', 'InPlaceUpdateEnvFromMetadata', 'PodProbeMarkerGate', 'SidecarTerminator', 'ImagePullJobGate', 'EnhancedLivenessProbe']);
  }
  if (gates.PreDownloadImageForInPlaceUpdate || gates.PreDownloadImageForDaemonSetUpdate) gates.ImagePullJobGate = true;
  return gates;
}
