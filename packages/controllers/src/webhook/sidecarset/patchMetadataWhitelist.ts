import { SIDECARSET_PATCH_METADATA_WHITELIST_KEY, SidecarSetPatchMetadataWhitelistSchema, type SidecarSetPatchMetadataWhitelist } from '@kruise-ts/core';
import { NotFoundError, Resources, type KubeClient } from '@kruise-ts/k8s-adapter';

/** Name of OpenKruise's configuration ConfigMap in the manager's namespace. */
export const KRUISE_CONFIGURATION_NAME = 'kruise-configuration';

/**
 * Returns a reader of the patchPodMetadata whitelist: the `SidecarSet_PatchPodMetadata_WhiteList`
 * key of ConfigMap `kruise-configuration` in `namespace`, undefined when the ConfigMap or the key is
 * absent. A value that is not a valid whitelist throws (the webhook then fails, naming it).
 */
export function configMapPatchMetadataWhitelist(client: KubeClient, namespace: string): (signal: AbortSignal) => Promise<SidecarSetPatchMetadataWhitelist | undefined> {
  return async (signal) => {
    let text: string | undefined;
    try {
      text = (await client.get(Resources.ConfigMap, { namespace, name: KRUISE_CONFIGURATION_NAME }, { signal })).data?.[SIDECARSET_PATCH_METADATA_WHITELIST_KEY];
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    if (text === undefined) return undefined;
    const parsed = SidecarSetPatchMetadataWhitelistSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${namespace}/${KRUISE_CONFIGURATION_NAME} ${SIDECARSET_PATCH_METADATA_WHITELIST_KEY} is not a whitelist: ${parsed.error.message}`);
    return parsed.data;
  };
}
