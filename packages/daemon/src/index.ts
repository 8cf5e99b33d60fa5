export { CriError } from './cri/criError.js';
export { createCriClient, criTarget, PULLING_IMAGE_BY_ANNOTATION, type CriClient, type CriClientOptions } from './cri/createCriClient.js';
export { criProtoPath, loadCriProto, CRI_PROTO_RELATIVE_PATH } from './cri/loadCriProto.js';
export { imageHasTag, type ImageInfo, type ImageRuntime, type PullAuth, type PullImageOptions, type PullSandboxConfig, type RuntimeCallOptions } from './cri/imageRuntime.js';
export type { ContainerFilter, ContainerInfo, ContainerRuntime } from './cri/containerRuntime.js';
export { lookupRegistryAuths, parseDockerKeyring, type KeyringEntry, type PullSecret } from './secrets/dockerKeyring.js';
export { parseImageRepository } from './secrets/parseImageRepository.js';
