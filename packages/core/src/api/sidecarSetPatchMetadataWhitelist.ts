import { z } from 'zod';
import { fieldProblem, type FieldProblem } from '../shared/fieldProblem.js';
import { LabelSelectorSchema, matchesLabelSelector } from '../shared/selector.js';
import type { SidecarSet } from './sidecarSet.js';

/** Key of the whitelist in the `kruise-configuration` ConfigMap (a JSON {@link SidecarSetPatchMetadataWhitelist}). */
export const SIDECARSET_PATCH_METADATA_WHITELIST_KEY = 'SidecarSet_PatchPodMetadata_WhiteList';

/** Schema of the whitelist of annotations SidecarSets may patch onto pods. */
export const SidecarSetPatchMetadataWhitelistSchema = z.looseObject({
  rules: z.array(
    z.looseObject({
      /** SidecarSets (by their labels) the rule applies to; absent = all. */
      selector: LabelSelectorSchema.optional(),
      /** Regular expressions (unanchored, as Go's `MatchString`) of allowed annotation keys. */
      allowedAnnotationKeyExprs: z.array(z.string()),
    }),
  ),
});
/** Which annotation keys which SidecarSets may put on pods with `patchPodMetadata`. */
export type SidecarSetPatchMetadataWhitelist = z.infer<typeof SidecarSetPatchMetadataWhitelistSchema>;

/** Options of {@link validateSidecarSetPatchMetadataWhitelist}. */
export interface PatchMetadataWhitelistOptions {
  /** The whitelist from `kruise-configuration`; undefined when the ConfigMap has none. */
  readonly whitelist?: SidecarSetPatchMetadataWhitelist | undefined;
  /** Feature gate SidecarSetPatchPodMetadataDefaultsAllowed (default off): no applicable rule means "allowed". */
  readonly defaultsAllowed?: boolean | undefined;
}

function compile(expression: string): RegExp | undefined {
  try {
    return new RegExp(expression);
  } catch {
    return undefined;
  }
}

/**
 * Returns the problems of a SidecarSet's `patchPodMetadata` against the annotation whitelist, as
 * OpenKruise's `ValidateSidecarSetPatchMetadataWhitelist`: nothing to check without patches; no
 * whitelist, or no rule whose selector matches the SidecarSet's labels, is refused unless the
 * SidecarSetPatchPodMetadataDefaultsAllowed gate is on; otherwise every patched annotation key
 * must match one allowed expression. All problems are at `spec.patchPodMetadata`.
 *
 * @example patches `oom-score`, whitelist `[{ allowedAnnotationKeyExprs: ['^istio'] }]` →
 *   `[{ path: 'spec.patchPodMetadata', message: 'sidecarSet patch metadata annotation(oom-score) is not allowed' }]`
 */
export function validateSidecarSetPatchMetadataWhitelist(ss: SidecarSet, options: PatchMetadataWhitelistOptions = {}): FieldProblem[] {
  const patches = ss.spec.patchPodMetadata ?? [];
  if (patches.length === 0) return [];
  const path = 'spec.patchPodMetadata';
  if (options.whitelist === undefined) return options.defaultsAllowed === true ? [] : [fieldProblem(path, 'SidecarSet patch metadata whitelist not found')];
  const rules = options.whitelist.rules.filter((rule) => rule.selector === undefined || matchesLabelSelector(rule.selector, ss.metadata?.labels));
  const expressions = rules.flatMap((rule) => rule.allowedAnnotationKeyExprs);
  const invalid = expressions.filter((e) => compile(e) === undefined).map((e) => fieldProblem(path, `invalid annotation key expression ${JSON.stringify(e)}`));
  const allowed = expressions.map(compile).filter((r): r is RegExp => r !== undefined);
  if (invalid.length > 0) return invalid;
  if (allowed.length === 0) return options.defaultsAllowed === true ? [] : [fieldProblem(path, 'sidecarSet patch metadata annotation is not allowed')];
  const keys = [...new Set(patches.flatMap((patch) => Object.keys(patch.annotations ?? {})))];
  return keys.filter((key) => !allowed.some((r) => r.test(key))).map((key) => fieldProblem(path, `sidecarSet patch metadata annotation(${key}) is not allowed`));
}
