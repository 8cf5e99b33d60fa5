import { SIDECARSET_PATCH_METADATA_WHITELIST_KEY, parseSidecarSetPatchMetadataWhitelist, type SidecarSetPatchMetadataWhitelistRead } from '@kruise-ts/core';
import { NotFoundError, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';

/** Name of OpenKruise's configuration ConfigMap in the manager's namespace. */
export const KRUISE_CONFIGURATION_NAME = 'kruise-configuration';

/**
 * Returns a reader of the patchPodMetadata whitelist, as OpenKruise's
 * `GetSidecarSetPatchMetadataWhiteList`: the `SidecarSet_PatchPodMetadata_WhiteList` key of
 * ConfigMap `kruise-configuration` in `namespace`; `absent` when the ConfigMap, its data or the
 * key is missing; the value read as Go reads it (`parseSidecarSetPatchMetadataWhitelist`: lenient,
 * an empty or non-JSON value is `invalid`); `invalid` with the error when the apiserver fails. An
 * unreadable whitelist never makes the webhook fail: it refuses, with the error, only the
 * SidecarSets that patch pod metadata (the only ones that read it), as OpenKruise does.
 *
 * @example ConfigMap data `{ SidecarSet_PatchPodMetadata_WhiteList: '' }` → { kind: 'invalid', message: 'unexpected end of JSON input' }
 */
export function configMapPatchMetadataWhitelist(client: KubeClient, namespace: string): (signal: AbortSignal) => Promise<SidecarSetPatchMetadataWhitelistRead> {
  return async (signal) => {
    let text: string | undefined;
    try {
      text = (await client.get(Resources.ConfigMap, { namespace, name: KRUISE_CONFIGURATION_NAME }, { signal })).data?.[SIDECARSET_PATCH_METADATA_WHITELIST_KEY];
    } catch (error) {
      if (error instanceof NotFoundError) return { kind: 'absent' };
      if (signal.aborted) throw error;
      return { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
    }
    return text === undefined ? { kind: 'absent' } : parseSidecarSetPatchMetadataWhitelist(text);
  };
}
