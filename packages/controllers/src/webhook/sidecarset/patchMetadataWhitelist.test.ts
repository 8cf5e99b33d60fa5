import { SIDECARSET_PATCH_METADATA_WHITELIST_KEY } from '@kruise-ts/core';
import { Resources, createMemoryCluster, type MemoryCluster } from '@kruise-ts/k8s-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import type { AdmissionRequest } from '../admissionTypes.js';
import { KRUISE_CONFIGURATION_NAME, configMapPatchMetadataWhitelist } from './patchMetadataWhitelist.js';
import { sidecarSetValidatingWebhook } from './sidecarSetAdmission.js';
import { staticSidecarSetSource } from './sidecarSetSource.js';

const context = { signal: new AbortController().signal, logger: createLogger({ level: 'silent' }) };

const create = (name: string, spec: Record<string, unknown> = {}): AdmissionRequest => ({
  uid: 'u',
  kind: { group: 'apps.kruise.io', version: 'v1beta1', kind: 'SidecarSet' },
  resource: { group: 'apps.kruise.io', version: 'v1beta1', resource: 'sidecarsets' },
  operation: 'CREATE',
  object: { apiVersion: 'apps.kruise.io/v1beta1', kind: 'SidecarSet', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, containers: [{ name: `${name}-agent`, image: 'agent:1' }], ...spec } },
});
const patching = { patchPodMetadata: [{ annotations: { 'istio.io/rev': 'canary' }, patchPolicy: 'Overwrite' }] };

describe('the patchPodMetadata whitelist read from kruise-configuration (memory cluster)', () => {
  let cluster: MemoryCluster;
  const read = () => configMapPatchMetadataWhitelist(cluster.client, 'kruise-system')(context.signal);
  const configure = async (data: Record<string, string> | undefined) => {
    await cluster.client.create(Resources.ConfigMap, { metadata: { namespace: 'kruise-system', name: KRUISE_CONFIGURATION_NAME }, ...(data && { data }) });
  };
  const webhook = () => sidecarSetValidatingWebhook({ source: staticSidecarSetSource({ sidecarSets: [], revisions: [] }), readPatchMetadataWhitelist: configMapPatchMetadataWhitelist(cluster.client, 'kruise-system') });

  beforeEach(async () => {
    cluster = await createMemoryCluster({ nodes: 0 });
    await cluster.client.create(Resources.Namespace, { metadata: { name: 'kruise-system' } });
  });
  afterEach(async () => {
    await cluster.close();
  });

  it('is absent without the ConfigMap, without data, or without the key', async () => {
    expect(await read()).toEqual({ kind: 'absent' });
    await configure(undefined);
    expect(await read()).toEqual({ kind: 'absent' });
    await cluster.client.patch(Resources.ConfigMap, { namespace: 'kruise-system', name: KRUISE_CONFIGURATION_NAME }, { type: 'merge', body: { data: { other: 'x' } } });
    expect(await read()).toEqual({ kind: 'absent' });
  });

  it('reads the value leniently, as Go does (case-insensitive names, unknown fields)', async () => {
    await configure({ [SIDECARSET_PATCH_METADATA_WHITELIST_KEY]: '{"Rules":[{"allowedAnnotationKeyExprs":["^istio\\\\.io/"],"comment":"mesh"}]}' });
    expect(await read()).toEqual({ kind: 'parsed', whitelist: { rules: [{ allowedAnnotationKeyExprs: ['^istio\\.io/'] }] } });
    expect(await webhook().handle(create('mesh', patching), context)).toEqual({ kind: 'allow' });
  });

  it('an empty value refuses only the SidecarSets that patch pod metadata, with the error; the others are admitted', async () => {
    await configure({ [SIDECARSET_PATCH_METADATA_WHITELIST_KEY]: '' });
    const refused = await webhook().handle(create('mesh', patching), context);
    expect(refused).toMatchObject({ kind: 'deny', code: 422, message: 'spec.patchPodMetadata: Required value: unexpected end of JSON input' });
    expect(await webhook().handle(create('log'), context)).toEqual({ kind: 'allow' });
  });

  it('a value of the wrong shape names the field', async () => {
    await configure({ [SIDECARSET_PATCH_METADATA_WHITELIST_KEY]: '{"rules":{"allowedAnnotationKeyExprs":[".*"]}}' });
    expect(await webhook().handle(create('mesh', patching), context)).toMatchObject({
      kind: 'deny',
      message: 'spec.patchPodMetadata: Required value: json: cannot unmarshal object into Go struct field SidecarSetPatchMetadataWhiteList.rules of type []configuration.SidecarSetPatchMetadataWhiteRule',
    });
    expect(await webhook().handle(create('log'), context)).toEqual({ kind: 'allow' });
  });
});
