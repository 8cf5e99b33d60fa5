/** Names of the OpenKruise feature gates the in-place update engine reads. */
export type InPlaceFeatureGate = 'InPlaceUpdateEnvFromMetadata' | 'InPlaceWorkloadVerticalScaling' | 'RecreatePodWhenChangeVCTInCloneSetGate';

/**
 * Feature gates as OpenKruise names them; unset gates take OpenKruise's defaults. A wider gate map
 * (every gate of the manager) can be passed as is.
 */
export type InPlaceFeatureGates = Readonly<Partial<Record<InPlaceFeatureGate, boolean>>>;

/** OpenKruise's defaults: env-from-metadata on, vertical scaling and VCT recreate off. */
const DEFAULT_GATES: Readonly<Record<InPlaceFeatureGate, boolean>> = {
  InPlaceUpdateEnvFromMetadata: true,
  InPlaceWorkloadVerticalScaling: false,
  RecreatePodWhenChangeVCTInCloneSetGate: false,
};

/**
 * Returns every in-place gate resolved: the given value, or OpenKruise's default.
 *
 * @example withInPlaceFeatureGateDefaults({ InPlaceWorkloadVerticalScaling: true })
 *   // { InPlaceUpdateEnvFromMetadata: true, InPlaceWorkloadVerticalScaling: true, RecreatePodWhenChangeVCTInCloneSetGate: false }
 */
export function withInPlaceFeatureGateDefaults(gates: InPlaceFeatureGates = {}): Readonly<Record<InPlaceFeatureGate, boolean>> {
  return {
    InPlaceUpdateEnvFromMetadata: gates.InPlaceUpdateEnvFromMetadata ?? DEFAULT_GATES.InPlaceUpdateEnvFromMetadata,
    InPlaceWorkloadVerticalScaling: gates.InPlaceWorkloadVerticalScaling ?? DEFAULT_GATES.InPlaceWorkloadVerticalScaling,
    RecreatePodWhenChangeVCTInCloneSetGate: gates.RecreatePodWhenChangeVCTInCloneSetGate ?? DEFAULT_GATES.RecreatePodWhenChangeVCTInCloneSetGate,
  };
}
